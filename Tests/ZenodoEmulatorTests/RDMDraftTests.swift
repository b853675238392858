import EmulatorTestSupport
import Foundation
import Testing

/// `docs/zenodo-rdm-api.md` §11.1 rows 1–7: negotiation, status codes, lax save, hard 400s,
/// strict publish, ids, versions.
@Suite("Records API drafts")
struct RDMDraftTests {
  @Test("§11.1.1 Accept: native with ui, Zenodo JSON for application/json, */* and none, 406 else")
  func negotiation() async throws {
    let fixture = try await Fixture()
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    #expect(draft["ui"] != nil && draft["parent"] != nil && draft["pids"] != nil)
    for accept in ["application/json", "*/*", ""] {
      let reply = try await fixture.alice.rdm("GET", "/records/\(id)/draft", accept: accept)
      #expect(reply.status == 200, "\(accept)")
      #expect(reply.object["id"] as? Int == Int(id), "\(accept): id is an int")
      #expect(string(reply.object, "recid") == id)
      #expect(string(reply.object, "state") == "unsubmitted")
      #expect(reply.object["submitted"] as? Bool == false)
      #expect(reply.object["files"] is [Any])
      #expect(reply.object["pids"] == nil && reply.object["errors"] == nil)
      #expect(string(reply.object, "metadata", "creators", "0", "name") == "Doe, Jane")
    }
    let refused = try await fixture.alice.rdm("GET", "/records/\(id)/draft", accept: "text/html")
    #expect(refused.status == 406)
    #expect(string(refused.object, "message")?.hasPrefix("Invalid 'Accept' header.") == true)
    let files = try await fixture.alice.rdm("GET", "/records/\(id)/draft/files")
    #expect(files.status == 200, "draft files accept the native type")
    let record = try await fixture.alice.publishedRDM()
    let recordID = try #require(string(record, "id"))
    #expect(try await fixture.alice.rdm("GET", "/records/\(recordID)/files").status == 406)
    #expect(
      try await fixture.alice.rdm("GET", "/records/\(recordID)/files", accept: "application/json")
        .status == 200)
    let octet = try await fixture.alice.rdm(
      "GET", "/records/\(recordID)/files/data.csv/content", accept: "application/octet-stream")
    #expect(octet.status == 406)
    let content = try await fixture.alice.rdm(
      "GET", "/records/\(recordID)/files/data.csv/content", accept: "*/*")
    #expect(content.status == 200 && content.text == "1,2,3\n")
  }

  @Test(
    "§11.1.2 status codes: create 201, read/update 200, edit 201 twice, publish 202, delete 204")
  func statusCodes() async throws {
    let fixture = try await Fixture()
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    #expect(try await fixture.alice.rdm("GET", "/records/\(id)/draft").status == 200)
    #expect(
      try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: rdmBody()).status == 200)
    #expect(try await fixture.alice.rdm("POST", "/records/\(id)/draft/pids/doi").status == 201)
    let discarded = try await fixture.alice.rdm("DELETE", "/records/\(id)/draft/pids/doi")
    #expect(discarded.status == 200)
    #expect((discarded.object["pids"] as? [String: Any])?["doi"] == nil)
    try await fixture.alice.uploadRDM(id, key: "a.txt", text: "a")
    #expect(
      try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish").status == 202)
    #expect(try await fixture.alice.rdm("GET", "/records/\(id)/draft").status == 404)
    #expect(try await fixture.alice.rdm("POST", "/records/\(id)/draft").status == 201)
    #expect(try await fixture.alice.rdm("POST", "/records/\(id)/draft").status == 201)
    #expect(try await fixture.alice.rdm("DELETE", "/records/\(id)/draft").status == 204)
    #expect(try await fixture.alice.rdm("GET", "/records/\(id)").status == 200)
    let other = try await fixture.alice.newDraft()
    let otherID = try #require(string(other, "id"))
    #expect(try await fixture.alice.rdm("DELETE", "/records/\(otherID)/draft").status == 204)
    let gone = try await fixture.alice.rdm("GET", "/records/\(otherID)/draft")
    #expect(gone.text == #"{"message":"The persistent identifier does not exist.","status":404}"#)
    #expect(try await fixture.bob.rdm("POST", "/records/\(id)/draft").status == 403)
  }

  @Test("§11.1.3 lax save: errors listed, invalid values dropped, PUT replaces metadata only")
  func laxSave() async throws {
    let fixture = try await Fixture()
    var body = rdmBody(publisher: nil)
    var metadata = try #require(body["metadata"] as? [String: Any])
    metadata["title"] = "ab"
    metadata["keywords"] = ["x"]
    body["metadata"] = metadata
    body["files"] = ["enabled": false]
    body["unknown_top"] = 1
    let draft = try await fixture.alice.newDraft(body)
    #expect(errorMessages(draft, "metadata.title") == ["Shorter than minimum length 3."])
    #expect(errorMessages(draft, "metadata.keywords") == ["Unknown field."])
    #expect(
      errorMessages(draft, "files.enabled") == [
        "You don't have permissions to manage files options."
      ], "a refused toggle reports only itself")
    #expect(
      errorMessages(draft, "metadata.publisher") == [
        "Missing publisher field required for DOI registration."
      ])
    #expect(value(draft, "metadata", "title") == nil)
    #expect(value(draft, "files", "enabled") as? Bool == true)
    let id = try #require(string(draft, "id"))
    let read = try await fixture.alice.rdm("GET", "/records/\(id)/draft")
    #expect(read.object["errors"] == nil, "a read re-runs no schema")
    _ = try await fixture.alice.rdm("POST", "/records/\(id)/draft/pids/doi")
    let put = try await fixture.alice.rdm(
      "PUT", "/records/\(id)/draft", json: ["metadata": ["title": "Only a title"]])
    #expect(put.status == 200)
    #expect(value(put.object, "metadata", "creators") == nil, "metadata is replaced")
    #expect(value(put.object, "custom_fields", "journal:journal") == nil)
    #expect(string(put.object, "pids", "doi", "identifier") == "10.5281/zenodo.\(id)")
    #expect(string(put.object, "access", "record") == "public")
  }

  @Test(
    "§11.1.4 hard 400s: unknown vocabulary id, non-depositable type, access.record; nothing saved")
  func hardErrors() async throws {
    let fixture = try await Fixture()
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    func put(_ change: (inout [String: Any]) -> Void) async throws -> HTTPReply {
      var body = rdmBody()
      var metadata = body["metadata"] as? [String: Any] ?? [:]
      change(&metadata)
      body["metadata"] = metadata
      return try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: body)
    }
    let language = try await put { $0["languages"] = [["id": "xx-not"]] }
    #expect(language.text == #"{"message":"Invalid value xx-not.","status":400}"#)
    let type = try await put { $0["resource_type"] = ["id": "project"] }
    #expect(type.text == #"{"message":"Not a valid value.","status":400}"#)
    let ror = try await put {
      $0["creators"] = [
        [
          "person_or_org": ["type": "personal", "family_name": "X"],
          "affiliations": [["id": "01ggx4158"]],
        ]
      ]
    }
    #expect(ror.text == #"{"message":"Invalid value 01ggx4158.","status":400}"#, "bad ROR checksum")
    var restricted = rdmBody()
    restricted["access"] = ["record": "restricted", "files": "public"]
    let access = try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: restricted)
    #expect(access.status == 400)
    #expect(errorFields(access) == ["access"])
    let after = try await fixture.alice.rdm("GET", "/records/\(id)/draft")
    #expect(string(after.object, "metadata", "title") == "Records API test", "nothing saved")
    var files = rdmBody()
    files["access"] = ["record": "public", "files": "restricted"]
    #expect(try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: files).status == 200)
  }

  @Test("§11.1.5 strict publish: schema errors together, then files, then publisher; DOIs minted")
  func strictPublish() async throws {
    let fixture = try await Fixture()
    let empty = try await fixture.alice.rdm("POST", "/records", json: [String: Any]())
    let id = try #require(string(empty.object, "id"))
    let first = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(first.status == 400)
    #expect(
      Set(errorFields(first)) == [
        "metadata.resource_type", "metadata.title", "metadata.publication_date",
        "metadata.creators",
      ])
    _ = try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: rdmBody(publisher: nil))
    let files = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(errorFields(files) == ["files.enabled"])
    _ = try await fixture.alice.rdm("POST", "/records/\(id)/draft/files", json: [["key": "a.txt"]])
    let pending = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(
      errorMessages(pending.object, "files") == [
        "One or more files have not completed their transfer, please wait."
      ])
    _ = try await fixture.alice.rdm("DELETE", "/records/\(id)/draft/files/a.txt")
    try await fixture.alice.uploadRDM(id, key: "a.txt", text: "a")
    let publisher = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(errorFields(publisher) == ["metadata.publisher"])
    _ = try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: rdmBody())
    let published = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(published.status == 202)
    #expect(string(published.object, "pids", "doi", "identifier") == "10.5281/zenodo.\(id)")
    #expect(string(published.object, "pids", "oai", "identifier") == "oai:zenodo.org:\(id)")
    let parent = try #require(string(published.object, "parent", "id"))
    #expect(Int(parent) == Int(id).map { $0 - 1 }, "§11.1.6 parent = first version − 1")
    #expect(
      string(published.object, "parent", "pids", "doi", "identifier") == "10.5281/zenodo.\(parent)")
    var literal = fixture.alice
    literal.followRedirects = false
    let concept = try await literal.rdm("GET", "/records/\(parent)")
    #expect(concept.status == 302)
    #expect(concept.header("Location")?.hasSuffix("/api/records/\(id)") == true)
  }

  @Test("§11.1.7 versions: copies metadata minus version, today's date, no files; 404 unpublished")
  func versions() async throws {
    let fixture = try await Fixture()
    var body = rdmBody()
    var metadata = try #require(body["metadata"] as? [String: Any])
    metadata["version"] = "1.0"
    body["metadata"] = metadata
    let record = try await fixture.alice.publishedRDM(body)
    let id = try #require(string(record, "id"))
    let draft = try await fixture.alice.rdm("POST", "/records/\(id)/versions")
    #expect(draft.status == 201)
    let newID = try #require(string(draft.object, "id"))
    #expect(value(draft.object, "metadata", "version") == nil)
    #expect(string(draft.object, "metadata", "publication_date") == MetadataTests.today)
    #expect(
      value(draft.object, "custom_fields", "journal:journal", "issn") as? String == "1234-5679")
    #expect((value(draft.object, "files", "entries") as? [String: Any])?.isEmpty == true)
    #expect((draft.object["pids"] as? [String: Any])?.isEmpty == true)
    #expect(int(draft.object, "versions", "index") == 2)
    let again = try await fixture.alice.rdm("POST", "/records/\(id)/versions")
    #expect(again.status == 201 && string(again.object, "id") == newID)
    let imported = try await fixture.alice.rdm(
      "POST", "/records/\(newID)/draft/actions/files-import")
    #expect(imported.status == 201)
    #expect(string(imported.object, "entries", "0", "key") == "data.csv")
    let twice = try await fixture.alice.rdm("POST", "/records/\(newID)/draft/actions/files-import")
    #expect(errorMessages(twice.object, "files.enabled") == ["Please remove all files first."])
    let unpublished = try await fixture.alice.rdm("POST", "/records/\(newID)/versions")
    #expect(unpublished.status == 404)
    #expect(string(unpublished.object, "message") == "The persistent identifier is not registered.")
    #expect(
      try await fixture.alice.rdm("POST", "/records/\(newID)/draft/actions/publish").status == 202)
    var literal = fixture.alice
    literal.followRedirects = false
    let latest = try await literal.rdm("GET", "/records/\(id)/versions/latest")
    #expect(latest.status == 301)
    #expect(string(latest.object, "location")?.hasSuffix("/records/\(newID)") == true)
    let list = try await fixture.alice.rdm("GET", "/records/\(id)/versions")
    #expect(int(list.object, "hits", "total") == 2)
    #expect(string(list.object, "hits", "hits", "0", "id") == newID)
  }
}
