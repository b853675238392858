import Foundation
import TestSupport
import Testing

/// Colour in `zen-do check`'s diagnostics: only on a terminal, never with `NO_COLOR`, never in a
/// pipe. The terminal is a real pseudo-terminal (Fixtures/keyring/tty-drive.py).
@Suite struct ColourTests {
  static let driver = BuiltProducts.packageRoot.appendingPathComponent(
    "Tests/Fixtures/keyring/tty-drive.py"
  ).path
  static let broken = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/broken")
  static let red = "\u{1B}[1;31merror:\u{1B}[0m"

  func environment(noColor: Bool) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = noColor ? "1" : nil
    return env
  }

  @Test func onATerminalTheErrorLabelIsRed() async throws {
    let outcome = try await Subprocess.run(
      [
        "python3", Self.driver, "answer", try BuiltProducts.executable("zen-do").path, "check",
        "wrong-type.toml",
      ],
      environment: environment(noColor: false), input: "", directory: Self.broken, timeout: 40)
    #expect(outcome.stdout.contains("wrong-type.toml:2:9: \(Self.red) title:"), "\(outcome.stdout)")
    #expect(outcome.stdout.contains("exit: 1"))
  }

  @Test func noColorTurnsItOffOnATerminal() async throws {
    let outcome = try await Subprocess.run(
      [
        "python3", Self.driver, "answer", try BuiltProducts.executable("zen-do").path, "check",
        "wrong-type.toml",
      ],
      environment: environment(noColor: true), input: "", directory: Self.broken, timeout: 40)
    #expect(outcome.stdout.contains("wrong-type.toml:2:9: error: title:"), "\(outcome.stdout)")
    #expect(!outcome.stdout.contains("\u{1B}["))
  }

  @Test func aPipeGetsNoColour() async throws {
    let outcome = try await Subprocess.run(
      [try BuiltProducts.executable("zen-do").path, "check", "wrong-type.toml"],
      environment: environment(noColor: false), directory: Self.broken)
    #expect(outcome.status == 1)
    #expect(outcome.stderr.hasPrefix("wrong-type.toml:2:9: error: title:"))
    #expect(!outcome.stderr.contains("\u{1B}["))
  }
}
