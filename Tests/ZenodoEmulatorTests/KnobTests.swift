import EmulatorTestSupport
import Foundation
import Testing

/// The test knobs: --fail-rate/--seed, --rate-limit, --index-lag, --log, --state-dir, --user.
@Suite("Knobs")
struct KnobTests {
  /// Outcome of one request: a status code, or -1 for a dropped connection.
  func outcome(_ http: EmulatorHTTP, _ method: String, _ path: String, json: Any? = nil) async
    -> Int
  {
    do {
      return try await http.send(method, path, json: json, timeout: 10).status
    } catch {
      return -1
    }
  }

  @Test(
    "--fail-rate answers 500/502/503/429 or drops, deterministically with --seed, before any state change"
  )
  func failRate() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emulator-fail-\(UUID())"
    ).path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var runs: [[Int]] = []
    for run in 0..<2 {
      let fixture = try await Fixture([
        "--fail-rate", "0.5", "--seed", "42", "--user", "alice:tokenA", "--state-dir",
        directory + "-\(run)",
      ])
      var outcomes: [Int] = []
      for _ in 0..<60 {
        outcomes.append(
          await outcome(fixture.alice, "POST", "/deposit/depositions", json: [String: Any]()))
      }
      runs.append(outcomes)
      // Gone before the restart on the same state.
      #expect(await fixture.emulator.stopAndWait())
      // Restarted without failures on the same state: exactly the 201s made deposits.
      let clean = try await Fixture([
        "--user", "alice:tokenA", "--state-dir", directory + "-\(run)",
      ])
      let listed = try await clean.alice.get("/deposit/depositions?size=100")
      #expect(listed.array.count == outcomes.filter { $0 == 201 }.count)
      try? FileManager.default.removeItem(atPath: directory + "-\(run)")
    }
    #expect(runs[0] == runs[1], "the same seed gives the same failures")
    let kinds = Set(runs[0])
    #expect(kinds.isSubset(of: [201, 500, 502, 503, 429, -1]))
    #expect(kinds.contains(201))
    #expect(kinds.count >= 5, "several kinds of failure in 60 requests: \(kinds)")
    let failures = runs[0].filter { $0 != 201 }.count
    #expect((15...45).contains(failures), "about half fail: \(failures)")
  }

  @Test("--rate-limit: X-RateLimit-* on every response, 429 with Retry-After, per token")
  func rateLimit() async throws {
    let fixture = try await Fixture(["--rate-limit", "5/min"])
    let now = Int(Date().timeIntervalSince1970)
    for expected in (0..<5).reversed() {
      let reply = try await fixture.alice.get("/deposit/depositions")
      #expect(reply.status == 200)
      #expect(reply.header("X-RateLimit-Limit") == "5")
      #expect(reply.header("X-RateLimit-Remaining") == String(expected))
      let reset = try #require(Int(reply.header("X-RateLimit-Reset") ?? ""))
      #expect((now...now + 90).contains(reset))
    }
    let limited = try await fixture.alice.get("/deposit/depositions")
    #expect(limited.status == 429)
    let retry = try #require(Int(limited.header("Retry-After") ?? ""))
    #expect((1...60).contains(retry))
    #expect(limited.header("X-RateLimit-Remaining") == "0")
    let other = try await fixture.bob.get("/deposit/depositions")
    #expect(other.status == 200, "another token has its own window")
  }

  @Test("--index-lag: a new deposit is readable at once but searchable only after the lag")
  func indexLag() async throws {
    // Not yet searchable: a lag of ten minutes, so that the search right after the create falls
    // inside it however loaded the machine is (10 s was once not enough for the whole suite).
    let long = try await Fixture(["--index-lag", "600000"])
    let hidden = try #require(int(try await long.alice.create(), "id"))
    #expect(try await long.alice.deposit(hidden).status == 200)
    #expect(try await long.alice.get("/deposit/depositions").array.isEmpty)
    // Searchable once the lag has passed, and not before: a lag of 1.5 s.
    let short = try await Fixture(["--index-lag", "1500"])
    let started = Date()
    let shown = try #require(int(try await short.alice.create(), "id"))
    var found: [[String: Any]] = []
    for _ in 0..<300 where found.isEmpty {
      try await Task.sleep(nanoseconds: 50_000_000)
      found = try await short.alice.get("/deposit/depositions").array
    }
    #expect(found.count == 1)
    #expect(found.first.flatMap { int($0, "id") } == shown)
    #expect(Date().timeIntervalSince(started) >= 1.45)
  }

  @Test("--log: one JSON line per request with method, path, status and bytes; never a token")
  func log() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emulator-log-\(UUID()).jsonl"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fixture = try await Fixture(["--log", path])
    let token = fixture.emulator.token("alice")
    let deposit = try await fixture.alice.create()
    try await fixture.alice.upload(deposit, key: "a.txt", text: "twelve bytes")
    _ = try await fixture.anonymous.get("/deposit/depositions?access_token=\(token)&q=x")
    _ = try await fixture.anonymous.get("/deposit/depositions")
    // Gone, so the log is complete.
    #expect(await fixture.emulator.stopAndWait())
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(!text.contains(token))
    #expect(!text.contains(fixture.emulator.token("bob")))
    let entries = lines.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(entries.count == 4)
    #expect(entries.map { string($0, "method") } == ["POST", "PUT", "GET", "GET"])
    #expect(entries.map { int($0, "status") } == [201, 201, 200, 403])
    #expect(string(entries[2], "path") == "/api/deposit/depositions")
    #expect(int(entries[1], "bytes_in") == 12)
    #expect((int(entries[0], "bytes_out") ?? 0) > 100)
    #expect(entries.allSatisfy { $0["time"] is String })
  }

  @Test("--state-dir keeps deposits and files across a restart; --user sets the tokens")
  func persistence() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emulator-state-\(UUID())"
    ).path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try await Fixture([
      "--state-dir", directory, "--user", "alice:secret-a", "--user", "bob:secret-b",
    ])
    #expect(
      first.emulator.users == [
        .init(name: "alice", token: "secret-a"), .init(name: "bob", token: "secret-b"),
      ])
    let record = try await first.alice.published()
    let id = try #require(int(record, "id"))
    let draft = try await first.alice.create()
    // Gone before the restart on the same state.
    #expect(await first.emulator.stopAndWait())

    let second = try await Fixture([
      "--state-dir", directory, "--user", "alice:secret-a", "--user", "bob:secret-b",
    ])
    let reread = try await second.alice.deposit(id)
    #expect(reread.status == 200)
    #expect(string(reread.object, "state") == "done")
    #expect(string(reread.object, "links", "self")?.hasPrefix(second.emulator.apiURL) == true)
    let download = try await second.alice.get(
      string(reread.object, "files", "0", "links", "download")!)
    #expect(download.text == "content of a.txt")
    #expect(try await second.alice.deposit(int(draft, "id")!).status == 200)
    let next = try await second.alice.create()
    #expect(int(next, "id") == int(draft, "id")! + 2, "the id counter survives restarts")
  }

  @Test("Without --user, two generated users are printed and accepted")
  func generatedUsers() async throws {
    let fixture = try await Fixture()
    #expect(fixture.emulator.users.map(\.name) == ["alice", "bob"])
    #expect(fixture.emulator.users.allSatisfy { $0.token.count == 40 })
    #expect(fixture.emulator.apiURL.hasPrefix("http://127.0.0.1:"))
    #expect(fixture.emulator.apiURL.hasSuffix("/api"))
    #expect(try await fixture.bob.get("/deposit/depositions").status == 200)
  }
}

/// The launcher's own request log, which end-to-end tests count writes with.
@Suite("EmulatorProcess")
struct EmulatorProcessTests {
  @Test("requests() lists what was logged, with writes told apart from reads")
  func requestLog() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    _ = try await fixture.alice.get("/deposit/depositions")
    try await fixture.alice.upload(deposit, key: "a.txt", text: "abc")
    let logged = fixture.emulator.requests()
    #expect(logged.map(\.method) == ["POST", "GET", "PUT"])
    #expect(logged.map(\.status) == [201, 200, 201])
    #expect(logged.filter(\.isWrite).count == 2)
    #expect(logged[2].bytesIn == 3)
    #expect(logged.allSatisfy { $0.fault == nil })
    let path = fixture.emulator.logPath
    #expect(FileManager.default.fileExists(atPath: path))
  }
}
