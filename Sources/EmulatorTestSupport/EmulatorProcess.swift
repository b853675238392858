import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A `zenodo-emulator` started as a separate process for a test, on a free loopback port.
///
/// Start it with ``start(arguments:timeout:)``, talk HTTP to ``apiURL``, and ``stop()`` it at the
/// end (``deinit`` stops it too, so a failing test never leaves it running). Nothing blocks a
/// thread of Swift's cooperative pool: the start awaits the `ready` line, ``stop()`` returns at
/// once, and ``stopAndWait()`` awaits the end where a test needs the server gone.
public final class EmulatorProcess: @unchecked Sendable {
  /// A user the emulator printed at start.
  public struct User: Sendable, Equatable {
    /// The user's name.
    public var name: String
    /// The user's access token.
    public var token: String

    /// Creates a user entry.
    public init(name: String, token: String) {
      self.name = name
      self.token = token
    }
  }

  /// The API base URL, such as `http://127.0.0.1:43127/api`.
  public let apiURL: String
  /// The users and tokens the emulator accepts, in the order it printed them.
  public let users: [User]
  /// The directory holding the emulator's state.
  public let stateDirectory: String
  /// The server's process id.
  public let pid: Int32
  /// Seconds from launch until the `ready` line.
  public let startupSeconds: Double
  /// The JSON-lines request log (`--log`): always written, to a temporary file unless the
  /// arguments name one.
  public let logPath: String
  private let ownsLog: Bool
  private let child: LaunchedProcess

  /// Failures to start the emulator.
  public enum StartError: Error, CustomStringConvertible {
    /// No built binary was found.
    case binaryNotFound([String])
    /// The emulator did not print `ready` in time.
    case notReady(Double, String)

    /// One sentence saying what went wrong.
    public var description: String {
      switch self {
      case .binaryNotFound(let places):
        "zenodo-emulator was not found in \(places.joined(separator: ", ")); run 'swift build' first"
      case .notReady(let seconds, let output):
        "zenodo-emulator did not print 'ready' within \(seconds) s; it printed: \(output)"
      }
    }
  }

  private init(
    child: LaunchedProcess, apiURL: String, users: [User], stateDirectory: String,
    startupSeconds: Double,
    logPath: String, ownsLog: Bool
  ) {
    self.logPath = logPath
    self.ownsLog = ownsLog
    self.child = child
    self.apiURL = apiURL
    self.users = users
    self.stateDirectory = stateDirectory
    self.pid = child.processIdentifier
    self.startupSeconds = startupSeconds
  }

  deinit {
    stop()
    if ownsLog { try? FileManager.default.removeItem(atPath: logPath) }
  }

  /// The built `zenodo-emulator`: `ZENODO_EMULATOR` if set, else where the shared
  /// `BuiltProducts` finds the package's executables.
  public static func binary() throws -> URL {
    if let override = ProcessInfo.processInfo.environment["ZENODO_EMULATOR"] {
      return URL(fileURLWithPath: override)
    }
    do {
      return try BuiltProducts.executable("zenodo-emulator")
    } catch {
      throw StartError.binaryNotFound([BuiltProducts.directory?.path ?? "(no build folder)"])
    }
  }

  /// Starts `zenodo-emulator --port 0 ARGUMENTS` and waits (at most `timeout` seconds) for it to
  /// print its URL, users and `ready`, suspending meanwhile.
  public static func start(
    arguments: [String] = [], timeout: Double = 20
  ) async throws
    -> EmulatorProcess
  {
    let process = Process()
    process.executableURL = try binary()
    var arguments = arguments
    let logPath: String
    let ownsLog: Bool
    if let index = arguments.firstIndex(of: "--log"), index + 1 < arguments.count {
      logPath = arguments[index + 1]
      ownsLog = false
    } else {
      ownsLog = true
      logPath =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "zenodo-emulator-\(UUID().uuidString).jsonl"
        ).path
      arguments += ["--log", logPath]
    }
    process.arguments = ["--port", "0"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let started = Date()
    let child = try LaunchedProcess(launching: process)

    let lines = LineCollector()
    let reader = output.fileHandleForReading
    Thread.detachNewThread {
      while true {
        let data = reader.availableData
        if data.isEmpty { break }
        lines.append(data)
      }
      lines.close()
    }
    guard await lines.ready(timeout: timeout) else {
      child.stop(grace: 5)
      throw StartError.notReady(timeout, lines.text)
    }
    let seconds = Date().timeIntervalSince(started)
    var apiURL = ""
    var users: [User] = []
    var state = ""
    for line in lines.text.split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init)
      if words.count == 4, words[0] == "zenodo-emulator", words[1] == "listening" {
        apiURL = words[3]
      }
      if words.count == 4, words[0] == "user", words[2] == "token" {
        users.append(User(name: words[1], token: words[3]))
      }
      if words.count == 2, words[0] == "state" { state = words[1] }
    }
    return EmulatorProcess(
      child: child, apiURL: apiURL, users: users, stateDirectory: state,
      startupSeconds: seconds,
      logPath: logPath, ownsLog: ownsLog)
  }

  /// The token of the user called `name`.
  public func token(_ name: String) -> String {
    users.first { $0.name == name }?.token ?? ""
  }

  /// Whether the process still runs.
  public var isRunning: Bool { child.isRunning }

  /// Stops the server without waiting.
  ///
  /// SIGTERM now, SIGKILL from a Dispatch timer 5 s later if it still runs. For `defer` and
  /// `deinit`, which cannot await; see ``stopAndWait()``.
  public func stop() {
    guard child.isRunning else { return }
    child.stop(grace: 5)
  }

  /// Stops the server (SIGTERM, then SIGKILL after 5 s) and suspends until it has ended.
  ///
  /// For tests that go on only once it is gone, such as a restart on the same `--state-dir` or
  /// a read of the finished log. False if it had not ended 10 s after the SIGKILL.
  @discardableResult
  public func stopAndWait() async -> Bool {
    await child.stopAndWait(grace: 5)
  }

  /// One line of the request log.
  public struct LoggedRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT`, `DELETE`, ...
    public var method: String
    /// The path, without the query string.
    public var path: String
    /// The status answered; 0 for a dropped connection.
    public var status: Int
    /// Body bytes received.
    public var bytesIn: Int
    /// Body bytes sent.
    public var bytesOut: Int
    /// `rate-limit`, `drop` or `status-NNN` when the answer was made up by a knob.
    public var fault: String?

    /// Whether the request could change state (anything but GET, HEAD and OPTIONS).
    public var isWrite: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }
  }

  /// The requests logged so far, oldest first.
  public func requests() -> [LoggedRequest] {
    guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      else {
        return nil
      }
      func number(_ key: String) -> Int { (object[key] as? NSNumber)?.intValue ?? 0 }
      return LoggedRequest(
        method: object["method"] as? String ?? "", path: object["path"] as? String ?? "",
        status: number("status"), bytesIn: number("bytes_in"), bytesOut: number("bytes_out"),
        fault: object["fault"] as? String)
    }
  }

  /// The server's peak resident memory (`VmHWM`) in bytes, from `/proc/PID/status`.
  public func peakResidentBytes() -> Int64? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
      return nil
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if fields.count >= 2, let kilobytes = Int64(fields[1]) { return kilobytes * 1024 }
    }
    return nil
  }
}

/// Collects the emulator's stdout (appended by a reader thread of its own) and tells an
/// awaiting start when `ready` has arrived.
private final class LineCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var buffer = Data()
  private var closed = false
  private var waiter: CheckedContinuation<Bool, Never>?

  func append(_ data: Data) {
    settle { $0.append(data) }
  }

  func close() {
    settle { _ in closed = true }
  }

  var text: String {
    lock.withLock { String(decoding: buffer, as: UTF8.self) }
  }

  /// Whether `ready` arrived within `timeout` seconds (false at once if the output closed
  /// without it); suspends, never blocking a thread.
  func ready(timeout: Double) async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
      let known: Bool? = lock.withLock {
        if let answer = answer { return answer }
        waiter = continuation
        return nil
      }
      if let known { return continuation.resume(returning: known) }
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
        lock.withLock { () -> CheckedContinuation<Bool, Never>? in
          defer { waiter = nil }
          return waiter
        }?.resume(returning: false)
      }
    }
  }

  /// True once `ready` is in the output, false once it closed without it, else nil; under
  /// `lock`.
  private var answer: Bool? {
    if String(decoding: buffer, as: UTF8.self).contains("\nready\n") { return true }
    return closed ? false : nil
  }

  /// Changes the buffer, then resumes the waiter if that settled the answer.
  private func settle(_ change: (inout Data) -> Void) {
    let resume: (CheckedContinuation<Bool, Never>, Bool)? = lock.withLock {
      change(&buffer)
      guard let waiting = waiter, let answer else { return nil }
      waiter = nil
      return (waiting, answer)
    }
    if let resume { resume.0.resume(returning: resume.1) }
  }
}
