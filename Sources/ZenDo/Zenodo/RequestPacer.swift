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
