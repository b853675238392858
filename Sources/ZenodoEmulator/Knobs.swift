import Foundation

/// A value behind a lock, for the few pieces of state shared by concurrent requests outside the
/// store actor (fault dice, rate-limit windows, the log file).
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}

/// What `--fail-rate` does to one request.
enum InjectedFault: Sendable, Equatable {
  /// Answer with this status and no state change.
  case status(Int)
  /// Close the connection without a complete response.
  case drop
}

/// Decides, deterministically from `--seed`, which requests fail (`--fail-rate`).
struct FaultInjector: Sendable {
  private let rate: Double
  private let generator: Locked<UInt64>

  init(rate: Double, seed: UInt64) {
    self.rate = rate
    self.generator = Locked(seed)
  }

  /// The fault for the next request, if it is to fail.
  func next() -> InjectedFault? {
    guard rate > 0 else { return nil }
    return generator.withLock { state in
      let roll = Double(Self.splitMix(&state) >> 11) / Double(1 << 53)
      guard roll < rate else { return nil }
      let kinds: [InjectedFault] = [.status(500), .status(502), .status(503), .status(429), .drop]
      return kinds[Int(Self.splitMix(&state) % UInt64(kinds.count))]
    }
  }

  private static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A moving-window rate limit per token or client address (`--rate-limit N/min`).
struct RateLimiter: Sendable {
  /// Requests allowed per window.
  let limit: Int
  /// The window in seconds.
  let window: Double
  private let hits = Locked<[String: [Double]]>([:])

  init(limit: Int, window: Double = 60) {
    self.limit = limit
    self.window = window
  }

  /// The verdict for one request.
  struct Decision: Sendable {
    var allowed: Bool
    var remaining: Int
    /// Epoch seconds when the oldest hit leaves the window.
    var reset: Int
    /// Seconds until a request would be allowed again.
    var retryAfter: Int
  }

  func check(key: String, now: Double = Date().timeIntervalSince1970) -> Decision {
    hits.withLock { table in
      var times = (table[key] ?? []).filter { $0 > now - window }
      let allowed = times.count < limit
      if allowed { times.append(now) }
      table[key] = times
      let oldest = times.first ?? now
      let reset = Int((oldest + window).rounded(.up))
      return Decision(
        allowed: allowed, remaining: max(0, limit - times.count), reset: reset,
        retryAfter: max(1, Int((oldest + window - now).rounded(.up))))
    }
  }
}

/// The request log (`--log FILE`): one JSON object per line, never with a token or query string.
struct RequestLog: Sendable {
  private let handle: Locked<FileHandle>

  init(path: String) throws {
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      guard manager.createFile(atPath: path, contents: nil) else {
        throw EmulatorError.cannotOpenLog(path)
      }
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw EmulatorError.cannotOpenLog(path)
    }
    handle.seekToEndOfFile()
    self.handle = Locked(handle)
  }

  struct Entry: Encodable {
    var time: String
    var method: String
    var path: String
    var status: Int
    var bytesIn: Int64
    var bytesOut: Int64
    var user: String?
    /// True when the request carried an `Authorization` header (its value is never logged).
    var authorization: Bool?
    var fault: String?

    enum CodingKeys: String, CodingKey {
      case time, method, path, status, user, authorization, fault
      case bytesIn = "bytes_in"
      case bytesOut = "bytes_out"
    }
  }

  func write(_ entry: Entry) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var data = try? encoder.encode(entry) else { return }
    data.append(0x0A)
    handle.withLock { $0.write(data) }
  }
}

/// Errors that stop the emulator from starting.
public enum EmulatorError: Error, CustomStringConvertible {
  /// The log file could not be opened.
  case cannotOpenLog(String)
  /// The state directory could not be used.
  case cannotUseStateDirectory(String, String)
  /// A `--vocabulary` file could not be read as JSON.
  case badVocabulary(String)

  /// One sentence saying what went wrong and what to do.
  public var description: String {
    switch self {
    case .cannotOpenLog(let path):
      "cannot open the log file '\(path)'; check that its folder exists and is writable"
    case .cannotUseStateDirectory(let path, let reason):
      "cannot use the state directory '\(path)' (\(reason)); pass a writable --state-dir"
    case .badVocabulary(let path):
      "cannot read the vocabulary file '\(path)' as a JSON object of vocabularies; see docs/emulator.md"
    }
  }
}
