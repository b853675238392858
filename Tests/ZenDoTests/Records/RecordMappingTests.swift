import Foundation
import Testing

@testable import ZenDo

/// The `.zenodo.toml` → records API mapping, key by key, against the table in docs/metadata.md.
@Suite struct RecordMappingTests {
  static let everyKey = Fixtures.root.appendingPathComponent("records/every-key.toml")
  static let everyKeyDraft = Fixtures.root.appendingPathComponent("records/every-key.draft.json")

  static func load(_ url: URL) throws -> MetadataFile {
    let result = MetadataLoader.loadResult(url: url, displayPath: url.lastPathComponent)
    return try #require(result.file, "\(result.diagnostics)")
  }

  static func load(text: String) throws -> MetadataFile {
    let result = MetadataLoader.loadResult(
      data: Data(text.utf8), url: URL(fileURLWithPath: "/nonexistent/x.toml"), displayPath: "x")
    return try #require(result.file, "\(result.diagnostics)")
  }

  static func json(_ text: String) throws -> JSONValue {
    try JSONReader.parse(text).value
  }

  @Test func everyKeyMapsToTheTable() throws {
    let file = try Self.load(Self.everyKey)
    let expected = try JSONReader.parse(Array(try Data(contentsOf: Self.everyKeyDraft))).value
    let body = RecordMapping.draftBody(for: file)
    guard case .object(let want) = expected else {
      Issue.record("the expected draft is not an object")
      return
    }
    for key in want.keys {
      #expect(body[key] == want[key], "\(key) differs")
    }
    #expect(body.keys == ["metadata", "custom_fields", "access", "files"])
    #expect(RecordComparison.differences(local: body, remote: want) == [])
  }

  @Test func everyKeyFixtureUsesEveryRecordsKey() throws {
    let file = try Self.load(Self.everyKey)
    let wanted = MetadataSchema.root.recordsOnly.union(["alternate_identifiers"])
    #expect(wanted.subtracting(file.metadata.keys) == [])
  }

  /// The table of a record, loaded as a file again, maps to what the record holds.
  static func roundTrip(_ record: JSONObject) throws -> (MetadataFile, JSONObject) {
    let table = RecordMapping.table(fromRecord: record)
    let result = MetadataLoader.loadResult(
      table: table, url: URL(fileURLWithPath: "/nonexistent/.zenodo.toml"), displayPath: "back")
    let file = try #require(result.file, "\(result.diagnostics)")
    #expect(result.diagnostics.map(\.description) == [])
    return (file, RecordMapping.draftBody(for: file))
  }

  @Test func aRecordConvertsBackToTheSameFile() throws {
    let original = RecordMapping.draftBody(for: try Self.load(Self.everyKey))
    var record = original
    record["parent"] = try Self.json(
      #"{"access": {"settings": {"accept_conditions_text": "Ask the lab."}}}"#)
    let (file, body) = try Self.roundTrip(record)
    #expect(RecordComparison.differences(local: original, remote: body) == [])
    #expect(RecordComparison.differences(local: body, remote: original) == [])
    #expect(file.metadata["access_conditions"] == .string("Ask the lab."))
    #expect(file.metadata["resource_type"] == .string("publication-article"))
    #expect(file.urn == "urn:zenodo:roselab:scent")
    // The one thing not kept: the free-text name beside a ROR id, which Zenodo replaces.
    #expect(body["metadata"] != original["metadata"])
  }

  @Test func communitiesAndParentAccess() throws {
    let file = try Self.load(Self.everyKey)
    #expect(RecordMapping.communities(for: file) == ["roses", "scents"])
    #expect(
      RecordMapping.parentAccess(for: file).map(JSONValue.object)
        == (try Self.json(
          #"{"allow_user_requests": true, "allow_guest_requests": true, "#
            + #""accept_conditions_text": "Ask the lab; access is granted for research."}"#)))
  }

  @Test func legacyFileMapsAsZenodoLegacyLayerDoes() throws {
    let file = try Self.load(
      text: """
        upload_type = "publication"
        publication_type = "thesis"
        title = "A thesis"
        license = "cc-by"
        language = "de"
        access_right = "restricted"
        access_conditions = "Ask."
        imprint_publisher = "Press"
        [[creators]]
        name = "Doe, Jane"
        affiliation = "Uni"
        orcid = "https://orcid.org/0000-0002-1825-0097"
        gnd = "118540238"
        [[creators]]
        name = "The Consortium"
        [[contributors]]
        name = "Roe, R"
        type = "ContactPerson"
        [[grants]]
        id = "283595"
        [[grants]]
        id = "10.13039/100000002::1OT2DB000013-01"
        [[related_identifiers]]
        identifier = "urn:zenodo:o:r"
        relation = "isIdenticalTo"
        scheme = "urn"
        [[related_identifiers]]
        identifier = "arXiv:2101.00001"
        relation = "isAlternateIdentifier"
        [[related_identifiers]]
        identifier = "10.1/x"
        relation = "isOrignialFormOf"
        scheme = "github"

        """)
    let body = RecordMapping.draftBody(for: file)
    let metadata = try #require(body["metadata"])
    let expected = try Self.json(
      #"""
      {"resource_type": {"id": "publication-dissertation"}, "title": "A thesis",
       "creators": [
        {"person_or_org": {"type": "personal", "given_name": "Jane", "family_name": "Doe",
          "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"},
                          {"scheme": "gnd", "identifier": "gnd:118540238"}]},
         "affiliations": [{"name": "Uni"}]},
        {"person_or_org": {"type": "personal", "family_name": "The Consortium"}}],
       "contributors": [
        {"person_or_org": {"type": "personal", "given_name": "R", "family_name": "Roe"},
         "role": {"id": "contactperson"}}],
       "rights": [{"id": "cc-by-4.0"}],
       "languages": [{"id": "deu"}],
       "publisher": "Press",
       "identifiers": [{"identifier": "arXiv:2101.00001"}],
       "related_identifiers": [
        {"identifier": "urn:zenodo:o:r", "scheme": "urn", "relation_type": {"id": "isidenticalto"}},
        {"identifier": "10.1/x", "relation_type": {"id": "isoriginalformof"}}],
       "funding": [
        {"funder": {"id": "00k4n6c32"}, "award": {"id": "00k4n6c32::283595"}},
        {"funder": {"id": "01cwqze88"}, "award": {"id": "01cwqze88::1OT2DB000013-01"}}]}
      """#)
    #expect(metadata == expected)
    #expect(
      body["access"]
        == (try Self.json(#"{"record": "public", "files": "restricted"}"#)))
    #expect(body["custom_fields"] == .object(JSONObject()))
    #expect(RecordMapping.parentAccess(for: file) != nil)
    #expect(RecordMapping.communities(for: file) == [])
  }

  @Test func resourceTypeFromUploadTypeAlone() {
    for (source, expected) in [
      (#"{"upload_type": "software"}"#, "software"),
      (#"{"upload_type": "image", "image_type": "photo"}"#, "image-photo"),
      (#"{"upload_type": "publication", "publication_type": "article"}"#, "publication-article"),
      (#"{"resource_type": "publication-thesis"}"#, "publication-dissertation"),
      (#"{"resource_type": "model", "upload_type": "dataset"}"#, "model"),
    ] {
      guard case .object(let object)? = try? Self.json(source) else {
        Issue.record("bad JSON \(source)")
        continue
      }
      #expect(RecordMapping.resourceType(object) == expected, "\(source)")
    }
  }

  @Test func externalDOIGoesToPIDs() throws {
    let file = try Self.load(text: "doi = \"10.1234/abc\"\n" + MetadataRulesTests.head)
    #expect(
      RecordMapping.draftBody(for: file)["pids"]
        == (try Self.json(#"{"doi": {"identifier": "10.1234/abc", "provider": "external"}}"#)))
    let none = try Self.load(text: MetadataRulesTests.head)
    #expect(RecordMapping.draftBody(for: none)["pids"] == nil)
    #expect(RecordMapping.parentAccess(for: none) == nil)
  }
}

/// How a draft read back is compared with what was sent.
@Suite struct RecordComparisonTests {
  func differences(_ local: String, _ remote: String) throws -> [String] {
    guard case .object(let mine) = try JSONReader.parse(local).value,
      case .object(let theirs) = try JSONReader.parse(remote).value
    else {
      Issue.record("not objects")
      return []
    }
    return RecordComparison.differences(local: mine, remote: theirs)
  }

  @Test func whatZenodoAddsIsNoDifference() throws {
    #expect(
      try differences(
        #"""
        {"metadata": {"creators": [{"person_or_org": {"type": "personal", "family_name": "Doe",
          "given_name": "Jane"}, "affiliations": [{"id": "01ggx4157", "name": "my CERN"}]}],
          "resource_type": {"id": "dataset"}, "title": " Padded "}}
        """#,
        #"""
        {"id": "abc", "metadata": {"creators": [{"person_or_org": {"type": "personal",
          "family_name": "Doe", "given_name": "Jane", "name": "Doe, Jane"},
          "affiliations": [{"id": "01ggx4157", "name": "European Organization for Nuclear Research"}]}],
          "resource_type": {"id": "dataset", "title": {"en": "Dataset"}}, "title": "Padded"}}
        """#) == [])
  }

  @Test func identifiersCompareByTheirCharacters() throws {
    let local =
      #"{"p": {"person_or_org": {"identifiers": [{"scheme": "isni", "identifier": "0000000121464 38X"}, {"scheme": "gnd", "identifier": "gnd:118540238"}]}}}"#
    #expect(
      try differences(
        local,
        #"{"p": {"person_or_org": {"identifiers": [{"scheme": "isni", "identifier": "0000-0001-2146-438X"}, {"scheme": "gnd", "identifier": "118540238"}]}}}"#
      ) == [])
    #expect(
      try differences(
        local,
        #"{"p": {"person_or_org": {"identifiers": [{"scheme": "isni", "identifier": "0000-0001-2146-4381"}, {"scheme": "gnd", "identifier": "118540238"}]}}}"#
      ) == ["p.person_or_org.identifiers.0"])
  }

  @Test func dropsAndChangesAreDifferences() throws {
    #expect(
      try differences(
        #"{"metadata": {"creators": [{"person_or_org": {"type": "organizational", "name": "Lab"}}], "publisher": "Z", "sizes": ["1"]}, "access": {"files": "restricted"}}"#,
        #"{"metadata": {"creators": [{"person_or_org": {"type": "personal", "family_name": "Lab", "name": "Lab"}}], "sizes": []}, "access": {"files": "public"}}"#
      ) == [
        "metadata.creators.0.person_or_org.type", "metadata.publisher", "metadata.sizes",
        "access.files",
      ])
    #expect(
      try differences(
        #"{"metadata": {"creators": [{"affiliations": [{"id": "01ggx4157"}, {"id": "00k4n6c32"}]}]}}"#,
        #"{"metadata": {"creators": [{"affiliations": [{"id": "01ggx4157"}]}]}}"#)
        == ["metadata.creators.0.affiliations"])
  }

  @Test func caseOfIdsAndDOIsDoesNotMatter() throws {
    #expect(
      try differences(
        #"{"r": [{"identifier": "10.5281/ZENODO.1", "scheme": "DOI", "relation_type": {"id": "cites"}}]}"#,
        #"{"r": [{"identifier": "10.5281/zenodo.1", "scheme": "doi", "relation_type": {"id": "cites", "title": {"en": "Cites"}}}]}"#
      ) == [])
    #expect(try differences(#"{"t": "Abc"}"#, #"{"t": "abc"}"#) == ["t"])
  }
}
