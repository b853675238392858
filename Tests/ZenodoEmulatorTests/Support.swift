import EmulatorTestSupport
import Foundation
import TestSupport
import Testing

/// An emulator process plus clients for its two users and an anonymous one.
struct Fixture {
  let emulator: EmulatorProcess
  let alice: EmulatorHTTP
  let bob: EmulatorHTTP
  let anonymous: EmulatorHTTP

  init(_ arguments: [String] = []) async throws {
    emulator = try await EmulatorProcess.start(arguments: arguments)
    alice = EmulatorHTTP(apiURL: emulator.apiURL, token: emulator.token("alice"))
    bob = EmulatorHTTP(apiURL: emulator.apiURL, token: emulator.token("bob"))
    anonymous = EmulatorHTTP(apiURL: emulator.apiURL, token: nil)
  }
}

/// Metadata that passes publish.
func validMetadata(title: String = "Emulator contract test", urn: String = "urn:zenodo:owner:repo")
  -> [String: Any]
{
  [
    "upload_type": "software",
    "title": title,
    "creators": [["name": "Doe, Jane", "affiliation": "Somewhere"]],
    "description": "A deposit made by the emulator tests.",
    "version": "1.0",
    "related_identifiers": [["identifier": urn, "relation": "isIdenticalTo"]],
  ]
}

/// Reads a nested value: `value(json, "links", "bucket")`.
func value(_ json: Any?, _ path: String...) -> Any? {
  var current = json
  for key in path {
    if let index = Int(key), let array = current as? [Any] {
      current = index < array.count ? array[index] : nil
    } else {
      current = (current as? [String: Any])?[key]
    }
  }
  return current
}

func string(_ json: Any?, _ path: String...) -> String? {
  var current = json
  for key in path { current = value(current, key) }
  return current as? String
}

func int(_ json: Any?, _ path: String...) -> Int? {
  var current = json
  for key in path { current = value(current, key) }
  return (current as? NSNumber)?.intValue ?? current as? Int
}

let permissionDenied = #"{"message":"Permission denied.","status":403}"#

extension EmulatorHTTP {
  /// Creates a deposit with `metadata` and returns its JSON.
  func create(_ metadata: [String: Any] = validMetadata()) async throws -> [String: Any] {
    let reply = try await send("POST", "/deposit/depositions", json: ["metadata": metadata])
    #expect(reply.status == 201, "\(reply.text)")
    return reply.object
  }

  /// Uploads through the deposit's bucket link.
  @discardableResult
  func upload(_ deposit: [String: Any], key: String, text: String) async throws -> HTTPReply {
    try await putFile(string(deposit, "links", "bucket") ?? "", key: key, data: Data(text.utf8))
  }

  func deposit(_ id: Int) async throws -> HTTPReply { try await get("/deposit/depositions/\(id)") }

  func action(_ id: Int, _ name: String) async throws -> HTTPReply {
    try await send("POST", "/deposit/depositions/\(id)/actions/\(name)")
  }

  /// Creates, uploads one file and publishes; returns the published JSON.
  func published(_ metadata: [String: Any] = validMetadata(), file: String = "a.txt") async throws
    -> [String: Any]
  {
    let deposit = try await create(metadata)
    let upload = try await self.upload(deposit, key: file, text: "content of \(file)")
    #expect(upload.status == 201, "\(upload.text)")
    let reply = try await action(int(deposit, "id") ?? 0, "publish")
    #expect(reply.status == 202, "\(reply.text)")
    return reply.object
  }

  /// A deposit in one of the §6 states: `unsubmitted`, `done` or `inprogress`.
  func deposit(inState state: String) async throws -> [String: Any] {
    switch state {
    case "unsubmitted":
      let deposit = try await create()
      try await upload(deposit, key: "a.txt", text: "a")
      return try await self.deposit(int(deposit, "id")!).object
    case "done":
      return try await published()
    default:
      let record = try await published()
      let edit = try await action(int(record, "id")!, "edit")
      #expect(edit.status == 201)
      return edit.object
    }
  }
}

/// MD5 of a string, through md5sum, for comparing with the emulator's checksums; awaits the
/// process, never blocking a thread of the cooperative pool.
func md5sum(_ text: String) async throws -> String {
  let outcome = try await Subprocess.run(
    ["md5sum"], environment: ["PATH": "/usr/bin:/bin"], input: text)
  #expect(outcome.status == 0, "\(outcome.stderr)")
  return String(outcome.stdout.prefix(32))
}
