import EmulatorTestSupport
import Foundation
import TestSupport
import Testing
import ZenDo

#if canImport(Glibc)
  import Glibc
#endif

/// A folder with a `.zenodo.toml` and its files, an emulator, and the built `zen-do`: what the
/// upload end-to-end tests drive.
final class UploadHarness: @unchecked Sendable {
  let emulator: EmulatorProcess
  let token: String
  let folder: URL
  let logPath: String
  let urn: String
  /// The API every `zen-do upload` of this harness passes as `--api`.
  let api: ZenodoAPI
  private let ownsEmulator: Bool
  private let transport = AsyncHTTPClientTransport()

  /// Another folder and URN on the emulator of `other` (which must outlive this one).
  init(sharing other: UploadHarness, urn: String) throws {
    emulator = other.emulator
    api = other.api
    token = other.token
    logPath = other.logPath
    self.urn = urn
    ownsEmulator = false
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-upload-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  init(emulatorArguments: [String] = [], urn: String? = nil, api: ZenodoAPI = .legacy)
    async throws
  {
    self.api = api
    let id = UUID().uuidString.prefix(8)
    token = "e2e-secret-token-\(id)"
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("zen-do-upload-\(id)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    logPath = folder.appendingPathComponent("emulator.log").path
    self.urn = urn ?? "urn:zenodo:e2e:upload:t\(id)"
    ownsEmulator = true
    emulator = try await EmulatorProcess.start(
      arguments: ["--user", "alice:\(token)", "--log", logPath] + emulatorArguments)
  }

  deinit {
    if ownsEmulator { emulator.stop() }
    let transport = self.transport
    Task { await transport.shutdown() }
    try? FileManager.default.removeItem(at: folder)
  }

  /// Writes the `.zenodo.toml` (files named in `files`) and the files with their contents.
  func write(
    files: [(name: String, content: String)], version: String = "1.0.0", title: String = "A title",
    extra: String = "", settings: String = ""
  ) throws {
    for file in files {
      let url = folder.appendingPathComponent(file.name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(file.content.utf8).write(to: url)
    }
    let list = files.map { "\"\($0.name)\"" }.joined(separator: ", ")
    let toml = """
      title = "\(title)"
      upload_type = "dataset"
      description = "<p>End-to-end test deposit.</p>"
      version = "\(version)"
      publication_date = 2026-11-21
      access_right = "open"
      license = "cc-by-4.0"
      \(extra)

      [[creators]]
      name = "Doe, Jane"

      [[related_identifiers]]
      identifier = "\(urn)"
      relation = "isIdenticalTo"
      scheme = "urn"

      [zen-do]
      files = [\(list)]
      \(settings)
      """
    try Data(toml.utf8).write(to: folder.appendingPathComponent(".zenodo.toml"))
  }

  /// Deletes a local file (the `.zenodo.toml` must stop naming it too).
  func remove(_ name: String) throws {
    try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
  }

  typealias Output = ProcessOutcome

  /// Runs `zen-do upload --server <emulator> ARGS` in the folder (under `wrapper`, such as
  /// `/usr/bin/time`, when given). Every run's output is checked for the token. Awaits the
  /// process's end, never blocking one of the few threads that all concurrently running tests
  /// share.
  func upload(
    _ arguments: [String] = [], environment: [String: String] = [:], timeout: Double = 120,
    wrapper: [String] = []
  ) async throws -> Output {
    let running = try launch(arguments, environment: environment, wrapper: wrapper)
    let exited = await running.waitForExit(timeout: timeout)
    if !exited { Issue.record("zen-do upload did not finish within \(timeout) s") }
    let output = await running.collect(timedOut: !exited)
    #expect(!output.stdout.contains(token), "the token appeared on stdout")
    #expect(!output.stderr.contains(token), "the token appeared on stderr")
    return output
  }

  /// Starts `count` runs of `zen-do upload ARGS` at once and waits for all of them.
  func uploadTogether(_ count: Int, _ arguments: [String] = [], timeout: Double = 120)
    async throws -> [Output]
  {
    let runs = try (0..<count).map { _ in try launch(arguments, environment: [:]) }
    var outputs: [Output] = []
    for running in runs {
      let exited = await running.waitForExit(timeout: timeout)
      if !exited { Issue.record("zen-do upload did not finish within \(timeout) s") }
      outputs.append(await running.collect(timedOut: !exited))
    }
    return outputs
  }

  /// Starts `zen-do upload`, kills it with SIGKILL after `delay` seconds (if still running),
  /// and returns whether it was killed.
  func uploadKilled(after delay: Double, environment: [String: String] = [:]) async throws
    -> Bool
  {
    let running = try launch([], environment: environment)
    let ended = await running.child.exit.wait(timeout: delay)
    let killed = !ended && running.child.isRunning
    if killed { kill(running.child.processIdentifier, SIGKILL) }
    let output = await running.collect(timedOut: false)
    #expect(!output.reveals(token), "the token appeared in the output")
    return killed
  }

  private func launch(
    _ arguments: [String], environment: [String: String], wrapper: [String] = []
  ) throws -> Subprocess.Running {
    var env = ProcessInfo.processInfo.environment
    env["ZENODO_TOKEN"] = token
    env["ZEN_DO_SERVER"] = nil
    // No session bus: the keyring is skipped at once and the token comes from the environment.
    env["DBUS_SESSION_BUS_ADDRESS"] = ""
    for (key, value) in environment { env[key] = value }
    return try Subprocess.start(
      wrapper + [
        try BuiltProducts.executable("zen-do").path, "upload", "--server", emulator.apiURL,
        "--api", api.rawValue,
      ]
        + arguments,
      environment: env, directory: folder)
  }

  // MARK: The emulator's side

  struct LoggedRequest: Equatable {
    var method: String
    var path: String
    var status: Int
  }

  /// Every request the emulator logged so far.
  func log() throws -> [LoggedRequest] {
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    #expect(!text.contains(token), "the token appeared in the emulator's log")
    return text.split(separator: "\n").compactMap { line in
      guard let object = try? ZenodoJSON.parse(String(line)).objectValue,
        let method = object["method"]?.stringValue, let path = object["path"]?.stringValue,
        let status = object["status"]?.intValue
      else { return nil }
      return LoggedRequest(method: method, path: path, status: status)
    }
  }

  /// Write requests (anything but GET) logged after `offset` entries.
  func writes(since offset: Int) throws -> [LoggedRequest] {
    Array(try log().dropFirst(offset)).filter { $0.method != "GET" }
  }

  /// A client for checking the emulator's state (retries on injected failures).
  func client() -> ZenodoClient {
    ZenodoClient(
      baseURL: emulator.apiURL, token: ZenodoToken(token), transport: transport,
      pacer: RequestPacer(clock: SystemClock(), perMinute: 6000, capacity: 100))
  }

  /// Every deposition of the test's URN, all versions, exactly matched.
  func depositions() async throws -> [Deposition] {
    try await client().search(urn: urn).filter { hit in
      (hit.metadata["related_identifiers"]?.arrayValue ?? []).contains {
        $0.objectValue?["identifier"]?.stringValue == urn
      }
    }
  }

  /// The one deposition the URN resolves to, read by id.
  func current() async throws -> Deposition {
    guard case .found(let hit) = RemoteMatch.resolve(urn: urn, hits: try await depositions()) else {
      throw HarnessError.notExactlyOne
    }
    return try await client().deposition(id: hit.id)
  }

  enum HarnessError: Error { case notExactlyOne }

  static func md5(_ text: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try? Data(text.utf8).write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }
    return (try? FileDigest.md5(path: path.path)) ?? ""
  }
}
