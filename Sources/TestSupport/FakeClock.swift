import Synchronization
import ZenDo

/// A clock whose sleeps return at once and only move its time forward, remembering how long
/// they were: retries and pacing run instantly in tests.
public final class FakeClock: SyncClock {
  private let state: Mutex<(now: Double, sleeps: [Double])>

  /// A clock that starts at `start` seconds since 1970.
  public init(start: Double = 1_700_000_000) { state = Mutex((start, [])) }

  /// The current fake time.
  public func now() -> Double { state.withLock { $0.now } }

  /// Moves the time on by `seconds` and remembers the wait.
  public func sleep(seconds: Double) async throws {
    state.withLock {
      $0.now += max(seconds, 0)
      $0.sleeps.append(seconds)
    }
  }

  /// Every wait asked for, in order.
  public var sleeps: [Double] { state.withLock { $0.sleeps } }
}
