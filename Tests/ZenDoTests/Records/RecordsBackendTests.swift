import TestSupport
import Testing
import ZenDo

/// The records backend's requests, against a scripted transport (the end-to-end suite runs
/// the rest against the emulator).
@Suite struct RecordsBackendTests {
  static func draft(settings: String) -> String {
    """
    {"id": "42", "is_published": false, "is_draft": true,
     "parent": {"id": "41", "access": {"settings": \(settings)}},
     "metadata": {"title": "T"}, "custom_fields": {}, "files": {"enabled": true, "entries": {}},
     "links": {"self": "http://127.0.0.1:1/api/records/42/draft"}}
    """
  }

  static func local(parentAccess: JSONObject?) -> LocalDeposit {
    var deposit = LocalDeposit(
      sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r", metadata: JSONObject(), files: [])
    deposit.draftBody = JSONObject([
      ("metadata", .object(JSONObject([("title", .string("T"))]))),
      ("custom_fields", .object(JSONObject())),
    ])
    deposit.parentAccess = parentAccess
    return deposit
  }

  static let conditions = JSONObject([
    ("allow_user_requests", .bool(true)), ("accept_conditions_text", .string("Ask us.")),
  ])

  @Test func parentAccessSettingsArePutOnlyWhenTheParentLacksThem() async throws {
    let stored = Self.draft(
      settings: #"{"allow_user_requests": true, "accept_conditions_text": "Ask us."}"#)
    let transport = FakeTransport { request, index in
      switch (request.method, request.url, index) {
      case ("PUT", "http://127.0.0.1:1/api/records/42/draft", _):
        return json(Self.draft(settings: #"{"allow_user_requests": false}"#))
      case ("PUT", "http://127.0.0.1:1/api/records/42/access", _): return json(stored)
      case ("GET", "http://127.0.0.1:1/api/records/42/draft", _): return json(stored)
      default: return nil
      }
    }
    let backend = RecordsBackend(client: client(transport), clock: FakeClock())
    let draft = try #require(
      Deposition(record: try ZenodoJSON.parse(Self.draft(settings: "{}"))))
    let local = Self.local(parentAccess: Self.conditions)
    #expect(
      backend.metadataDifferences(local: local, remote: draft).map(\.key) == [
        "parent.access.settings"
      ])
    let update = try await backend.update(draft, to: local)
    #expect(
      transport.requests.map { "\($0.method) \($0.url)" } == [
        "PUT http://127.0.0.1:1/api/records/42/draft",
        "PUT http://127.0.0.1:1/api/records/42/access",
        "GET http://127.0.0.1:1/api/records/42/draft",
      ])
    #expect(
      transport.requests.allSatisfy {
        $0.headers.contains { $0.name == "Accept" && $0.value == RecordsBackend.nativeJSON }
      })
    #expect(backend.metadataDifferences(local: local, remote: update.deposition).isEmpty)
    // Without conditions nothing is sent to /access.
    let plain = try await backend.update(draft, to: Self.local(parentAccess: nil))
    #expect(transport.requests.count == 4)
    #expect(plain.deposition.id == 42)
  }
}
