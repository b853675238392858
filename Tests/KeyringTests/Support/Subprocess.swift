import Foundation

/// What a finished child process left behind.
struct ProcessOutcome {
  var status: Int32
  var stdout: String
  var stderr: String
  /// Wall time from launch to exit, in seconds.
  var elapsed: Double
  /// True when the process had to be killed because it ran past its time limit.
  var timedOut: Bool

  /// Whether `secret` shows up anywhere in what the process printed.
  func reveals(_ secret: String) -> Bool { stdout.contains(secret) || stderr.contains(secret) }
}

/// Errors of the test fixtures themselves.
struct FixtureError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A small, bounded way to run programs from tests: output goes to files (no pipe deadlock),
/// and a process still running after `timeout` seconds is killed. Waiting is done with
/// `Task.sleep`, never by blocking a thread: the tests share Swift's small cooperative pool
/// with the emulator tests, whose timing-sensitive checks starve if it is blocked.
enum Subprocess {
  /// A scratch directory that the caller removes.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-keyring-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return url
  }

  /// The environment every child starts from: a PATH and a HOME, nothing of the test
  /// runner's D-Bus session or display.
  static func baseEnvironment(home: URL) -> [String: String] {
    [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": home.path,
      "LANG": "C.UTF-8",
    ]
  }

  /// Starts `arguments` (the program is found on the environment's PATH) without waiting.
  static func launch(
    _ arguments: [String], environment: [String: String], stdin: Any? = nil,
    stdout: Any? = nil, stderr: Any? = nil
  ) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = environment
    process.standardInput = stdin ?? FileHandle.nullDevice
    process.standardOutput = stdout ?? FileHandle.nullDevice
    process.standardError = stderr ?? FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Runs `arguments` to the end (or kills it after `timeout` seconds) and returns its output.
  static func run(
    _ arguments: [String], environment: [String: String], input: String? = nil,
    timeout: Double = 30
  ) async throws -> ProcessOutcome {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let outURL = directory.appendingPathComponent("out")
    let errURL = directory.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    var stdin: Any? = nil
    if let input {
      let inURL = directory.appendingPathComponent("in")
      _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(input.utf8))
      stdin = try FileHandle(forReadingFrom: inURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let clock = ContinuousClock()
    let start = clock.now
    let process = try launch(
      arguments, environment: environment, stdin: stdin, stdout: out, stderr: err)
    let timedOut = !(await waitForExit(process, timeout: timeout))
    let elapsed = clock.now - start
    try out.close()
    try err.close()
    return ProcessOutcome(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
      elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
      timedOut: timedOut)
  }

  /// Waits up to `timeout` seconds; kills the process and returns false if it is still running.
  @discardableResult
  static func waitForExit(_ process: Process, timeout: Double) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
    if process.isRunning {
      stop(process)
      return false
    }
    process.waitUntilExit()
    return true
  }

  /// Terminates `process` and reaps it (SIGKILL after 2 s); for fixtures' `stop()` in `defer`.
  static func stop(_ process: Process) {
    if process.isRunning { process.terminate() }
    let grace = Date().addingTimeInterval(2)
    while process.isRunning && Date() < grace { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// Polls `condition` every 50 ms for at most `timeout` seconds.
  static func poll(timeout: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(50))
    } while Date() < deadline
    return false
  }

  /// The built `zen-do` executable, next to the test bundle in the build folder.
  static func zenDoExecutable() throws -> String {
    var candidates: [URL] = []
    if let bundle = Bundle.main.executableURL {
      candidates.append(bundle.deletingLastPathComponent())
    }
    let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(argument0.deletingLastPathComponent())
    for directory in candidates {
      var url = directory
      for _ in 0..<4 {
        let binary = url.appendingPathComponent("zen-do")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary.path }
        url = url.deletingLastPathComponent()
      }
    }
    throw FixtureError("the built zen-do executable was not found near \(candidates)")
  }
}

/// Compares a secret without letting a failed `#expect` print either value: the test suite's
/// own output must never show a token, not even a made-up one.
func sameSecret(_ actual: String, _ expected: String) -> Bool { actual == expected }
