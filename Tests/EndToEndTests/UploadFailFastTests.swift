import Foundation
import TestSupport
import Testing
import ZenDo

/// `zen-do upload` as a process when the server cannot be reached, and on a broken file: it
/// stops at once, says what to check, and prints every diagnostic exactly once.
@Suite struct UploadFailFastTests {
  /// A folder with a valid `.zenodo.toml` and its one file.
  func validFolder() throws -> URL {
    let folder = try CheckFolders.make()
    try Data("a,b\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
    try Data(
      TOMLFixture.text(urn: "urn:zenodo:e2e:failfast", files: "[\"data.csv\"]").utf8
    ).write(to: folder.appendingPathComponent(".zenodo.toml"))
    return folder
  }

  /// The run's output and zen-do's own wall time, from launch until it ended (not until the
  /// test, on a busy cooperative pool, got round to looking).
  func upload(_ server: String, in folder: URL) async throws -> (BuiltProducts.Output, Double) {
    let output = try await BuiltProducts.run(
      "zen-do", ["upload", "--server", server], in: folder,
      environment: ["ZENODO_TOKEN": "fail-fast-token", "DBUS_SESSION_BUS_ADDRESS": ""],
      timeout: 30)
    return (output, output.elapsed)
  }

  @Test func anUnknownHostFailsInUnderFiveSecondsNamingTheHost() async throws {
    let folder = try validFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (output, seconds) = try await upload("https://no-such-host.invalid/api", in: folder)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(seconds < 5, "took \(seconds) s")
    #expect(output.stderr.contains("the host 'no-such-host.invalid' is unknown"))
    #expect(!output.stderr.contains("retry:"))
    #expect(!output.stderr.contains("fail-fast-token"))
  }

  @Test func aRefusedPortFailsInUnderFiveSecondsAfterOneRetry() async throws {
    let folder = try validFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (output, seconds) = try await upload("http://127.0.0.1:1/api", in: folder)
    #expect(output.status == 3, "\(output.stderr)")
    #expect(seconds < 5, "took \(seconds) s")
    #expect(output.stderr.contains("'127.0.0.1' refused the connection on port 1"))
    let retries = output.stderr.split(separator: "\n").filter { $0.hasPrefix("retry: ") }
    #expect(retries.count == 1, "\(output.stderr)")
  }

  @Test func aBrokenFileGivesExactlyItsDiagnostics() async throws {
    let folder = try validFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let toml = folder.appendingPathComponent(".zenodo.toml")
    let text = try String(contentsOf: toml, encoding: .utf8)
      .replacingOccurrences(of: "title = \"A title\"", with: "title = 42")
      .replacingOccurrences(of: "files = [\"data.csv\"]", with: "files = []")
    try Data(text.utf8).write(to: toml)
    let (output, _) = try await upload("http://127.0.0.1:1/api", in: folder)
    #expect(output.status == 1)
    #expect(output.stdout == "")
    #expect(
      output.stderr == """
        .zenodo.toml:1:9: error: title: expected a string, found an integer (42)
        .zenodo.toml:17:1: warning: zen-do.files: no files listed; expected paths or glob \
        patterns in [zen-do].files, since Zenodo publishes a deposit only when it has at least \
        one file
        error: 1 of 1 file has errors; nothing was sent

        """)
  }
}
