import Foundation
import TestSupport

/// A private D-Bus session bus (its own `dbus-daemon`) with no service files, so nothing is
/// ever auto-started on it: an empty bus is a bus with no Secret Service provider.
final class PrivateBus: Sendable {
  /// How long a daemon of these fixtures may take to come up. Generous: the whole suite runs in
  /// parallel on two cores, and a keyring that once needed more than 15 s there failed a run.
  /// It bounds a fixture's start-up, not anything zen-do does.
  static let startLimit: Double = 60

  let directory: URL
  let address: String
  private let daemon: LaunchedProcess

  init() async throws {
    directory = try Subprocess.temporaryDirectory()
    let socket = directory.appendingPathComponent("bus").path
    address = "unix:path=\(socket)"
    let config = """
      <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
       "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
      <busconfig>
        <type>session</type>
        <listen>unix:path=\(socket)</listen>
        <policy context="default">
          <allow send_destination="*" eavesdrop="true"/>
          <allow eavesdrop="true"/>
          <allow own="*"/>
        </policy>
      </busconfig>
      """
    let configURL = directory.appendingPathComponent("bus.conf")
    try config.write(to: configURL, atomically: true, encoding: .utf8)
    daemon = try Subprocess.launch(
      ["dbus-daemon", "--config-file=\(configURL.path)", "--nofork", "--nopidfile"],
      environment: Subprocess.baseEnvironment(home: directory))
    let up = await Subprocess.poll(timeout: Self.startLimit) {
      FileManager.default.fileExists(atPath: socket)
    }
    if !up {
      stop()
      throw FixtureError(
        "dbus-daemon did not create its socket \(socket) within \(Int(Self.startLimit)) s")
    }
  }

  /// The environment of a program that should use this bus and this folder as its home.
  var environment: [String: String] {
    var environment = Subprocess.baseEnvironment(home: directory)
    environment["DBUS_SESSION_BUS_ADDRESS"] = address
    environment["XDG_DATA_HOME"] = directory.appendingPathComponent("data").path
    environment["XDG_RUNTIME_DIR"] = directory.path
    return environment
  }

  /// Whether some connection owns `name` on this bus.
  func hasOwner(_ name: String) async throws -> Bool {
    let outcome = try await Subprocess.run(
      [
        "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:\(name)",
      ], environment: environment, timeout: 5)
    return outcome.stdout.contains("boolean true")
  }

  /// Stops the daemon without waiting (SIGTERM; SIGKILL 2 s later if need be) and removes its
  /// folder once it has ended. For `defer`: no thread waits.
  func stop() {
    let directory = self.directory
    daemon.stop { try? FileManager.default.removeItem(at: directory) }
  }
}

/// A throwaway GNOME Keyring on a private bus, its login collection created and unlocked
/// with a known password: a real Secret Service that cannot touch the user's own keyring.
final class PrivateKeyring {
  let bus: PrivateBus
  private let daemon: LaunchedProcess

  init() async throws {
    bus = try await PrivateBus()
    try FileManager.default.createDirectory(
      at: bus.directory.appendingPathComponent("data"), withIntermediateDirectories: true)
    let password = Pipe()
    do {
      daemon = try Subprocess.launch(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        environment: bus.environment, stdin: password)
    } catch {
      bus.stop()
      throw error
    }
    // A non-empty password: with an empty one, gnome-keyring creates no login collection.
    password.fileHandleForWriting.write(Data("zen-do-test-keyring".utf8))
    try? password.fileHandleForWriting.close()
    let ready = try await Subprocess.poll(timeout: PrivateBus.startLimit) {
      let outcome = try await Subprocess.run(
        [
          "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets",
          "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.ReadAlias",
          "string:default",
        ], environment: bus.environment, timeout: 5)
      return outcome.stdout.contains("/collection/")
    }
    if !ready {
      stop()
      throw FixtureError(
        "gnome-keyring-daemon did not offer a default collection within "
          + "\(Int(PrivateBus.startLimit)) s")
    }
  }

  var environment: [String: String] { bus.environment }

  /// Locks every collection, as a screen lock or `secret-tool lock` would.
  func lockLogin() async throws {
    let outcome = try await Subprocess.run(
      [
        "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets",
        "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
        "array:objpath:/org/freedesktop/secrets/collection/login",
      ], environment: environment, timeout: 5)
    if outcome.status != 0 { throw FixtureError("locking failed: \(outcome.stderr)") }
  }

  /// Stops the keyring, then (once it has ended) its bus; returns at once.
  func stop() {
    let bus = self.bus
    daemon.stop { bus.stop() }
  }
}

/// A process that owns `org.freedesktop.secrets` on a private bus and never answers.
final class SilentSecretService {
  let bus: PrivateBus
  private let process: LaunchedProcess
  private let stdin = Pipe()

  init() async throws {
    bus = try await PrivateBus()
    let script = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/keyring/silent-secret-service.py").path
    do {
      process = try Subprocess.launch(
        ["python3", script, bus.address], environment: bus.environment, stdin: stdin)
    } catch {
      bus.stop()
      throw error
    }
    let owned = try await Subprocess.poll(timeout: PrivateBus.startLimit) {
      try await bus.hasOwner("org.freedesktop.secrets")
    }
    if !owned {
      stop()
      throw FixtureError(
        "silent-secret-service.py did not take org.freedesktop.secrets (is jeepney installed? "
          + "run scripts/install-deps)")
    }
  }

  func stop() {
    try? stdin.fileHandleForWriting.close()
    let bus = self.bus
    process.stop { bus.stop() }
  }
}
