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
