import EmulatorTestSupport
import Foundation
import TestSupport
import Testing
import ZenDo

/// `zen-do upload` as a process against an emulator started with `--hostile`: a broken or
/// hostile server never hangs it or exhausts its memory. Each run has a 60 s bound as a hang
/// guard (not a timing assertion); stalled servers meet a 1 s idle timeout (`ZEN_DO_IDLE_TIMEOUT`).
@Suite("hostile server, end to end")
struct HostileServerTests {
  static let files = [(name: "data.csv", content: "a,b\n1,2\n")]

  /// A harness whose emulator misbehaves with `arguments`, with the deposit's files written.
  func harness(_ arguments: [String]) async throws -> UploadHarness {
    let harness = try await UploadHarness(emulatorArguments: arguments)
    try harness.write(files: Self.files)
    return harness
  }

  func finished(_ output: UploadHarness.Output) {
    #expect(!output.timedOut, "zen-do did not finish: \(output.stderr)")
  }

  @Test("a huge answer stops at 16 MiB, naming the request, without buffering it")
  func hugeBody() async throws {
    let harness = try await harness(["--hostile", "huge-body", "--hostile-bytes", "\(512 << 20)"])
    let rss = harness.folder.appendingPathComponent("rss").path
    let output = try await harness.upload(
      timeout: 60, wrapper: ["/usr/bin/time", "-o", rss, "-f", "%M"])
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(output.stderr.contains("GET /api/deposit/depositions"), "\(output.stderr)")
    #expect(output.stderr.contains("larger than 16 MiB"), "\(output.stderr)")
    // Not retried: a server that answers like that will answer like that again.
    #expect(try harness.log().count == 1)
    // Peak resident memory in KiB, from GNU time: buffering the 512 MiB answer would need more
    // than 512 MiB; zen-do alone needs some 30 MiB.
    let text = try String(contentsOfFile: rss, encoding: .utf8)
    let peak = try #require(
      text.split(separator: "\n").last.flatMap {
        Int($0.trimmingCharacters(in: .whitespaces))
      })
    print("hostile huge-body: zen-do peak RSS \(peak / 1024) MiB for a 512 MiB answer")
    #expect(peak < 160 * 1024, "peak RSS \(peak) KiB")
  }

  @Test("an answer nested 100 000 deep is an error naming the request, not a stack overflow")
  func deepJSON() async throws {
    let harness = try await harness(["--hostile", "deep-json"])
    let output = try await harness.upload(timeout: 60)
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(output.stderr.contains("GET /api/deposit/depositions"), "\(output.stderr)")
    #expect(output.stderr.contains("nested more than 256 deep"), "\(output.stderr)")
  }

  /// An emulator on `localhost` (another host name and port than the hostile one's 127.0.0.1)
  /// that logs whatever reaches it.
  func otherHost() async throws -> (EmulatorProcess, base: String) {
    let other = try await EmulatorProcess.start(arguments: [])
    let base = other.apiURL.replacingOccurrences(of: "http://127.0.0.1", with: "http://localhost")
    return (other, String(base.dropLast("/api".count)))
  }

  @Test("a redirect to another host is refused and the token never reaches it")
  func redirectOffsite() async throws {
    let (other, base) = try await otherHost()
    defer { other.stop() }
    let harness = try await harness(["--hostile", "redirect-offsite", "--hostile-target", base])
    let output = try await harness.upload(timeout: 60)
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(output.stderr.contains("GET /api/deposit/depositions"), "\(output.stderr)")
    #expect(output.stderr.contains("redirected (status 302) to '\(base)/api/deposit/depositions"))
    #expect(output.stderr.contains("follows no redirects"))
    #expect(try harness.log().count == 1)
    #expect(other.requests().isEmpty, "the other host saw \(other.requests())")
  }

  @Test("an upload redirected to another host is refused; the other host sees nothing")
  func uploadRedirected() async throws {
    let (other, base) = try await otherHost()
    defer { other.stop() }
    let harness = try await harness([
      "--hostile", "redirect-offsite", "--hostile-target", base, "--hostile-path", "/api/files/",
    ])
    let output = try await harness.upload(timeout: 60)
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(output.stderr.contains("PUT /api/files/"), "\(output.stderr)")
    #expect(output.stderr.contains("redirected (status 302) to '\(base)/api/files/"))
    #expect(
      try harness.log().filter { $0.method == "PUT" && $0.path.hasPrefix("/api/files/") }
        .count == 1)
    #expect(other.requests().isEmpty, "the other host saw \(other.requests())")
  }

  @Test(
    "a body that trickles, or no answer at all, stops at the idle timeout after the retries",
    arguments: ["trickle", "silent"])
  func stalled(mode: String) async throws {
    // A byte every 300 ms: the idle timeout alone would never fire; the body deadline does.
    let harness = try await harness(["--hostile", mode, "--hostile-interval", "300"])
    let output = try await harness.upload(
      environment: ["ZEN_DO_IDLE_TIMEOUT": "1"], timeout: 60)
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(
      output.stderr.contains("GET /api/deposit/depositions?")
        && output.stderr.contains(
          "got no answer after 6 attempts"),
      "\(output.stderr)")
    let reason =
      mode == "trickle"
      ? "the answer's body did not arrive in full within the idle timeout of its headers"
      : "the server sent nothing for longer than the idle timeout"
    #expect(output.stderr.contains(reason), "\(output.stderr)")
    #expect(try harness.log().count == 6)
  }

  @Test("a bad ZEN_DO_IDLE_TIMEOUT is refused before any request")
  func badIdleTimeout() async throws {
    let harness = try await harness([])
    let output = try await harness.upload(environment: ["ZEN_DO_IDLE_TIMEOUT": "soon"], timeout: 60)
    finished(output)
    #expect(output.status != 0)
    #expect(output.stderr.contains("ZEN_DO_IDLE_TIMEOUT is 'soon'"), "\(output.stderr)")
    #expect(try harness.log().isEmpty)
  }

  @Test("an MD5 that never matches stops after 3 uploads, naming the file and both MD5s")
  func badMD5() async throws {
    let harness = try await harness(["--hostile", "bad-md5"])
    let output = try await harness.upload(timeout: 60)
    finished(output)
    #expect(output.status == 3, "\(output.stderr)")
    let expected = UploadHarness.md5(Self.files[0].content)
    #expect(output.stderr.contains("'data.csv' was sent 3 times"), "\(output.stderr)")
    #expect(output.stderr.contains("expected MD5 \(expected)"), "\(output.stderr)")
    let reported = (expected.first == "0" ? "1" : "0") + expected.dropFirst()
    #expect(output.stderr.contains("the server reported \(reported)"), "\(output.stderr)")
    let uploads = try harness.log().filter {
      $0.method == "PUT" && $0.path.hasPrefix("/api/files/")
    }
    #expect(uploads.count == 3)
  }
}

/// The shared layers (``AsyncHTTPClientTransport`` and the JSON reader) against the hostile
/// emulator on the records API's routes, as the records client sends them: the limits hold for
/// both APIs because both go through these layers.
@Suite("hostile server, records API routes through the shared transport")
struct HostileRecordsRouteTests {
  static let routes = [
    ("GET", "/user/records?q=x&allversions=true&shared_with_me=false"),
    ("POST", "/records"),
    ("PUT", "/records/1/draft"),
  ]

  /// Sends `method route` with a token; `idle` sets the idle timeout in seconds.
  func send(
    _ emulator: EmulatorProcess, _ method: String, _ route: String, idle: String = "120"
  ) async throws -> TransportResponse {
    let transport = try AsyncHTTPClientTransport(environment: ["ZEN_DO_IDLE_TIMEOUT": idle])
    defer { Task { await transport.shutdown() } }
    let token = emulator.users[0].token
    return try await transport.send(
      TransportRequest(
        method: method, url: emulator.apiURL + route,
        headers: [
          ("Authorization", "Bearer \(token)"), ("Accept", "application/vnd.inveniordm.v1+json"),
          ("Content-Type", "application/json"),
        ],
        body: method == "GET" ? .none : .bytes(Array("{}".utf8))),
      progress: nil)
  }

  @Test("huge answers stop at the limit", arguments: routes)
  func huge(method: String, route: String) async throws {
    let emulator = try await EmulatorProcess.start(arguments: ["--hostile", "huge-body"])
    await #expect(throws: TransportError.responseTooLarge(limit: 16 << 20)) {
      _ = try await send(emulator, method, route)
    }
  }

  @Test("deep answers are a reader error", arguments: routes)
  func deep(method: String, route: String) async throws {
    let emulator = try await EmulatorProcess.start(arguments: ["--hostile", "deep-json"])
    let response = try await send(emulator, method, route)
    #expect(throws: JSONSyntaxError.self) { _ = try ZenodoJSON.parse(response.body) }
  }

  @Test("redirects are refused and the other host sees nothing", arguments: routes)
  func redirect(method: String, route: String) async throws {
    let other = try await EmulatorProcess.start(arguments: [])
    let base = other.apiURL.replacingOccurrences(of: "/api", with: "")
      .replacingOccurrences(of: "127.0.0.1", with: "localhost")
    let emulator = try await EmulatorProcess.start(arguments: [
      "--hostile", "redirect-offsite", "--hostile-target", base,
    ])
    await #expect(
      throws: TransportError.redirected(status: 302, location: base + "/api" + route)
    ) {
      _ = try await send(emulator, method, route)
    }
    #expect(other.requests().isEmpty)
  }

  @Test("a trickling or silent server stops at the idle timeout", arguments: ["trickle", "silent"])
  func stalled(mode: String) async throws {
    let emulator = try await EmulatorProcess.start(arguments: ["--hostile", mode])
    for (method, route) in Self.routes {
      // A byte every 5 s: the idle timeout and the body's deadline (both 1 s) race.
      do {
        _ = try await send(emulator, method, route, idle: "1")
        Issue.record("\(method) \(route) got an answer from a \(mode) server")
      } catch let error as TransportError {
        guard case .connection(let reason) = error else {
          Issue.record("\(method) \(route): \(error)")
          continue
        }
        #expect(reason.contains("idle timeout"), "\(reason)")
        #expect(!error.isPermanent)
      }
    }
  }

  @Test("bad-md5: the records API's commit reports a checksum that is not the content's")
  func badMD5() async throws {
    let emulator = try await EmulatorProcess.start(arguments: ["--hostile", "bad-md5"])
    let created = try await send(emulator, "POST", "/records")
    let id = try #require(ZenodoJSON.parse(created.body).objectValue?["id"]?.stringValue)
    let transport = AsyncHTTPClientTransport()
    defer { Task { await transport.shutdown() } }
    let token = emulator.users[0].token
    func call(_ method: String, _ path: String, _ body: TransportBody, _ type: String)
      async throws -> JSONValue
    {
      let response = try await transport.send(
        TransportRequest(
          method: method, url: emulator.apiURL + path,
          headers: [("Authorization", "Bearer \(token)"), ("Content-Type", type)], body: body),
        progress: nil)
      #expect((200..<300).contains(response.status), "\(method) \(path): \(response.status)")
      return try ZenodoJSON.parse(response.body)
    }
    let files = "/records/\(id)/draft/files"
    _ = try await call(
      "POST", files, .bytes(Array("[{\"key\": \"a.txt\"}]".utf8)), "application/json")
    _ = try await call(
      "PUT", files + "/a.txt/content", .bytes(Array("a".utf8)), "application/octet-stream")
    let committed = try await call("POST", files + "/a.txt/commit", .none, "application/json")
    let checksum = committed.objectValue?["checksum"]?.stringValue
    #expect(checksum != nil)
    #expect(checksum != "md5:0cc175b9c0f1b6a831c399e269772661")
  }
}
