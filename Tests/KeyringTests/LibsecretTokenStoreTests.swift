import Foundation
import TestSupport
import Testing
import ZenDo
import ZenDoKeyring

/// The binding in this process, against the session bus of the test run (scripts/test runs
/// the suite in `dbus-run-session` with a throwaway, unlocked gnome-keyring). Entries use a
/// random service name, so even a run against a real desktop keyring leaves it untouched.
@Suite struct LibsecretTokenStoreTests {
  let environment = ProcessInfo.processInfo.environment
  let service = "zen-do-test-\(UUID().uuidString.prefix(8))"

  var store: LibsecretTokenStore { LibsecretTokenStore(service: service, environment: environment) }

  /// The test process's own bus; failing here means the suite was not run by scripts/test.
  func requireSessionBus() throws {
    try #require(
      environment["DBUS_SESSION_BUS_ADDRESS"] != nil,
      "no D-Bus session: run the tests with scripts/test")
  }

  @Test func setThenGetThenDelete() async throws {
    try requireSessionBus()
    let secret = "lib-\(UUID().uuidString)"
    try store.setToken(ZenodoToken(secret), for: .sandbox)
    #expect(try store.token(for: .sandbox) == ZenodoToken(secret))
    #expect(try store.token(for: .production) == nil)
    let replacement = "lib2-\(UUID().uuidString)"
    try store.setToken(ZenodoToken(replacement), for: .sandbox)
    #expect(try store.token(for: .sandbox) == ZenodoToken(replacement))
    #expect(try store.deleteToken(for: .sandbox))
    #expect(try store.token(for: .sandbox) == nil)
    #expect(try store.deleteToken(for: .sandbox) == false)
  }

  @Test func findsWhatSecretToolStoredAndTheOtherWayRound() async throws {
    try requireSessionBus()
    let theirs = "tool-\(UUID().uuidString)"
    let stored = try await Subprocess.run(
      ["secret-tool", "store", "--label=test", "service", service, "username", "ZENODO_TOKEN"],
      environment: environment, input: theirs + "\n", timeout: 10)
    #expect(stored.status == 0, "\(stored.stderr)")
    // secret-tool keeps the newline of piped input; zen-do drops it.
    #expect(try store.token(for: .production) == ZenodoToken(theirs))

    let ours = "ours-\(UUID().uuidString)"
    try store.setToken(ZenodoToken(ours), for: .production)
    let lookup = try await Subprocess.run(
      ["secret-tool", "lookup", "service", service, "username", "ZENODO_TOKEN"],
      environment: environment, timeout: 10)
    #expect(lookup.status == 0)
    #expect(sameSecret(lookup.stdout, ours), "secret-tool found another value")
    // Ours replaced the secret-tool entry instead of sitting beside it.
    let search = try await Subprocess.run(
      ["secret-tool", "search", "--all", "service", service, "username", "ZENODO_TOKEN"],
      environment: environment, timeout: 10)
    let entries = search.stdout.split(separator: "\n").filter { $0.hasPrefix("[/") }
    #expect(entries.count == 1)
    try store.deleteToken(for: .production)
  }

  @Test func talksToPythonKeyring() async throws {
    try requireSessionBus()
    let theirs = "py-\(UUID().uuidString)"
    let set = try await Subprocess.run(
      [
        "python3", "-c",
        "import keyring, sys; keyring.set_password(sys.argv[1], 'ZENODO_TOKEN', sys.stdin.read())",
        service,
      ], environment: environment, input: theirs, timeout: 20)
    #expect(set.status == 0, "python keyring failed (run scripts/install-deps): \(set.stderr)")
    #expect(try store.token(for: .production) == ZenodoToken(theirs))

    let ours = "ours-\(UUID().uuidString)"
    try store.setToken(ZenodoToken(ours), for: .production)
    let get = try await Subprocess.run(
      [
        "python3", "-c",
        "import keyring, sys; print(keyring.get_password(sys.argv[1], 'ZENODO_TOKEN'), end='')",
        service,
      ], environment: environment, timeout: 20)
    #expect(sameSecret(get.stdout, ours), "Python keyring found another value")
    try store.deleteToken(for: .production)
  }

  @Test func noSessionBusFailsAtOnceWithoutAskingLibsecret() async throws {
    let store = LibsecretTokenStore(service: service, environment: ["PATH": "/usr/bin"])
    let clock = ContinuousClock()
    let start = clock.now
    #expect(throws: KeyringError.noSessionBus) { try store.token(for: .production) }
    #expect(throws: KeyringError.noSessionBus) {
      try store.setToken(ZenodoToken("x"), for: .production)
    }
    #expect(clock.now - start < .seconds(1))
  }

  @Test func standardStoreAsksTheKeyringThenTheEnvironment() {
    let composite = CompositeTokenStore.standard(environment: ["ZENODO_TOKEN": "env-value"])
    #expect(composite.stores.map(\.name) == ["keyring", "environment"])
    let resolution = composite.resolve(.production)
    #expect(resolution.found?.source == "environment")
    #expect(resolution.attempts.first?.outcome == .failed(KeyringError.noSessionBus.description))
  }
}
