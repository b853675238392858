#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Time as the client sees it: injectable so tests of pacing and retries run instantly.
public protocol SyncClock: Sendable {
  /// Seconds since 1970-01-01 UTC.
  func now() -> Double
  /// Waits `seconds`.
  func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemClock: SyncClock {
  /// The system clock.
  public init() {}
  /// Wall-clock seconds since 1970, advancing monotonically from the start.
  public func now() -> Double {
    let duration = ContinuousClock.now - SystemClock.start.continuous
    let components = duration.components
    return SystemClock.start.wall + Double(components.seconds)
      + Double(components.attoseconds) / 1e18
  }
  /// Sleeps on the Swift concurrency clock.
  public func sleep(seconds: Double) async throws {
    guard seconds > 0 else { return }
    try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
  }

  private static let start: (wall: Double, continuous: ContinuousClock.Instant) = {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return (Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9, ContinuousClock.now)
  }()
}

/// How often and how long to retry.
public struct RetryPolicy: Sendable {
  /// Total tries per request, the first included.
  public var maxAttempts: Int
  /// The first back-off delay in seconds; it doubles each time.
  public var baseDelay: Double
  /// The longest single back-off.
  public var maxDelay: Double
  /// The longest wait honoured from `Retry-After` or `X-RateLimit-Reset`.
  public var maxServerDelay: Double

  /// A policy; the defaults suit zenodo.org.
  public init(
    maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 30,
    maxServerDelay: Double = 300
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxServerDelay = maxServerDelay
  }

  /// The back-off before try `attempt + 1` (attempt counts from 1): exponential with full
  /// jitter in its upper half, so many clients do not retry in lock step.
  public func delay(afterAttempt attempt: Int, random: Double) -> Double {
    let exponential = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 20)))
    return exponential / 2 + exponential / 2 * random
  }

  /// The wait a failed response asks for: `Retry-After` (seconds or an HTTP date), else for a
  /// 429 `X-RateLimit-Reset` (an epoch time, or seconds when small), capped at
  /// `maxServerDelay`; nil when the server said nothing (then back off exponentially).
  public func serverDelay(_ response: TransportResponse, now: Double) -> Double? {
    if let value = response.header("Retry-After")?.trimmed {
      if let seconds = Double(value) { return min(max(seconds, 0), maxServerDelay) }
      if let date = HTTPDate.parse(value) { return min(max(date - now, 0), maxServerDelay) }
    }
    // The rate-limit window matters only when the server refused for the rate limit: every
    // response carries X-RateLimit-Reset, also a 503 from an unrelated failure.
    if response.status == 429, let value = response.header("X-RateLimit-Reset")?.trimmed,
      let reset = Double(value)
    {
      let wait = reset > 1_000_000_000 ? reset - now : reset
      return min(max(wait, 0), maxServerDelay)
    }
    return nil
  }
}

/// A token bucket that keeps the client under Zenodo's 100 requests per minute: `capacity`
/// requests may go at once, then one every `60 / perMinute` seconds.
public actor RequestPacer {
  private let clock: any SyncClock
  private let capacity: Double
  private let perSecond: Double
  private var tokens: Double
  private var updated: Double
  private var pausedUntil: Double = 0

  /// Creates a pacer; the defaults allow at most 10 + 85 = 95 requests in any minute.
  public init(clock: any SyncClock, perMinute: Double = 85, capacity: Double = 10) {
    self.clock = clock
    self.capacity = capacity
    self.perSecond = perMinute / 60
    self.tokens = capacity
    self.updated = clock.now()
  }

  /// Waits until a request may go.
  public func acquire() async throws {
    while true {
      let now = clock.now()
      if now < pausedUntil {
        try await clock.sleep(seconds: pausedUntil - now)
        continue
      }
      tokens = min(capacity, tokens + (now - updated) * perSecond)
      updated = now
      if tokens >= 1 {
        tokens -= 1
        return
      }
      try await clock.sleep(seconds: (1 - tokens) / perSecond)
    }
  }

  /// Holds every request until `time` (the server said its window is used up).
  public func pause(until time: Double) {
    pausedUntil = max(pausedUntil, time)
  }
}

/// Parses the HTTP-date form of `Retry-After` (RFC 9110 IMF-fixdate).
enum HTTPDate {
  static func parse(_ text: String) -> Double? {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3])
    else { return nil }
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
    let time = parts[4].split(separator: ":").compactMap { Int($0) }
    guard time.count == 3 else { return nil }
    let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
    return Double(days * 86400 + time[0] * 3600 + time[1] * 60 + time[2])
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}

extension String {
  var trimmed: String {
    var view = Substring(self)
    while let first = view.first, first.isWhitespace { view = view.dropFirst() }
    while let last = view.last, last.isWhitespace { view = view.dropLast() }
    return String(view)
  }
}
