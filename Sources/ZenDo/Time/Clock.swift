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
