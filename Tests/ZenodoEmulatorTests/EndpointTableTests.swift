import EmulatorTestSupport
import Foundation
import Testing

/// Every row of the legacy endpoint table (`docs/zenodo-api.md`), over HTTP to a real emulator process.
@Suite("§3 endpoint table")
struct EndpointTableTests {
  @Test("GET /deposit/depositions answers a bare JSON array")
  func listIsBareArray() async throws {
    let fixture = try await Fixture()
    _ = try await fixture.alice.create()
    let reply = try await fixture.alice.get("/deposit/depositions")
    #expect(reply.status == 200)
    #expect(reply.json is [Any])
    #expect(reply.array.count == 1)
  }

  @Test("POST /deposit/depositions: 201 unsubmitted draft with ids, prereserved DOI and links")
  func create() async throws {
    let fixture = try await Fixture()
    let reply = try await fixture.alice.send("POST", "/deposit/depositions", json: [String: Any]())
    #expect(reply.status == 201)
    let deposit = reply.object
    let id = try #require(int(deposit, "id"))
    #expect(int(deposit, "record_id") == id)
    #expect(string(deposit, "conceptrecid") == String(id - 1))
    #expect(string(deposit, "state") == "unsubmitted")
    #expect(deposit["submitted"] as? Bool == false)
    #expect(deposit["doi"] == nil)
    #expect(string(deposit, "title") == "")
    #expect(int(deposit, "owner") == 1)
    #expect(string(deposit, "metadata", "prereserve_doi", "doi") == "10.5281/zenodo.\(id)")
    #expect(int(deposit, "metadata", "prereserve_doi", "recid") == id)
    let api = fixture.emulator.apiURL
    #expect(string(deposit, "links", "self") == "\(api)/deposit/depositions/\(id)")
    #expect(string(deposit, "links", "latest_draft") == "\(api)/deposit/depositions/\(id)")
    #expect(string(deposit, "links", "files") == "\(api)/deposit/depositions/\(id)/files")
    #expect(
      string(deposit, "links", "publish") == "\(api)/deposit/depositions/\(id)/actions/publish")
    #expect(string(deposit, "links", "bucket")?.hasPrefix("\(api)/files/") == true)
    #expect(string(deposit, "links", "html")?.hasSuffix("/deposit/\(id)") == true)
    #expect(value(deposit, "links", "record") == nil)
    #expect((deposit["files"] as? [Any])?.isEmpty == true)
    #expect(reply.header("ETag") != nil)

    let second = try await fixture.alice.create()
    #expect(int(second, "id") == id + 2, "one counter: concept id and record id per deposit")
  }

  @Test("POST /deposit/depositions with an unknown top-level key: 400")
  func createUnknownKey() async throws {
    let fixture = try await Fixture()
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions", json: ["unknownkey": "x"])
    #expect(reply.status == 400)
    #expect(string(reply.object, "message") == "A validation error occurred.")
    #expect(string(reply.object, "errors", "0", "field") == "unknownkey")
  }

  @Test("POST with a non-JSON Content-Type: 415")
  func createWrongContentType() async throws {
    let fixture = try await Fixture()
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions", body: Data("{}".utf8),
      headers: [("Content-Type", "text/plain")])
    #expect(reply.status == 415)
    #expect(
      string(reply.object, "message")
        == "Invalid 'Content-Type' header. Expected one of: application/json")
  }

  @Test("POST with a JSON body and no Content-Type: parsed as JSON, as zenodo.org does")
  func createWithoutContentType() async throws {
    let fixture = try await Fixture()
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions",
      body: Data(#"{"metadata": {"title": "No header"}}"#.utf8), headers: [])
    #expect(reply.status == 201)
    #expect(string(reply.object, "metadata", "title") == "No header")
  }

  @Test("GET /deposit/depositions/{id}: 200, unknown 404, someone else's 403, anonymous 403")
  func read() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.deposit(id)
    #expect(reply.status == 200)
    #expect(int(reply.object, "id") == id)
    let missing = try await fixture.alice.deposit(999_999)
    #expect(missing.status == 404)
    #expect(
      missing.text == #"{"message":"The persistent identifier does not exist.","status":404}"#)
    let other = try await fixture.bob.deposit(id)
    #expect(other.status == 403)
    #expect(other.text == permissionDenied)
    let anonymous = try await fixture.anonymous.deposit(id)
    #expect(anonymous.status == 403)
    #expect(anonymous.text == permissionDenied)
    let wrongToken = try await EmulatorHTTP(apiURL: fixture.emulator.apiURL, token: "wrong").get(
      "/deposit/depositions")
    #expect(wrongToken.status == 403)
    #expect(wrongToken.text == permissionDenied)
  }

  @Test("?access_token= authenticates like the Bearer header")
  func accessTokenQuery() async throws {
    let fixture = try await Fixture()
    let token = fixture.emulator.token("alice")
    let reply = try await fixture.anonymous.send(
      "POST", "/deposit/depositions?access_token=\(token)", json: [:] as [String: Any])
    #expect(reply.status == 201)
    #expect(int(reply.object, "owner") == 1)
  }

  @Test("PUT /deposit/depositions/{id}: 200 full replacement; published without draft 404")
  func update() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": ["title": "Only a title"]])
    #expect(reply.status == 200)
    #expect(string(reply.object, "title") == "Only a title")
    #expect(value(reply.object, "metadata", "creators") == nil, "PUT replaces the whole metadata")
    #expect(value(reply.object, "metadata", "version") == nil)

    let record = try await fixture.alice.published()
    let recordID = try #require(int(record, "id"))
    let published = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(recordID)", json: ["metadata": validMetadata()])
    #expect(published.status == 404)
    #expect(published.text == #"{"message":"Not found.","status":404}"#)
  }

  @Test("PUT with If-Match: ETag of the current revision passes, an old one gets 412")
  func ifMatch() async throws {
    let fixture = try await Fixture()
    let created = try await fixture.alice.send(
      "POST", "/deposit/depositions", json: ["metadata": validMetadata()])
    let id = try #require(int(created.object, "id"))
    let etag = try #require(created.header("ETag"))
    let first = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": validMetadata()],
      headers: [("If-Match", etag)])
    #expect(first.status == 200)
    let stale = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": validMetadata()],
      headers: [("If-Match", etag)])
    #expect(stale.status == 412)
  }

  @Test("DELETE /deposit/depositions/{id}: 204 empty, again 404, published without draft 404")
  func delete() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)")
    #expect(reply.status == 204)
    #expect(reply.body.isEmpty)
    #expect(try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)").status == 404)
    #expect(try await fixture.alice.deposit(id).status == 404)
    let record = try await fixture.alice.published()
    let published = try await fixture.alice.send(
      "DELETE", "/deposit/depositions/\(int(record, "id")!)")
    #expect(published.status == 404)
  }

  @Test("POST actions/publish: 202 with the published record; again 404")
  func publish() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    try await fixture.alice.upload(deposit, key: "a.txt", text: "hello")
    let reply = try await fixture.alice.action(id, "publish")
    #expect(reply.status == 202)
    let record = reply.object
    #expect(string(record, "state") == "done")
    #expect(record["submitted"] as? Bool == true)
    #expect(string(record, "doi") == "10.5281/zenodo.\(id)")
    #expect(string(record, "conceptdoi") == "10.5281/zenodo.\(id - 1)")
    #expect(string(record, "doi_url") == "https://doi.org/10.5281/zenodo.\(id)")
    let api = fixture.emulator.apiURL
    #expect(string(record, "links", "self") == "\(api)/records/\(id)")
    #expect(string(record, "links", "latest_draft") == "\(api)/deposit/depositions/\(id)")
    #expect(string(record, "links", "record") == "\(api)/records/\(id)")
    #expect(string(record, "links", "doi") == "https://doi.org/10.5281/zenodo.\(id)")
    let again = try await fixture.alice.action(id, "publish")
    #expect(again.status == 404)
  }

  @Test("POST actions/edit: 201 inprogress; an existing draft is returned as is")
  func edit() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.published()
    let id = try #require(int(record, "id"))
    let reply = try await fixture.alice.action(id, "edit")
    #expect(reply.status == 201)
    #expect(string(reply.object, "state") == "inprogress")
    #expect(reply.object["submitted"] as? Bool == true)
    let again = try await fixture.alice.action(id, "edit")
    #expect(again.status == 201)
    #expect(string(again.object, "state") == "inprogress")
  }

  @Test("POST actions/discard: 204 empty; deletes a never-published deposit")
  func discard() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.action(id, "discard")
    #expect(reply.status == 204)
    #expect(reply.body.isEmpty)
    #expect(try await fixture.alice.deposit(id).status == 404)
  }

  @Test("POST actions/newversion: 201, body is the new draft with the files imported")
  func newVersion() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.published()
    let id = try #require(int(record, "id"))
    let reply = try await fixture.alice.action(id, "newversion")
    #expect(reply.status == 201)
    let draft = reply.object
    let newID = try #require(int(draft, "id"))
    #expect(newID == id + 1, "a new version takes one new id")
    #expect(string(draft, "conceptrecid") == String(id - 1))
    #expect(string(draft, "state") == "unsubmitted")
    #expect(
      string(draft, "links", "latest_draft")
        == "\(fixture.emulator.apiURL)/deposit/depositions/\(newID)")
    #expect(string(draft, "files", "0", "id") == string(record, "files", "0", "id"), "same file id")
    #expect(string(draft, "files", "0", "checksum") == string(record, "files", "0", "checksum"))
    #expect(value(draft, "metadata", "version") == nil)
    #expect(
      string(draft, "metadata", "publication_date")
        == String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
    #expect(draft["doi"] == nil)
  }

  @Test("GET files: 200 array; GET files/{id}: 200, unknown 404")
  func listAndGetFiles() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    try await fixture.alice.upload(deposit, key: "a.txt", text: "hello")
    let list = try await fixture.alice.get("/deposit/depositions/\(id)/files")
    #expect(list.status == 200)
    #expect(list.array.count == 1)
    let fileID = try #require(string(list.array.first, "id"))
    #expect(UUID(uuidString: fileID) != nil)
    #expect(string(list.array.first, "checksum") == (try await md5sum("hello")))
    #expect(int(list.array.first, "filesize") == 5)
    #expect(string(list.array.first, "filename") == "a.txt")
    let single = try await fixture.alice.get("/deposit/depositions/\(id)/files/\(fileID)")
    #expect(single.status == 200)
    #expect(string(single.object, "id") == fileID)
    #expect(try await fixture.alice.get("/deposit/depositions/\(id)/files/nope").status == 404)
    let download = try await fixture.alice.get(string(single.object, "links", "download")!)
    #expect(download.status == 200)
    #expect(download.text == "hello")
  }

  @Test("POST files (multipart): 201 file object with bare MD5; secure_filename; duplicate 400")
  func multipart() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    func form(_ name: String) -> (Data, String) {
      let boundary = "----emulator-boundary"
      var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\(name)\r\n"
      body +=
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
      body += "Content-Type: application/octet-stream\r\n\r\nmy first file\r\n--\(boundary)--\r\n"
      return (Data(body.utf8), "multipart/form-data; boundary=\(boundary)")
    }
    let (body, type) = form("dir/my file.csv")
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions/\(id)/files", body: body, headers: [("Content-Type", type)])
    #expect(reply.status == 201, "\(reply.text)")
    #expect(string(reply.object, "filename") == "dir_my_file.csv")
    #expect(int(reply.object, "filesize") == 13)
    #expect(string(reply.object, "checksum") == (try await md5sum("my first file")))
    #expect(
      string(reply.object, "links", "self")?.contains("/deposit/depositions/\(id)/files/") == true)
    let duplicate = try await fixture.alice.send(
      "POST", "/deposit/depositions/\(id)/files", body: body, headers: [("Content-Type", type)])
    #expect(duplicate.status == 400)
    #expect(string(duplicate.object, "message") == "File with key dir_my_file.csv already exists.")
  }

  @Test("PUT files (sort) and PUT files/{id} (rename): 405")
  func sortAndRename() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    try await fixture.alice.upload(deposit, key: "a.txt", text: "a")
    let fileID = try #require(
      string(try await fixture.alice.deposit(id).object, "files", "0", "id"))
    let sort = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)/files", json: [["id": fileID]])
    #expect(sort.status == 405)
    let rename = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)/files/\(fileID)", json: ["name": "b.txt"])
    #expect(rename.status == 405)
  }

  @Test("DELETE files/{id}: 204; on a published record 403")
  func deleteFile() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    try await fixture.alice.upload(deposit, key: "a.txt", text: "a")
    let fileID = try #require(
      string(try await fixture.alice.deposit(id).object, "files", "0", "id"))
    let reply = try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)/files/\(fileID)")
    #expect(reply.status == 204)
    #expect(reply.body.isEmpty)
    #expect((try await fixture.alice.deposit(id).object["files"] as? [Any])?.isEmpty == true)
    let record = try await fixture.alice.published()
    let recordFile = try #require(string(record, "files", "0", "id"))
    let locked = try await fixture.alice.send(
      "DELETE", "/deposit/depositions/\(int(record, "id")!)/files/\(recordFile)")
    #expect(locked.status == 403)
  }

  @Test("Bucket PUT 201 with md5: checksum and mimetype; GET bytes; list; DELETE 204")
  func bucket() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    let reply = try await fixture.alice.putFile(
      bucket, key: "table.csv", data: Data("a,b\n1,2\n".utf8))
    #expect(reply.status == 201)
    let object = reply.object
    #expect(string(object, "key") == "table.csv")
    #expect(string(object, "mimetype") == "text/csv")
    #expect(string(object, "checksum") == "md5:" + (try await md5sum("a,b\n1,2\n")))
    #expect(int(object, "size") == 8)
    #expect(object["is_head"] as? Bool == true)
    #expect(object["delete_marker"] as? Bool == false)
    #expect(string(object, "links", "self") == bucket + "/table.csv")
    #expect(string(object, "version_id") != nil)
    let bytes = try await fixture.alice.get(bucket + "/table.csv")
    #expect(bytes.status == 200)
    #expect(bytes.text == "a,b\n1,2\n")
    let list = try await fixture.alice.get(bucket)
    #expect(list.status == 200)
    #expect(string(list.object, "contents", "0", "key") == "table.csv")
    let delete = try await fixture.alice.send("DELETE", bucket + "/table.csv")
    #expect(delete.status == 204)
    #expect(try await fixture.alice.get(bucket + "/table.csv").status == 404)
    let other = try await fixture.bob.putFile(bucket, key: "b.txt", data: Data("b".utf8))
    #expect(other.status == 403)
  }

  @Test("Anonymous requests to every deposit route get Zenodo's 403")
  func anonymousEverywhere() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let bucket = try #require(string(deposit, "links", "bucket"))
    let requests: [(String, String)] = [
      ("GET", "/deposit/depositions"), ("POST", "/deposit/depositions"),
      ("GET", "/deposit/depositions/\(id)"),
      ("PUT", "/deposit/depositions/\(id)"), ("DELETE", "/deposit/depositions/\(id)"),
      ("POST", "/deposit/depositions/\(id)/actions/publish"),
      ("GET", "/deposit/depositions/\(id)/files"),
      ("PUT", bucket + "/a.txt"), ("GET", bucket),
    ]
    for (method, path) in requests {
      let reply = try await fixture.anonymous.send(method, path)
      #expect(reply.status == 403, "\(method) \(path)")
      #expect(reply.text == permissionDenied, "\(method) \(path)")
    }
  }
}
