import EmulatorTestSupport
import Foundation
import Testing

/// `docs/zenodo-rdm-api.md` §11.1 rows 8–10: files, user search, reviews and communities.
@Suite("Records API files, search, reviews")
struct RDMFileSearchTests {
  @Test("§11.1.8 files: three steps with md5, slash keys, duplicates, empty commit, locked edit")
  func files() async throws {
    let fixture = try await Fixture(["--max-files", "3"])
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    let commit = try await fixture.alice.uploadRDM(id, key: "dir/sub/a b.txt", text: "hello")
    #expect(commit.status == 200)
    #expect(string(commit.object, "checksum") == "md5:" + (try await md5sum("hello")))
    #expect(string(commit.object, "status") == "completed")
    #expect(int(commit.object, "size") == 5)
    let download = try await fixture.alice.rdm(
      "GET", "/records/\(id)/draft/files/dir/sub/a%20b.txt/content", accept: "*/*")
    #expect(download.text == "hello")
    let duplicate = try await fixture.alice.rdm(
      "POST", "/records/\(id)/draft/files", json: [["key": "dir/sub/a b.txt"]])
    #expect(
      duplicate.text == #"{"message":"File with key dir/sub/a b.txt already exists.","status":400}"#
    )
    let none = try await fixture.alice.rdm("POST", "/records/\(id)/draft/files", json: [Any]())
    #expect(errorMessages(none.object, "_schema") == ["No files to upload."])
    _ = try await fixture.alice.rdm("POST", "/records/\(id)/draft/files", json: [["key": "empty"]])
    _ = try await fixture.alice.send(
      "PUT", "/records/\(id)/draft/files/empty/content", body: Data(),
      headers: [("Content-Type", "application/octet-stream")])
    let empty = try await fixture.alice.rdm("POST", "/records/\(id)/draft/files/empty/commit")
    #expect(empty.text == #"{"message":"Empty files are not accepted.","status":400}"#)
    let tooMany = try await fixture.alice.rdm(
      "POST", "/records/\(id)/draft/files", json: [["key": "x"], ["key": "y"]])
    #expect(string(tooMany.object, "message")?.contains("exceeding the max amount") == true)
    let uninitialised = try await fixture.alice.send(
      "PUT", "/records/\(id)/draft/files/nope/content", body: Data("x".utf8),
      headers: [("Content-Type", "application/octet-stream")])
    #expect(uninitialised.status == 404)
    #expect(try await fixture.alice.rdm("DELETE", "/records/\(id)/draft/files/empty").status == 204)
    #expect(
      try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish").status == 202)
    #expect(try await fixture.alice.rdm("POST", "/records/\(id)/draft").status == 201)
    let locked = try await fixture.alice.rdm(
      "DELETE", "/records/\(id)/draft/files/dir/sub/a%20b.txt")
    #expect(locked.text == #"{"message":"Bucket is locked for modifications.","status":403}"#)
    _ = try await fixture.alice.rdm("POST", "/records/\(id)/draft/files", json: [["key": "new"]])
    let content = try await fixture.alice.send(
      "PUT", "/records/\(id)/draft/files/new/content", body: Data("x".utf8),
      headers: [("Content-Type", "application/octet-stream")])
    #expect(content.status == 403)
  }

  @Test("§11.1.9 user search: drafts included, edit draft replaces record, one hit per concept")
  func userSearch() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.publishedRDM(rdmBody(title: "First record"))
    let id = try #require(string(record, "id"))
    _ = try await fixture.alice.newDraft(rdmBody(title: "Never published"))
    let version = try await fixture.alice.rdm("POST", "/records/\(id)/versions")
    let versionID = try #require(string(version.object, "id"))
    let list = try await fixture.alice.rdm("GET", "/user/records")
    #expect(int(list.object, "hits", "total") == 2)
    let ids = (value(list.object, "hits", "hits") as? [[String: Any]] ?? []).compactMap {
      $0["id"] as? String
    }
    #expect(ids.contains(versionID))
    #expect(!ids.contains(id), "one hit per concept: the pending version stands for it")
    let all = try await fixture.alice.rdm("GET", "/user/records?allversions=true")
    #expect(int(all.object, "hits", "total") == 3)
    let query = try await fixture.alice.rdm(
      "GET",
      "/user/records?allversions=true&q=metadata.related_identifiers.identifier:%22urn:zenodo:owner:repo%22"
    )
    #expect(int(query.object, "hits", "total") == 3)
    let title = try await fixture.alice.rdm("GET", "/user/records?q=metadata.title:never")
    #expect(int(title.object, "hits", "total") == 1)
    let shared = try await fixture.alice.rdm("GET", "/user/records?shared_with_me=true")
    #expect(int(shared.object, "hits", "total") == 0)
    let big = try await fixture.alice.rdm("GET", "/user/records?size=101")
    #expect(errorMessages(big.object, "size") == ["Page size cannot be greater than 100."])
    #expect(int(try await fixture.bob.rdm("GET", "/user/records").object, "hits", "total") == 0)
    let zenodo = try await fixture.alice.rdm("GET", "/user/records", accept: "application/json")
    #expect(value(zenodo.object, "hits", "hits", "0", "id") is Int)
    #expect(zenodo.object["sortBy"] == nil)
  }

  @Test("§11.1.10 reviews: PUT 200, open review blocks publish, owner's submit auto-accepts")
  func reviews() async throws {
    let fixture = try await Fixture(["--community", "ours:alice", "--community", "theirs:bob"])
    let community = try await fixture.alice.rdm(
      "GET", "/communities/ours", accept: "application/json")
    #expect(community.status == 200)
    let communityID = try #require(string(community.object, "id"))
    #expect(try await fixture.alice.rdm("GET", "/communities/nope").status == 404)
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    try await fixture.alice.uploadRDM(id, key: "a.txt", text: "a")
    let review: [String: Any] = [
      "receiver": ["community": communityID], "type": "community-submission",
    ]
    let put = try await fixture.alice.rdm("PUT", "/records/\(id)/draft/review", json: review)
    #expect(put.status == 200 && string(put.object, "status") == "created")
    let blocked = try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(
      string(blocked.object, "message")
        == "You cannot publish a draft with an open review request. Please cancel the review request first."
    )
    let submitted = try await fixture.alice.rdm(
      "POST", "/records/\(id)/draft/actions/submit-review")
    #expect(submitted.status == 202 && string(submitted.object, "status") == "accepted")
    let record = try await fixture.alice.rdm("GET", "/records/\(id)")
    #expect(value(record.object, "parent", "communities", "ids") as? [String] == [communityID])

    let other = try await fixture.alice.newDraft()
    let otherID = try #require(string(other, "id"))
    try await fixture.alice.uploadRDM(otherID, key: "a.txt", text: "a")
    let theirs = try await fixture.alice.rdm("GET", "/communities/theirs")
    let theirsID = try #require(string(theirs.object, "id"))
    _ = try await fixture.alice.rdm(
      "PUT", "/records/\(otherID)/draft/review",
      json: ["receiver": ["community": theirsID], "type": "community-submission"])
    let open = try await fixture.alice.rdm(
      "POST", "/records/\(otherID)/draft/actions/submit-review")
    #expect(string(open.object, "status") == "submitted")
    #expect(try await fixture.alice.rdm("DELETE", "/records/\(otherID)/draft/review").status == 400)
    let requestID = try #require(string(open.object, "id"))
    let accepted = try await fixture.bob.rdm("POST", "/requests/\(requestID)/actions/accept")
    #expect(string(accepted.object, "status") == "accepted")
    #expect(try await fixture.alice.rdm("GET", "/records/\(otherID)").status == 200)

    let third = try await fixture.alice.publishedRDM()
    let thirdID = try #require(string(third, "id"))
    let inclusion = try await fixture.alice.rdm(
      "POST", "/records/\(thirdID)/communities",
      json: ["communities": [["id": "theirs"], ["id": "missing"]]])
    #expect(inclusion.status == 200)
    #expect(string(inclusion.object, "errors", "0", "message") == "Community not found.")
    let none = try await fixture.alice.rdm(
      "POST", "/records/\(thirdID)/communities", json: ["communities": [["id": "missing"]]])
    #expect(none.status == 400)
  }

  @Test("Restricted and draft file content: 403 before the key; remote transfers refused; preview")
  func filePermissions() async throws {
    let fixture = try await Fixture()
    var body = rdmBody()
    body["access"] = ["record": "public", "files": "restricted"]
    let draft = try await fixture.alice.newDraft(body)
    let id = try #require(string(draft, "id"))
    try await fixture.alice.uploadRDM(id, key: "test.pdf", text: "pdf")
    let content = "/records/\(id)/draft/files/test.pdf/content"
    #expect(try await fixture.anonymous.rdm("GET", content, accept: "*/*").status == 403)
    #expect(try await fixture.bob.rdm("GET", content, accept: "*/*").status == 403)
    #expect(try await fixture.alice.rdm("GET", content, accept: "*/*").status == 200)
    let remote = try await fixture.alice.rdm(
      "POST", "/records/\(id)/draft/files",
      json: [["key": "r.pdf", "transfer": ["type": "R", "url": "https://example.com/r.pdf"]]])
    #expect(remote.status == 403)
    var preview = body
    preview["files"] = ["enabled": true, "default_preview": "test.pdf"]
    let put = try await fixture.alice.rdm("PUT", "/records/\(id)/draft", json: preview)
    #expect(string(put.object, "files", "default_preview") == "test.pdf")
    #expect(
      try await fixture.alice.rdm("POST", "/records/\(id)/draft/actions/publish").status == 202)
    let published = "/records/\(id)/files/test.pdf/content"
    #expect(try await fixture.bob.rdm("GET", published, accept: "*/*").status == 403)
  }

  @Test("Community records and request bodies: created_by, number; unknown community 404")
  func communityRecords() async throws {
    let fixture = try await Fixture(["--community", "ours"])
    #expect(try await fixture.alice.rdm("GET", "/communities/abcdef/records").status == 404)
    let empty = try await fixture.alice.rdm("GET", "/communities/ours/records")
    #expect(int(empty.object, "hits", "total") == 0)
    let draft = try await fixture.alice.newDraft()
    let id = try #require(string(draft, "id"))
    try await fixture.alice.uploadRDM(id, key: "a.txt", text: "a")
    let put = try await fixture.alice.rdm(
      "PUT", "/records/\(id)/draft/review",
      json: ["receiver": ["community": "ours"], "type": "community-submission"])
    #expect(string(put.object, "created_by", "user") == "1")
    #expect(put.object["number"] != nil)
    #expect(string(put.object, "title") == "Records API test", "the draft's title")
    let submitted = try await fixture.alice.rdm(
      "POST", "/records/\(id)/draft/actions/submit-review",
      json: ["payload": ["content": "What do you think?", "format": "html"]])
    let timeline = try #require(string(submitted.object, "links", "timeline"))
    let events = try await fixture.alice.rdm("GET", timeline)
    #expect(int(events.object, "hits", "total") == 2, "the comment, the accept log event")
    let one = try await fixture.alice.rdm("GET", "/communities/ours/records")
    #expect(int(one.object, "hits", "total") == 1)
    let published = try await fixture.alice.rdm("GET", "/user/records?is_published=true")
    #expect(int(published.object, "hits", "total") == 1)
    let drafts = try await fixture.alice.rdm("GET", "/user/records?is_published=false")
    #expect(int(drafts.object, "hits", "total") == 0)
  }
}
