import Foundation
import Testing

/// The built `zen-do token` commands, each run as a process against a private bus: a
/// throwaway GNOME Keyring, an empty bus, a silent service, or no bus at all. These use the
/// real service name `zen-do`, safely, since every keyring here is private to the test.
@Suite struct TokenCommandTests {
  /// Runs `zen-do` with `arguments` and asserts that `secrets` appear in none of its output.
  func zenDo(
    _ arguments: [String], environment: [String: String], input: String? = nil,
    secrets: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> ProcessOutcome {
    let outcome = try Subprocess.run(
      [try Subprocess.zenDoExecutable()] + arguments, environment: environment, input: input,
      timeout: 30)
    for secret in secrets {
      #expect(!outcome.reveals(secret), "zen-do printed a token", sourceLocation: sourceLocation)
    }
    #expect(!outcome.timedOut, sourceLocation: sourceLocation)
    return outcome
  }

  static func randomSecret(_ tag: String) -> String { "\(tag)-\(UUID().uuidString)" }

  @Test func setFromStandardInputThenStatusThenSecretToolThenDelete() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let secret = Self.randomSecret("set")
    let env = keyring.environment

    let set = try zenDo(
      ["token", "set"], environment: env, input: secret + "\n", secrets: [secret])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stderr.contains("stored ZENODO_TOKEN in the keyring"))

    let status = try zenDo(["token", "status"], environment: env, secrets: [secret])
    #expect(status.status == 0)
    #expect(status.stdout == "ZENODO_TOKEN: keyring\n")

    let lookup = try Subprocess.run(
      ["secret-tool", "lookup", "service", "zen-do", "username", "ZENODO_TOKEN"],
      environment: env, timeout: 10)
    #expect(lookup.stdout == secret)

    let sandbox = try zenDo(["token", "status", "--sandbox"], environment: env, secrets: [secret])
    #expect(sandbox.status == 1)
    #expect(sandbox.stdout == "ZENODO_SANDBOX_TOKEN: none\n")

    let delete = try zenDo(["token", "delete"], environment: env, secrets: [secret])
    #expect(delete.status == 0)
    #expect(delete.stderr.contains("deleted ZENODO_TOKEN"))
    let after = try zenDo(["token", "status"], environment: env, secrets: [secret])
    #expect(after.stdout == "ZENODO_TOKEN: none\n")
    #expect(after.status == 1)
  }

  @Test func keyringWinsOverTheEnvironment() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let stored = Self.randomSecret("kr")
    let inEnvironment = Self.randomSecret("env")
    var env = keyring.environment
    let set = try zenDo(
      ["token", "set", "--sandbox"], environment: env, input: stored, secrets: [stored])
    #expect(set.status == 0)
    env["ZENODO_SANDBOX_TOKEN"] = inEnvironment
    let status = try zenDo(
      ["token", "status", "--sandbox", "--verbose"], environment: env,
      secrets: [stored, inEnvironment])
    #expect(status.stdout == "ZENODO_SANDBOX_TOKEN: keyring\n")
    #expect(status.stderr.contains("keyring: has ZENODO_SANDBOX_TOKEN"))
  }

  @Test func findsWhatSecretToolAndPythonKeyringStored() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let env = keyring.environment
    let fromTool = Self.randomSecret("tool")
    let stored = try Subprocess.run(
      [
        "secret-tool", "store", "--label=Zenodo", "service", "zen-do", "username",
        "ZENODO_SANDBOX_TOKEN",
      ], environment: env, input: fromTool, timeout: 10)
    #expect(stored.status == 0, "\(stored.stderr)")
    let status = try zenDo(["token", "status", "--sandbox"], environment: env, secrets: [fromTool])
    #expect(status.stdout == "ZENODO_SANDBOX_TOKEN: keyring\n")

    let fromPython = Self.randomSecret("py")
    let python = try Subprocess.run(
      [
        "python3", "-c",
        "import keyring, sys; keyring.set_password('zen-do', 'ZENODO_TOKEN', sys.stdin.read())",
      ], environment: env, input: fromPython, timeout: 20)
    #expect(
      python.status == 0, "python keyring failed (run scripts/install-deps): \(python.stderr)")
    let production = try zenDo(["token", "status"], environment: env, secrets: [fromPython])
    #expect(production.stdout == "ZENODO_TOKEN: keyring\n")

    // And Python reads what zen-do stores.
    let ours = Self.randomSecret("ours")
    _ = try zenDo(["token", "set"], environment: env, input: ours, secrets: [ours])
    let get = try Subprocess.run(
      ["python3", "-c", "import keyring; print(keyring.get_password('zen-do', 'ZENODO_TOKEN'))"],
      environment: env, timeout: 20)
    #expect(get.stdout == ours + "\n")
  }

  @Test func setRefusesAnEmptyTokenAndTakesNoArgument() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let empty = try zenDo(
      ["token", "set"], environment: keyring.environment, input: "\n", secrets: [])
    #expect(empty.status != 0)
    #expect(empty.stderr.contains("the token is empty"))
    let secret = Self.randomSecret("arg")
    let argument = try zenDo(
      ["token", "set", secret], environment: keyring.environment, input: "", secrets: [])
    #expect(argument.status != 0)
    let status = try zenDo(
      ["token", "status"], environment: keyring.environment, secrets: [secret])
    #expect(status.stdout == "ZENODO_TOKEN: none\n")
  }

  /// Runs `zen-do ARGUMENTS` on a pseudo-terminal through Fixtures/keyring/tty-drive.py.
  func onTerminal(
    _ mode: String, _ arguments: [String], environment: [String: String], input: String
  ) throws -> ProcessOutcome {
    let driver = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/keyring/tty-drive.py").path
    return try Subprocess.run(
      ["python3", driver, mode, try Subprocess.zenDoExecutable()] + arguments,
      environment: environment, input: input, timeout: 40)
  }

  @Test func setOnATerminalHidesTheToken() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let secret = Self.randomSecret("tty")
    let typed = try onTerminal(
      "answer", ["token", "set"], environment: keyring.environment, input: secret)
    #expect(typed.stdout.contains("Zenodo token for ZENODO_TOKEN: "))
    #expect(!typed.reveals(secret), "the typed token was echoed")
    #expect(typed.stdout.contains("exit: 0"), "\(typed.stdout)")
    #expect(typed.stdout.contains("echo-after: on"))
    let status = try zenDo(
      ["token", "status"], environment: keyring.environment, secrets: [secret])
    #expect(status.stdout == "ZENODO_TOKEN: keyring\n")
  }

  @Test func ctrlCAtThePromptRestoresEcho() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let interrupted = try onTerminal(
      "interrupt", ["token", "set"], environment: keyring.environment, input: "")
    #expect(interrupted.stdout.contains("Zenodo token for ZENODO_TOKEN: "))
    #expect(interrupted.stdout.contains("exit: -2"), "killed by SIGINT: \(interrupted.stdout)")
    #expect(interrupted.stdout.contains("echo-after: on"))
  }

  // MARK: Fallbacks: each must answer "environment" in well under 3 s.

  /// Asserts that `status --verbose` falls back to the environment quickly, for `why`.
  func expectFallback(
    environment: [String: String], why: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    var env = environment
    let secret = Self.randomSecret("fallback")
    env["ZENODO_TOKEN"] = secret
    let outcome = try zenDo(
      ["token", "status", "--verbose"], environment: env, secrets: [secret],
      sourceLocation: sourceLocation)
    #expect(outcome.status == 0, sourceLocation: sourceLocation)
    #expect(outcome.stdout == "ZENODO_TOKEN: environment\n", sourceLocation: sourceLocation)
    #expect(outcome.stderr.contains("keyring: not usable:"), sourceLocation: sourceLocation)
    #expect(
      outcome.stderr.contains(why), "stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
    #expect(outcome.elapsed < 3, "took \(outcome.elapsed) s", sourceLocation: sourceLocation)
    print("fallback (\(why)): \(String(format: "%.3f", outcome.elapsed)) s")

    // Without --verbose, the answer alone.
    let quiet = try zenDo(["token", "status"], environment: env, secrets: [secret])
    #expect(quiet.stderr.isEmpty, sourceLocation: sourceLocation)
  }

  @Test func noBusFallsBack() throws {
    let home = try Subprocess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    try expectFallback(environment: Subprocess.baseEnvironment(home: home), why: "no D-Bus session")
  }

  @Test func busAddressToNowhereFallsBack() throws {
    let home = try Subprocess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    var env = Subprocess.baseEnvironment(home: home)
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=\(home.path)/no-such-socket"
    try expectFallback(environment: env, why: "the Secret Service failed")
  }

  @Test func noProviderFallsBack() throws {
    let bus = try PrivateBus()
    defer { bus.stop() }
    try expectFallback(environment: bus.environment, why: "org.freedesktop.secrets")
  }

  @Test func lockedCollectionFallsBack() throws {
    let keyring = try PrivateKeyring()
    defer { keyring.stop() }
    let locked = Self.randomSecret("locked")
    let set = try zenDo(
      ["token", "set"], environment: keyring.environment, input: locked, secrets: [locked])
    #expect(set.status == 0)
    try keyring.lockLogin()
    try expectFallback(environment: keyring.environment, why: "locked")
  }

  @Test func unresponsiveServiceFallsBack() throws {
    let silent = try SilentSecretService()
    defer { silent.stop() }
    try expectFallback(environment: silent.bus.environment, why: "did not answer within 2 s")
  }
}
