import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a finished child process left behind.
public struct ProcessOutcome: Sendable {
  /// The exit status.
  public var status: Int32
  /// Everything written on standard output.
  public var stdout: String
  /// Everything written on standard error.
  public var stderr: String
  /// Wall time from launch to exit, in seconds.
  public var elapsed: Double
  /// True when the process had to be killed because it ran past its time limit.
  public var timedOut: Bool

  /// Whether `secret` shows up anywhere in what the process printed.
  public func reveals(_ secret: String) -> Bool {
    stdout.contains(secret) || stderr.contains(secret)
  }
}

/// Errors of the test fixtures themselves.
public struct FixtureError: Error, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// An error saying `description`.
  public init(_ description: String) { self.description = description }
}

/// The one way the tests run programs: output goes to files (no pipe deadlock), and a process
/// still running after `timeout` seconds is killed.
///
/// ``run(_:environment:input:directory:timeout:)`` waits with `Task.sleep`, never blocking a
/// thread: the tests share Swift's small cooperative pool with the emulator tests, whose
/// timing-sensitive checks starve if it is blocked. ``runBlocking`` is for synchronous tests.
public enum Subprocess {
  /// A scratch directory that the caller removes.
  public static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-test-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return url
  }

  /// The environment every keyring child starts from: a PATH and a HOME, nothing of the test
  /// runner's D-Bus session or display.
  public static func baseEnvironment(home: URL) -> [String: String] {
    [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": home.path,
      "LANG": "C.UTF-8",
    ]
  }

  /// Starts `arguments` without waiting: the first is a path, or a program found on the
  /// environment's PATH.
  public static func launch(
    _ arguments: [String], environment: [String: String], directory: URL? = nil,
    stdin: Any? = nil, stdout: Any? = nil, stderr: Any? = nil
  ) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    process.standardInput = stdin ?? FileHandle.nullDevice
    process.standardOutput = stdout ?? FileHandle.nullDevice
    process.standardError = stderr ?? FileHandle.nullDevice
    try process.run()
    return process
  }

  /// A process started with its output going to files, to be collected when it ends.
  public final class Running: @unchecked Sendable {
    /// The process.
    public let process: Process
    private let folder: URL
    private let out: FileHandle
    private let err: FileHandle
    private let start = ContinuousClock.now

    init(
      _ arguments: [String], environment: [String: String], input: String?, directory: URL?
    ) throws {
      folder = try Subprocess.temporaryDirectory()
      let outURL = folder.appendingPathComponent("out")
      let errURL = folder.appendingPathComponent("err")
      _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
      _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
      var stdin: Any? = nil
      if let input {
        let inURL = folder.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(input.utf8))
        stdin = try FileHandle(forReadingFrom: inURL)
      }
      out = try FileHandle(forWritingTo: outURL)
      err = try FileHandle(forWritingTo: errURL)
      process = try Subprocess.launch(
        arguments, environment: environment, directory: directory, stdin: stdin, stdout: out,
        stderr: err)
    }

    /// Reaps the process and reads what it printed; removes the scratch files.
    public func collect(timedOut: Bool) -> ProcessOutcome {
      process.waitUntilExit()
      try? out.close()
      try? err.close()
      defer { try? FileManager.default.removeItem(at: folder) }
      let elapsed = ContinuousClock.now - start
      return ProcessOutcome(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: folder.appendingPathComponent("out"), encoding: .utf8))
          ?? "",
        stderr: (try? String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8))
          ?? "",
        elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds)
          / 1e18,
        timedOut: timedOut)
    }
  }

  /// Starts `arguments` with output to files (see ``Running``).
  public static func start(
    _ arguments: [String], environment: [String: String], input: String? = nil,
    directory: URL? = nil
  ) throws -> Running {
    try Running(arguments, environment: environment, input: input, directory: directory)
  }

  /// Runs `arguments` to the end (or kills it after `timeout` seconds) and returns its output.
  public static func run(
    _ arguments: [String], environment: [String: String], input: String? = nil,
    directory: URL? = nil, timeout: Double = 30
  ) async throws -> ProcessOutcome {
    let running = try start(arguments, environment: environment, input: input, directory: directory)
    let exited = await waitForExit(running.process, timeout: timeout)
    return running.collect(timedOut: !exited)
  }

  /// ``run(_:environment:input:directory:timeout:)`` for synchronous tests: waits by sleeping
  /// the thread.
  public static func runBlocking(
    _ arguments: [String], environment: [String: String], input: String? = nil,
    directory: URL? = nil, timeout: Double = 60
  ) throws -> ProcessOutcome {
    let running = try start(arguments, environment: environment, input: input, directory: directory)
    let deadline = Date().addingTimeInterval(timeout)
    while running.process.isRunning && Date() < deadline { usleep(5_000) }
    let timedOut = running.process.isRunning
    if timedOut { stop(running.process) }
    return running.collect(timedOut: timedOut)
  }

  /// Waits up to `timeout` seconds; kills the process and returns false if it is still running.
  @discardableResult
  public static func waitForExit(_ process: Process, timeout: Double) async -> Bool {
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
  public static func stop(_ process: Process) {
    if process.isRunning { process.terminate() }
    let grace = Date().addingTimeInterval(2)
    while process.isRunning && Date() < grace { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// Polls `condition` every 50 ms for at most `timeout` seconds.
  public static func poll(timeout: Double, _ condition: () async throws -> Bool) async rethrows
    -> Bool
  {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(50))
    } while Date() < deadline
    return false
  }
}
