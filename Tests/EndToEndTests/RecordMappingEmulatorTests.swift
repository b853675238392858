import EmulatorTestSupport
import Foundation
import Testing
import ZenDo

/// The mapping against the real emulator process over HTTP: a file using every key the records
/// API adds is PUT as a draft, read back with the native JSON, and holds what was sent.
@Suite struct RecordMappingEmulatorTests {
  static let native = "application/vnd.inveniordm.v1+json"
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/records")

  /// The emulator, a client for its one user, and the loaded fixture.
  struct Setup {
    let emulator: EmulatorProcess
    let http: EmulatorHTTP
    let file: MetadataFile

    init() async throws {
      let token = "mapping-\(UUID().uuidString.prefix(8))"
      emulator = try await EmulatorProcess.start(arguments: ["--user", "alice:\(token)"])
      http = EmulatorHTTP(apiURL: emulator.apiURL, token: token)
      let url = RecordMappingEmulatorTests.fixtures.appendingPathComponent("every-key.toml")
      let result = MetadataLoader.loadResult(url: url, displayPath: "every-key.toml")
      file = try #require(result.file, "\(result.diagnostics)")
    }

    /// Sends `body` as JSON with the native `Accept`; returns the status and the JSON object.
    func send(_ method: String, _ path: String, _ body: JSONObject? = nil) async throws -> (
      Int, JSONObject
    ) {
      let data = body.map { Data(JSONWriter(pretty: false).write(.object($0)).utf8) }
      var headers = [("Accept", RecordMappingEmulatorTests.native)]
      if data != nil { headers.append(("Content-Type", "application/json")) }
      let reply = try await http.send(method, path, body: data, headers: headers)
      guard !reply.body.isEmpty,
        case .object(let object) = try JSONReader.parse([UInt8](reply.body)).value
      else { return (reply.status, JSONObject()) }
      return (reply.status, object)
    }
  }

  static func path(_ value: JSONValue?, _ keys: String...) -> JSONValue? {
    var current = value
    for key in keys {
      switch current {
      case .object(let object): current = object[key]
      case .array(let items): current = Int(key).flatMap { $0 < items.count ? items[$0] : nil }
      default: return nil
      }
    }
    return current
  }

  @Test func everyKeySurvivesADraftRoundTrip() async throws {
    let setup = try await Setup()
    defer { setup.emulator.stop() }
    let body = RecordMapping.draftBody(for: setup.file)
    let expected = try JSONReader.parse(
      [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("every-key.draft.json")))
    ).value
    #expect(JSONValue.object(body) == expected, "the body is the mapping table's")

    let (created, draft) = try await setup.send("POST", "/records", JSONObject())
    #expect(created == 201)
    let id = try #require(MappingTestValue.string(draft["id"]))
    let (status, saved) = try await setup.send("PUT", "/records/\(id)/draft", body)
    #expect(status == 200)
    // Zenodo reports "Missing uploaded files." on every save until a file is there; any other
    // error would be a value it did not keep.
    var errors: [JSONValue] = []
    if case .array(let items)? = saved["errors"] {
      errors = items.filter { Self.path($0, "field") != .string("files.enabled") }
    }
    #expect(errors.isEmpty, "Zenodo reported: \(JSONWriter(pretty: false).write(.array(errors)))")

    let (read, remote) = try await setup.send("GET", "/records/\(id)/draft")
    #expect(read == 200)
    #expect(RecordComparison.differences(local: body, remote: remote) == [])

    let record = JSONValue.object(remote)
    #expect(
      Self.path(record, "metadata", "creators", "0", "person_or_org", "type")
        == .string("organizational"), "an organisation stays an organisation")
    #expect(
      Self.path(record, "metadata", "creators", "0", "person_or_org", "name")
        == .string("The ASPECT developers"))
    #expect(Self.path(record, "metadata", "creators", "0", "person_or_org", "family_name") == nil)
    let affiliations = Self.path(record, "metadata", "creators", "1", "affiliations")
    #expect(Self.path(affiliations, "0", "id") == .string("01ggx4157"))
    #expect(Self.path(affiliations, "1", "id") == .string("00k4n6c32"))
    #expect(Self.path(affiliations, "2", "name") == .string("Rose Lab"))
    #expect(
      Self.path(record, "metadata", "creators", "1", "person_or_org", "name")
        == .string("Doe, Jane"), "Zenodo fills the name from family and given")
    #expect(Self.path(record, "metadata", "rights", "1", "id") == .string("mit"))
    #expect(Self.path(record, "custom_fields", "journal:journal", "issn") == .string("0317-8471"))
    #expect(
      Self.path(record, "access", "embargo", "reason") == .string("Under review at the journal."))

    // The record read back converts to a file whose draft is the same.
    let back = MetadataLoader.loadResult(
      table: RecordMapping.table(fromRecord: remote),
      url: URL(fileURLWithPath: "/nonexistent/.zenodo.toml"), displayPath: "back")
    let backFile = try #require(back.file, "\(back.diagnostics)")
    let backBody = RecordMapping.draftBody(for: backFile)
    #expect(RecordComparison.differences(local: body, remote: backBody) == [])
    #expect(RecordComparison.differences(local: backBody, remote: remote) == [])

    // A changed value is found: the comparison is not blind.
    var changed = body
    if case .object(var metadata)? = changed["metadata"] {
      metadata["publisher"] = .string("Another publisher")
      changed["metadata"] = .object(metadata)
    }
    #expect(RecordComparison.differences(local: changed, remote: remote) == ["metadata.publisher"])
  }

  @Test func accessConditionsGoToTheParentsAccessSettings() async throws {
    let setup = try await Setup()
    defer { setup.emulator.stop() }
    let (_, draft) = try await setup.send(
      "POST", "/records", RecordMapping.draftBody(for: setup.file))
    let id = try #require(MappingTestValue.string(draft["id"]))
    let settings = try #require(RecordMapping.parentAccess(for: setup.file))
    let (status, updated) = try await setup.send("PUT", "/records/\(id)/access", settings)
    #expect(status == 200)
    #expect(
      Self.path(.object(updated), "parent", "access", "settings", "accept_conditions_text")
        == .string("Ask the lab; access is granted for research."))
    let (_, remote) = try await setup.send("GET", "/records/\(id)/draft")
    let stored = Self.path(.object(remote), "parent", "access", "settings")
    for member in settings {
      #expect(Self.path(stored, member.key) == member.value, "\(member.key)")
    }
    let (refused, _) = try await setup.send(
      "PUT", "/records/\(id)/access", JSONObject([("accept_conditions", .string("x"))]))
    #expect(refused == 400, "an unknown key is refused, as invenio-rdm-records does")
  }
}

/// Readers of JSON values for these tests.
enum MappingTestValue {
  static func string(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let text)?: text
    case .number(let number)?: number.text
    default: nil
    }
  }
}
