import EmulatorTestSupport
import Foundation
import Testing

/// §7 normalisation on lenient saves and §6/§8 strict validation at publish.
@Suite("§7 metadata")
struct MetadataTests {
  static let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))

  func saved(_ metadata: [String: Any], fixture: Fixture) async throws -> HTTPReply {
    try await fixture.alice.send("POST", "/deposit/depositions", json: ["metadata": metadata])
  }

  @Test(
    "Licence ids are read back rewritten",
    arguments: [
      ("CC-BY-4.0", "cc-by-4.0"), ("cc-by", "cc-by-4.0"), ("CC0-1.0", "cc-zero"),
      ("cc-zero", "cc-zero"),
      ("MIT", "mit-license"), ("Apache-2.0", "apache2.0"), ("GPL-3.0", "gpl-3.0"),
      ("BSD-3-Clause", "bsd-3-clause"),
    ])
  func licences(input: String, readBack: String) async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["license"] = input
    let reply = try await saved(metadata, fixture: fixture)
    #expect(reply.status == 201)
    #expect(string(reply.object, "metadata", "license") == readBack)
  }

  @Test("An unknown licence is a 400 on metadata.license")
  func unknownLicence() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["license"] = "not-a-licence"
    let reply = try await saved(metadata, fixture: fixture)
    #expect(reply.status == 400)
    #expect(string(reply.object, "errors", "0", "field") == "metadata.license")
    #expect(
      value(reply.object, "errors", "0", "messages") as? [String] == [
        "Invalid license provided: not-a-licence"
      ])
  }

  @Test(
    "Defaults and rewrites: closed→restricted, publication_date today, publisher Zenodo, supervisors"
  )
  func defaults() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["access_right"] = "closed"
    metadata["thesis_supervisors"] = [["name": "Smith, Ann"]]
    metadata["unknown_inner_key"] = "dropped"
    metadata["related_identifiers"] = [
      ["identifier": "URN:zenodo:owner:repo", "relation": "isIdenticalTo"],
      ["identifier": "https://example.org/alt", "relation": "isAlternateIdentifier"],
      ["identifier": "10.1234/abc", "relation": "isSupplementTo"],
    ]
    let reply = try await saved(metadata, fixture: fixture)
    #expect(reply.status == 201)
    let saved = reply.object
    #expect(string(saved, "metadata", "access_right") == "restricted")
    #expect(string(saved, "metadata", "publication_date") == Self.today)
    #expect(string(saved, "metadata", "imprint_publisher") == "Zenodo")
    #expect(value(saved, "metadata", "thesis_supervisors") == nil)
    #expect(string(saved, "metadata", "contributors", "0", "type") == "Supervisor")
    #expect(string(saved, "metadata", "contributors", "0", "name") == "Smith, Ann")
    #expect(value(saved, "metadata", "unknown_inner_key") == nil)
    #expect(
      string(saved, "metadata", "related_identifiers", "0", "identifier") == "urn:zenodo:owner:repo"
    )
    #expect(
      string(saved, "metadata", "related_identifiers", "2", "relation") == "isAlternateIdentifier")
    #expect(string(saved, "metadata", "prereserve_doi", "doi") != nil)

    var open = validMetadata()
    open["upload_type"] = "dataset"
    #expect(
      string(try await self.saved(open, fixture: fixture).object, "metadata", "license")
        == "cc-zero")
    #expect(
      string(try await self.saved(validMetadata(), fixture: fixture).object, "metadata", "license")
        == "cc-by-4.0")
  }

  @Test("Deserializer errors are immediate 400s with field paths")
  func immediateErrors() async throws {
    let fixture = try await Fixture()
    let cases: [(String, Any, String, String)] = [
      (
        "related_identifiers", "x", "metadata.related_identifiers",
        "related_identifiers must be a list"
      ),
      (
        "related_identifiers", ["x"], "metadata.related_identifiers.0",
        "Each related identifier must be an object"
      ),
      (
        "related_identifiers", [["identifier": "urn:a:b", "relation": 3]] as [[String: Any]],
        "metadata.related_identifiers.0.relation",
        "relation must be a string"
      ),
      (
        "language", "english", "metadata.language",
        "Language must be either ISO-639-1 or 639-2 compatible."
      ),
      ("access_right", "embargoed", "_schema", "Unknown access type."),
    ]
    for (key, bad, field, message) in cases {
      var metadata = validMetadata()
      metadata[key] = bad
      let reply = try await saved(metadata, fixture: fixture)
      #expect(reply.status == 400, "\(key)")
      #expect(string(reply.object, "message") == "A validation error occurred.")
      #expect(string(reply.object, "errors", "0", "field") == field, "\(key)")
      #expect(value(reply.object, "errors", "0", "messages") as? [String] == [message], "\(key)")
    }
  }

  @Test("Lenient save drops a too-short title; an unknown upload type is a 400 from the vocabulary")
  func lenient() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata()
    metadata["title"] = "ab"
    let reply = try await saved(metadata, fixture: fixture)
    #expect(reply.status == 201)
    #expect(value(reply.object, "metadata", "title") == nil)
    #expect(string(reply.object, "title") == "")
    var unknownType = validMetadata()
    unknownType["upload_type"] = "not-a-type"
    let rejected = try await saved(unknownType, fixture: fixture)
    #expect(rejected.status == 400)
    #expect(rejected.text == #"{"message":"Invalid value not-a-type.","status":400}"#)
  }

  @Test("Publish validates strictly with the RDM error shape, metadata before files")
  func publishValidation() async throws {
    let fixture = try await Fixture()
    let empty = try await fixture.alice.create([:])
    let id = try #require(int(empty, "id"))
    let reply = try await fixture.alice.action(id, "publish")
    #expect(reply.status == 400)
    #expect(string(reply.object, "message") == "A validation error occurred.")
    let fields = Set(
      (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
    #expect(fields == ["metadata.resource_type", "metadata.title", "metadata.creators"])
    #expect(
      value(reply.object, "errors", "0", "messages") as? [String] == [
        "Missing data for required field."
      ])

    var short = validMetadata()
    short["title"] = "ab"
    short["creators"] = [["name": ", Jane"]]
    let shortDeposit = try await fixture.alice.create(short)
    try await fixture.alice.upload(shortDeposit, key: "a.txt", text: "a")
    let shortReply = try await fixture.alice.action(int(shortDeposit, "id")!, "publish")
    #expect(shortReply.status == 400)
    let shortFields = Set(
      (shortReply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
    #expect(shortFields == ["metadata.title", "metadata.creators.0.person_or_org.family_name"])

    let noFiles = try await fixture.alice.create()
    let filesReply = try await fixture.alice.action(int(noFiles, "id")!, "publish")
    #expect(filesReply.status == 400)
    #expect(string(filesReply.object, "errors", "0", "field") == "files.enabled")
    #expect(
      value(filesReply.object, "errors", "0", "messages") as? [String]
        == [
          "Missing uploaded files. To disable files for this record please mark it as metadata-only."
        ])
  }

  @Test("Echoing a published deposit's metadata back keeps Zenodo's DOI server-managed")
  func echoedDOI() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.published()
    let id = try #require(int(record, "id"))
    let metadata = try #require(record["metadata"] as? [String: Any])
    #expect(string(metadata, "doi") == "10.5281/zenodo.\(id)")
    #expect(try await fixture.alice.action(id, "edit").status == 201)
    let put = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": metadata])
    #expect(put.status == 200)
    #expect(string(put.object, "doi") == "10.5281/zenodo.\(id)")
    #expect(try await fixture.alice.action(id, "publish").status == 202)
    let draft = try await fixture.alice.action(id, "newversion")
    #expect(draft.status == 201)
    #expect(draft.object["doi"] == nil, "a new-version draft has no DOI until published")
    #expect(value(draft.object, "metadata", "doi") == nil)
    var empty = validMetadata()
    empty["doi"] = ""
    let created = try await fixture.alice.create(empty)
    #expect(created["doi"] == nil)
  }
}
