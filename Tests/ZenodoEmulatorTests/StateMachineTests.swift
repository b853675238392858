import EmulatorTestSupport
import Foundation
import Testing

/// Every cell of the legacy API's state table (`docs/zenodo-api.md`): each action in each state.
@Suite("§6 state machine")
struct StateMachineTests {
  static let states = ["unsubmitted", "done", "inprogress"]

  @Test("PUT metadata: 200 / 404 / 200", arguments: zip(states, [200, 404, 200]))
  func putMetadata(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": validMetadata(title: "Changed title")]
    )
    #expect(reply.status == expected, "\(reply.text)")
    if expected == 200 {
      #expect(string(reply.object, "title") == "Changed title")
      #expect(string(reply.object, "state") == state)
    }
  }

  @Test(
    "Add a file (bucket PUT): 201 / 403 locked / 403 locked",
    arguments: zip(states, [201, 403, 403]))
  func addFileToBucket(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let reply = try await fixture.alice.upload(deposit, key: "new.txt", text: "new")
    #expect(reply.status == expected, "\(reply.text)")
    if expected == 403 {
      #expect(reply.text == #"{"message":"Bucket is locked for modifications.","status":403}"#)
    }
  }

  @Test("Add a file (multipart POST): 201 / 404 / 403", arguments: zip(states, [201, 404, 403]))
  func addFileMultipart(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let boundary = "b0undary"
    let body =
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.txt\"\r\n\r\nmulti\r\n--\(boundary)--\r\n"
    let reply = try await fixture.alice.send(
      "POST", "/deposit/depositions/\(id)/files", body: Data(body.utf8),
      headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
    #expect(reply.status == expected, "\(reply.text)")
  }

  @Test("Delete a file: 204 / 403 / 403", arguments: zip(states, [204, 403, 403]))
  func deleteFile(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let fileID = try #require(string(deposit, "files", "0", "id"))
    let reply = try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)/files/\(fileID)")
    #expect(reply.status == expected, "\(reply.text)")
  }

  @Test("publish: 202 → done / 404 / 202 → done", arguments: zip(states, [202, 404, 202]))
  func publish(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.action(id, "publish")
    #expect(reply.status == expected, "\(reply.text)")
    let after = try await fixture.alice.deposit(id)
    #expect(string(after.object, "state") == "done")
  }

  @Test(
    "edit: 201 unchanged / 201 → inprogress / 201 existing draft",
    arguments: zip(states, ["unsubmitted", "inprogress", "inprogress"]))
  func edit(state: String, expectedState: String) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.action(id, "edit")
    #expect(reply.status == 201)
    #expect(string(reply.object, "state") == expectedState)
    #expect(int(reply.object, "id") == id)
  }

  @Test("discard: 204 deletes / 404 / 204 → done", arguments: zip(states, [204, 404, 204]))
  func discard(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.action(id, "discard")
    #expect(reply.status == expected, "\(reply.text)")
    let after = try await fixture.alice.deposit(id)
    if state == "unsubmitted" {
      #expect(after.status == 404)
    } else {
      #expect(string(after.object, "state") == "done")
    }
  }

  @Test("discard drops the changes of an edit draft")
  func discardDropsChanges() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: "inprogress")
    let id = try #require(int(deposit, "id"))
    _ = try await fixture.alice.send(
      "PUT", "/deposit/depositions/\(id)", json: ["metadata": validMetadata(title: "Edited")])
    #expect(try await fixture.alice.action(id, "discard").status == 204)
    #expect(string(try await fixture.alice.deposit(id).object, "title") == "Emulator contract test")
  }

  @Test("DELETE: 204 / 404 / 204 (= discard)", arguments: zip(states, [204, 404, 204]))
  func delete(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)")
    #expect(reply.status == expected, "\(reply.text)")
    let after = try await fixture.alice.deposit(id)
    if state == "unsubmitted" {
      #expect(after.status == 404)
    } else {
      #expect(string(after.object, "state") == "done")
    }
  }

  @Test("newversion: 404 not registered / 201 / 201", arguments: zip(states, [404, 201, 201]))
  func newVersion(state: String, expected: Int) async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.deposit(inState: state)
    let id = try #require(int(deposit, "id"))
    let reply = try await fixture.alice.action(id, "newversion")
    #expect(reply.status == expected, "\(reply.text)")
    if expected == 404 {
      #expect(
        reply.text == #"{"message":"The persistent identifier is not registered.","status":404}"#)
    } else {
      #expect(string(reply.object, "state") == "unsubmitted")
      #expect(int(reply.object, "id") != id)
    }
  }

  @Test("newversion twice: the pending draft with files gives 400 'Please remove all files first.'")
  func newVersionTwice() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.published()
    let id = try #require(int(record, "id"))
    let first = try await fixture.alice.action(id, "newversion")
    #expect(first.status == 201)
    let second = try await fixture.alice.action(id, "newversion")
    #expect(second.status == 400)
    #expect(string(second.object, "errors", "0", "field") == "files.enabled")
    #expect(
      value(second.object, "errors", "0", "messages") as? [String] == [
        "Please remove all files first."
      ])
    // With the files removed, the call returns the same draft with the files imported again.
    let newID = try #require(int(first.object, "id"))
    let fileID = try #require(string(first.object, "files", "0", "id"))
    #expect(
      try await fixture.alice.send("DELETE", "/deposit/depositions/\(newID)/files/\(fileID)").status
        == 204)
    let third = try await fixture.alice.action(id, "newversion")
    #expect(third.status == 201)
    #expect(int(third.object, "id") == newID)
    #expect(string(third.object, "files", "0", "id") == fileID)
  }
}
