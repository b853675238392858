import EmulatorTestSupport
import Foundation
import Testing

/// One store, two APIs: what the legacy API writes reads back natively with the mapping of
/// `docs/zenodo-rdm-api.md` §9, and the other way round, losses included.
@Suite("Legacy and records API read-back")
struct CrossAPITests {
  @Test("Legacy in, native out: mapped fields, organisation creators become persons, losses")
  func legacyToNative() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["creators"] = [
      [
        "name": "Doe, Jane", "affiliation": "CERN",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
      ],
      ["name": "The Lab"],
    ]
    metadata["access_right"] = "restricted"
    metadata["access_conditions"] = "Ask nicely"
    metadata["journal_title"] = "J"
    metadata["journal_issn"] = "1234-5679"
    metadata["keywords"] = ["alpha"]
    metadata["notes"] = "Some notes"
    metadata["grants"] = [["id": "10.13039/501100000780::283595"]]
    metadata["thesis_supervisors"] = [["name": "Smith, Ann"]]
    metadata["contributors"] = [["name": "Roe, Rick", "type": "ContactPerson"]]
    metadata["language"] = "en"
    metadata["license"] = "cc-by"
    let deposit = try await fixture.alice.create(metadata)
    let id = try #require(int(deposit, "id"))
    let native = try await fixture.alice.rdm("GET", "/records/\(id)/draft")
    #expect(native.status == 200)
    let object = native.object
    #expect(string(object, "metadata", "resource_type", "id") == "software")
    #expect(string(object, "metadata", "creators", "1", "person_or_org", "type") == "personal")
    #expect(
      string(object, "metadata", "creators", "1", "person_or_org", "family_name") == "The Lab")
    #expect(string(object, "metadata", "creators", "0", "affiliations", "0", "name") == "CERN")
    #expect(
      string(object, "metadata", "creators", "0", "person_or_org", "identifiers", "0", "identifier")
        == "0000-0002-1825-0097")
    #expect(string(object, "access", "files") == "restricted")
    #expect(string(object, "access", "record") == "public")
    #expect(string(object, "custom_fields", "journal:journal", "title") == "J")
    #expect(
      value(object, "custom_fields", "journal:journal", "issn") == nil, "journal_issn is lost")
    #expect(!native.text.contains("Ask nicely"), "access_conditions is lost")
    #expect(string(object, "metadata", "subjects", "0", "subject") == "alpha")
    #expect(string(object, "metadata", "additional_descriptions", "0", "type", "id") == "notes")
    #expect(string(object, "metadata", "funding", "0", "funder", "id") == "00k4n6c32")
    #expect(string(object, "metadata", "funding", "0", "award", "id") == "00k4n6c32::283595")
    #expect(string(object, "metadata", "contributors", "0", "role", "id") == "supervisor")
    #expect(string(object, "metadata", "contributors", "1", "role", "id") == "contactperson")
    #expect(string(object, "metadata", "languages", "0", "id") == "eng")
    #expect(string(object, "metadata", "publisher") == "Zenodo")
    #expect(string(object, "metadata", "rights", "0", "id") == "cc-by-4.0")
    #expect(
      string(object, "metadata", "related_identifiers", "0", "relation_type", "id")
        == "isidenticalto")
  }

  @Test("Native in, legacy out: the Zenodo-JSON projection keeps the first affiliation, drops ROR")
  func nativeToLegacy() async throws {
    let fixture = try await Fixture()
    var body = rdmBody()
    var metadata = try #require(body["metadata"] as? [String: Any])
    metadata["languages"] = [["id": "eng"], ["id": "deu"]]
    metadata["rights"] = [["id": "cc-by-4.0"], ["id": "mit"]]
    metadata["subjects"] = [["subject": "kw"]]
    body["metadata"] = metadata
    let draft = try await fixture.alice.newDraft(body)
    let id = try #require(string(draft, "id"))
    let legacy = try await fixture.alice.deposit(Int(id) ?? 0)
    #expect(legacy.status == 200)
    let out = try #require(legacy.object["metadata"] as? [String: Any])
    #expect(string(out, "creators", "0", "name") == "Doe, Jane")
    #expect(
      string(out, "creators", "0", "affiliation") == "European Organization for Nuclear Research",
      "the ROR id's name, first affiliation only")
    #expect(string(out, "creators", "0", "orcid") == "0000-0002-1825-0097")
    #expect(string(out, "creators", "1", "name") == "The Lab")
    #expect(string(out, "language") == "eng", "only the first language")
    #expect(string(out, "license") == "cc-by-4.0", "only the first licence")
    #expect(value(out, "keywords") as? [String] == ["kw"])
    #expect(string(out, "upload_type") == "dataset")
    #expect(string(out, "related_identifiers", "0", "relation") == "isIdenticalTo")
    #expect(string(out, "imprint_publisher") == "Zenodo")
    let zenodo = try await fixture.alice.rdm(
      "GET", "/records/\(id)/draft", accept: "application/json")
    #expect(string(zenodo.object, "metadata", "resource_type", "type") == "dataset")
    #expect(string(zenodo.object, "metadata", "license", "id") == "cc-by-4.0")
  }

  @Test("Legacy deviations: scheme detection, communities message, supervisors first, /formats")
  func deviations() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["related_identifiers"] = [
      ["identifier": "2011ApJS..192...18K", "relation": "isAlternateIdentifier", "scheme": "ads"],
      ["identifier": "arXiv:1310.2590", "relation": "cites"],
      ["identifier": "0000-0002-1825-0097", "relation": "cites"],
      ["identifier": "Q42", "relation": "cites"],
      ["identifier": "hdl:20.1000/100", "relation": "cites"],
    ]
    metadata["contributors"] = [["name": "Roe, Rick", "type": "Editor"]]
    metadata["thesis_supervisors"] = [["name": "Smith, Ann"]]
    let deposit = try await fixture.alice.create(metadata)
    let related = value(deposit, "metadata", "related_identifiers") as? [[String: Any]] ?? []
    #expect(
      related.compactMap { $0["scheme"] as? String } == [
        "arxiv", "isni", "wikidata", "handle", "ads",
      ])
    #expect(string(deposit, "metadata", "contributors", "0", "type") == "Supervisor")
    #expect(string(deposit, "metadata", "contributors", "1", "type") == "Editor")
    var bad = validMetadata()
    bad["communities"] = ["zenodo"]
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions", json: ["metadata": bad])
    #expect(
      errorMessages(reply.object, "communities") == [
        "Communities must be an array of objects with an 'identifier' key."
      ])
    let id = try #require(int(deposit, "id"))
    #expect(try await fixture.alice.rdm("POST", "/records/\(id)/versions").status == 404)
    let formats = "/deposit/depositions/\(id)/formats"
    let unknown = try await fixture.alice.get(formats)
    #expect(unknown.status == 404, "application/json names a format that does not exist")
    let missing = try await fixture.alice.send("GET", formats, headers: [("Accept", "")])
    #expect(missing.text == #"{"message":"Invalid extra format MIMEType.","status":400}"#)
    let stored = try await fixture.alice.send(
      "PUT", formats, body: Data("custom xml".utf8),
      headers: [("Content-Type", "application/custom+xml")])
    #expect(stored.status == 200)
    let read = try await fixture.alice.send(
      "GET", formats, headers: [("Accept", "application/custom+xml")])
    #expect(read.text == "custom xml")
    let listed = try await fixture.alice.send("OPTIONS", formats)
    #expect(string(listed.array.first, "checksum") == "md5:e021897cee95295e216a1f911697bee9")
  }
}

/// The options the ported upstream suites need: superusers, metadata-only records, legacy
/// communities owned by the publisher.
@Suite("Emulator roles and options")
struct RoleTests {
  @Test("--superuser may update and delete another user's draft and set access.record")
  func superuser() async throws {
    let fixture = try await Fixture(["--user", "alice:A", "--user", "bob:B", "--superuser", "bob"])
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let put = try await fixture.bob.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": validMetadata(title: "By bob")])
    #expect(put.status == 200)
    var restricted = rdmBody()
    restricted["access"] = ["record": "restricted", "files": "restricted"]
    let access = try await fixture.bob.rdm("PUT", "/records/\(id)/draft", json: restricted)
    #expect(access.status == 200 && string(access.object, "access", "record") == "restricted")
    #expect(try await fixture.bob.send("DELETE", "/deposit/depositions/\(id)").status == 204)
  }

  @Test("--allow-metadata-only: files.enabled false is kept and publishes without files")
  func metadataOnly() async throws {
    let fixture = try await Fixture(["--allow-metadata-only"])
    var body = rdmBody()
    body["files"] = ["enabled": false]
    let draft = try await fixture.alice.newDraft(body)
    #expect(value(draft, "files", "enabled") as? Bool == false)
    #expect(errorMessages(draft, "files.enabled").isEmpty)
    let id = try #require(string(draft, "id"))
    #expect(
      try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish").status == 202)
  }

  @Test("Legacy communities owned by the publisher are joined at publish, the custom field dropped")
  func legacyCommunities() async throws {
    let fixture = try await Fixture(["--community", "rdm"])
    var metadata = validMetadata()
    metadata["communities"] = [["identifier": "rdm"]]
    let deposit = try await fixture.alice.create(metadata)
    #expect(
      value(deposit, "metadata", "communities") as? [[String: String]] == [["identifier": "rdm"]])
    let record = try await fixture.alice.published(metadata)
    let recordID = try #require(int(record, "id"))
    let read = try await fixture.alice.get("/records/\(recordID)")
    #expect(value(read.object, "metadata", "communities") as? [[String: String]] == [["id": "rdm"]])
    let native = try await fixture.alice.rdm("GET", "/records/\(recordID)")
    #expect(value(native.object, "custom_fields", "legacy:communities") == nil)
  }
}
