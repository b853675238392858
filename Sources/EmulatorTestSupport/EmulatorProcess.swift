import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A `zenodo-emulator` started as a separate process for a test, on a free loopback port.
///
/// Start it with ``start(arguments:timeout:)``, talk HTTP to ``apiURL``, and ``stop()`` it at the
/// end (``deinit`` stops it too, so a failing test never leaves it running).
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
  private let process: Process

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
    process: Process, apiURL: String, users: [User], stateDirectory: String, startupSeconds: Double,
    logPath: String, ownsLog: Bool
  ) {
    self.logPath = logPath
    self.ownsLog = ownsLog
    self.process = process
    self.apiURL = apiURL
    self.users = users
    self.stateDirectory = stateDirectory
    self.pid = process.processIdentifier
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
  /// print its URL, users and `ready`.
  public static func start(
    arguments: [String] = [], timeout: Double = 20
  ) throws
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
    try process.run()

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
    guard lines.waitForReady(timeout: timeout) else {
      process.terminate()
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
      process: process, apiURL: apiURL, users: users, stateDirectory: state,
      startupSeconds: seconds,
      logPath: logPath, ownsLog: ownsLog)
  }

  /// The token of the user called `name`.
  public func token(_ name: String) -> String {
    users.first { $0.name == name }?.token ?? ""
  }

  /// Whether the process still runs.
  public var isRunning: Bool { process.isRunning }

  /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it.
  public func stop() {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
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

/// Collects the emulator's stdout and signals when `ready` has arrived.
private final class LineCollector: @unchecked Sendable {
  private let condition = NSCondition()
  private var buffer = Data()
  private var closed = false

  func append(_ data: Data) {
    condition.lock()
    buffer.append(data)
    condition.broadcast()
    condition.unlock()
  }

  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  var text: String {
    condition.lock()
    defer { condition.unlock() }
    return String(decoding: buffer, as: UTF8.self)
  }

  func waitForReady(timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    condition.lock()
    defer { condition.unlock() }
    while !String(decoding: buffer, as: UTF8.self).contains("\nready\n") {
      if closed || !condition.wait(until: deadline) { return false }
    }
    return true
  }
}
