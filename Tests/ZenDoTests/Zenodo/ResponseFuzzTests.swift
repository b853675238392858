import Synchronization
import TestSupport
import Testing

@testable import ZenDo

/// The response model fuzzed like the TOML parser: mutated Zenodo answers, fed through the real
/// client (`deposition`, `search`, `upload`) and `ZenodoError.parseBody`, either decode or fail
/// with a `ZenodoError`; nothing crashes, hangs or throws anything else.
@Suite("Zenodo response fuzzing")
struct ResponseFuzzTests {
  /// Fragments that matter to JSON and to the deposition model.
  static let fragments: [[UInt8]] = [
    "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "null", "true", "false", "0", "-1",
    "1e999", "9223372036854775808", "\"id\":", "\"files\":", "\"links\":", "\"metadata\":",
    "\"checksum\":\"md5:", "\"filesize\":\"", "\"state\":\"done\"", "[[[[[[[[", "]]]]]]]]", " ",
    "\n", "é", "\u{0}", "\u{FEFF}",
  ].map { Array($0.utf8) }

  static let seeds: [[UInt8]] = [
    depositionJSON(
      id: 7, concept: 6, state: "unsubmitted", version: "1.0",
      files: [(name: "a.csv", md5: "md5:0cc175b9c0f1b6a831c399e269772661")]),
    depositionJSON(id: 8, concept: 6, state: "done", title: "Ünïcode \\\"quoted\\\""),
    "[" + depositionJSON(id: 9, concept: 6, state: "inprogress") + ","
      + depositionJSON(id: 10, concept: 6, state: "done") + "]",
    """
    {"status": 400, "message": "Validation error.", "errors": [{"field": "metadata.title", \
    "messages": ["Missing data.", {"nested": ["x"]}]}, {"message": "bad"}]}
    """,
    "{\"key\": \"a.csv\", \"checksum\": \"md5:0cc175b9c0f1b6a831c399e269772661\", \"size\": 1}",
    "[]", "{}",
  ].map { Array($0.utf8) }

  @Test("mutated answers decode or fail with a ZenodoError; 0 crashes")
  func mutatedAnswers() async throws {
    var mutator = InputMutator(
      random: SplitMix64(seed: 0x2E4E_D0F0), seeds: Self.seeds, fragments: Self.fragments)
    let current = Mutex<(body: [UInt8], status: Int)>(([], 200))
    let transport = FakeTransport { _, _ in
      let answer = current.withLock { $0 }
      return TransportResponse(status: answer.status, body: answer.body)
    }
    // No pacing: thousands of requests on a fake clock whose time is near 1.7e9 s would meet
    // waits shorter than a Double step there, which never move the clock on.
    let clock = FakeClock()
    let zenodo = ZenodoClient(
      baseURL: "http://127.0.0.1:1/api", token: ZenodoToken("s3cr3t-token"), transport: transport,
      clock: clock, pacer: RequestPacer(clock: clock, perMinute: 1e12, capacity: 1e12),
      random: { 0.5 })
    let count = 5_000
    var decoded = 0
    var refused = 0
    var problems: [String] = []
    for _ in 0..<count {
      let body = mutator.next()
      let status = [200, 200, 200, 201, 400, 404][mutator.index(6)]
      current.withLock { $0 = (body, status) }
      _ = ZenodoError.parseBody(body)
      let calls: [@Sendable () async throws -> Void] = [
        { _ = try await zenodo.deposition(id: 7) },
        { _ = try await zenodo.search(urn: "urn:zenodo:o:r", maxPages: 1) },
        {
          _ = try await zenodo.upload(
            bucketURL: "http://127.0.0.1:1/api/files/b", key: "a.csv", path: "/dev/null", size: 0)
        },
      ]
      for call in calls {
        do {
          try await call()
          decoded += 1
        } catch is ZenodoError {
          refused += 1
        } catch {
          problems.append(
            "\(type(of: error)): \(error) for \(String(decoding: body, as: UTF8.self))")
        }
      }
    }
    print("response fuzz: \(count) inputs, \(decoded) calls decoded, \(refused) refused, 0 crashes")
    #expect(decoded + refused + problems.count == count * 3)
    // Each call decodes only its own kind of answer, and a third of the statuses are errors.
    #expect(decoded > count / 50, "the mutator should leave some answers usable")
    #expect(refused > count / 20)
    #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
  }

  @Test("a deposition decoded from any answer keeps the answer's id")
  func decodedIdentity() throws {
    var mutator = InputMutator(
      random: SplitMix64(seed: 0x1D), seeds: Self.seeds, fragments: Self.fragments)
    var checked = 0
    for _ in 0..<5_000 {
      guard let value = try? ZenodoJSON.parse(mutator.next()) else { continue }
      let items = value.arrayValue ?? [value]
      for item in items {
        guard let deposition = Deposition(json: item), let object = item.objectValue else {
          continue
        }
        checked += 1
        #expect(deposition.id == (object["id"] ?? object["record_id"])?.intValue)
        #expect(deposition.files.count <= (object["files"]?.arrayValue?.count ?? 0))
      }
    }
    print("deposition fuzz: \(checked) decoded depositions checked")
    #expect(checked > 100)
  }
}
