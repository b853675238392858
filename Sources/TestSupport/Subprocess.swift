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
  /// Wall time from launch until the process was reaped, in seconds (taken when it ended, not
  /// when the test got round to collecting it).
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
/// Nothing here blocks a thread while a child runs: the tests share Swift's cooperative pool
/// (two threads on a two-core machine) with the emulator tests, whose time-bounded checks
/// starve if it is blocked. A child's end is an event (``ProcessExit``, fed by the process's
/// `terminationHandler`) that async code awaits; ``LaunchedProcess/stop(grace:then:)`` sends
/// SIGTERM and leaves the SIGKILL escalation to a Dispatch timer, so `defer` blocks return at
/// once. There is no synchronous `run`: a synchronous test would have to block its thread.
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
  ) throws -> LaunchedProcess {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    process.standardInput = stdin ?? FileHandle.nullDevice
    process.standardOutput = stdout ?? FileHandle.nullDevice
    process.standardError = stderr ?? FileHandle.nullDevice
    return try LaunchedProcess(launching: process)
  }

  /// A process started with its output going to files, to be collected when it ends.
  public final class Running: @unchecked Sendable {
    /// The process and its end.
    public let child: LaunchedProcess
    /// The process.
    public var process: Process { child.process }
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
      child = try Subprocess.launch(
        arguments, environment: environment, directory: directory, stdin: stdin, stdout: out,
        stderr: err)
    }

    /// Waits up to `timeout` seconds for the process to end; if it is still running then, it is
    /// killed (SIGTERM, SIGKILL 2 s later), waited for, and the answer is false.
    public func waitForExit(timeout: Double) async -> Bool {
      if await child.exit.wait(timeout: timeout) { return true }
      await child.stopAndWait()
      return false
    }

    /// Waits for the end (the caller has made sure it comes), reads what the process printed,
    /// and removes the scratch files.
    public func collect(timedOut: Bool) async -> ProcessOutcome {
      await child.exit.wait()
      try? out.close()
      try? err.close()
      defer { try? FileManager.default.removeItem(at: folder) }
      let elapsed = (child.exit.endedAt ?? ContinuousClock.now) - start
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

    /// ``waitForExit(timeout:)`` then ``collect(timedOut:)``; without a timeout, waits as long
    /// as the process runs.
    public func finish(timeout: Double?) async -> ProcessOutcome {
      guard let timeout else { return await collect(timedOut: false) }
      let exited = await waitForExit(timeout: timeout)
      return await collect(timedOut: !exited)
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
    return await running.finish(timeout: timeout)
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

/// A child process whose end is an event: its `terminationHandler` (installed before launch,
/// so the end cannot be missed) fires ``exit``.
public final class LaunchedProcess: @unchecked Sendable {
  /// The process.
  public let process: Process
  /// Fires once the process has ended and Foundation has reaped it.
  public let exit = ProcessExit()

  /// Installs the handler on `process` (configured, not yet run) and runs it.
  public init(launching process: Process) throws {
    self.process = process
    let exit = self.exit
    process.terminationHandler = { _ in exit.fire() }
    try process.run()
  }

  /// The process id.
  public var processIdentifier: Int32 { process.processIdentifier }

  /// Whether the process still runs.
  public var isRunning: Bool { !exit.hasEnded && process.isRunning }

  /// Sends SIGTERM and returns at once, for `defer` and `deinit`, which cannot await.
  ///
  /// A Dispatch timer sends SIGKILL `grace` seconds later if the process still runs, and `then`
  /// runs once it has ended. No thread waits for it.
  public func stop(grace: Double = 2, then: (@Sendable () -> Void)? = nil) {
    if isRunning { process.terminate() }
    let exit = self.exit
    let process = self.process
    DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
      if !exit.hasEnded && process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    if let then { exit.whenEnded(then) }
  }

  /// ``stop(grace:then:)``, then suspends until the process has ended.
  ///
  /// For tests that need the process gone before going on (a restart on the same state, a log
  /// read after the last write). False if it still had not ended 10 s after the SIGKILL.
  @discardableResult
  public func stopAndWait(grace: Double = 2) async -> Bool {
    stop(grace: grace)
    return await exit.wait(timeout: grace + 10)
  }
}

/// The end of a child process, as an event to await; set up by ``LaunchedProcess``.
///
/// Foundation calls a process's `terminationHandler` on a thread of its own once it has reaped
/// the child (`terminationStatus` is then valid); ``fire()`` resumes every waiter from there.
public final class ProcessExit: @unchecked Sendable {
  private let lock = NSLock()
  private var ended = false
  private var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
  private var actions: [@Sendable () -> Void] = []
  private var nextWaiter = 0
  private var end: ContinuousClock.Instant?

  /// A process that has not ended yet.
  public init() {}

  /// Whether the process has ended.
  public var hasEnded: Bool { lock.withLock { ended } }

  /// When the end was reported (on Foundation's thread, however busy the cooperative pool).
  public var endedAt: ContinuousClock.Instant? { lock.withLock { end } }

  /// Marks the end: resumes every waiter and runs every ``whenEnded(_:)`` action; idempotent.
  public func fire() {
    let (resumed, run): ([CheckedContinuation<Bool, Never>], [@Sendable () -> Void]) =
      lock.withLock {
        if ended { return ([], []) }
        ended = true
        end = .now
        defer { (waiters, actions) = ([:], []) }
        return (Array(waiters.values), actions)
      }
    for waiter in resumed { waiter.resume(returning: true) }
    for action in run { action() }
  }

  /// Runs `action` once the process has ended: at once if it has, else on the thread that
  /// reports the end.
  public func whenEnded(_ action: @escaping @Sendable () -> Void) {
    let now: Bool = lock.withLock {
      if ended { return true }
      actions.append(action)
      return false
    }
    if now { action() }
  }

  /// Suspends (never blocking a thread) until the process has ended, or until `timeout`
  /// seconds have passed; true if it ended.
  @discardableResult
  public func wait(timeout: Double? = nil) async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
      let id: Int? = lock.withLock {
        if ended { return nil }
        nextWaiter += 1
        waiters[nextWaiter] = continuation
        return nextWaiter
      }
      guard let id else { return continuation.resume(returning: true) }
      guard let timeout else { return }
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
        lock.withLock { waiters.removeValue(forKey: id) }?.resume(returning: false)
      }
    }
  }
}
