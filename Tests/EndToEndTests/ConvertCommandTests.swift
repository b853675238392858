import Foundation
import TestSupport
import Testing

/// `zen-do convert` run as the built binary: files, exit codes, stdout and stderr.
@Suite("zen-do convert (binary)")
struct ConvertCommandTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/zenodo-json")

  func run(_ arguments: [String], in folder: URL) async throws -> BuiltProducts.Output {
    try await BuiltProducts.run("zen-do", arguments, in: folder)
  }

  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("zen-do-convert-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("json → toml beside it, refusal to overwrite, --force, -o -, and back to json")
  func roundTripThroughFiles() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Self.fixtures.appendingPathComponent("remindmodel__remind.json"),
      to: folder.appendingPathComponent(".book.zenodo.json"))

    let first = try await run(
      ["convert", ".book.zenodo.json", "--urn", "urn:zenodo:remindmodel:remind:book"], in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.isEmpty)
    #expect(
      first.stderr.contains("added the identity urn:zenodo:remindmodel:remind:book (from --urn)"))
    let toml = try String(
      contentsOf: folder.appendingPathComponent(".book.zenodo.toml"), encoding: .utf8)
    #expect(toml.hasPrefix("# Converted from .book.zenodo.json by zen-do "))
    #expect(toml.contains("\nversion = 4.0\n"))

    let again = try await run(
      ["convert", ".book.zenodo.json", "--urn", "urn:zenodo:a:b"], in: folder)
    #expect(again.status != 0)
    #expect(again.stderr.contains("pass --force to overwrite"))

    let forced = try await run(
      ["convert", ".book.zenodo.json", "--force", "--urn", "urn:zenodo:a:b"], in: folder)
    #expect(forced.status == 0, "\(forced.stderr)")

    let toStdout = try await run(["convert", ".book.zenodo.toml", "-o", "-"], in: folder)
    #expect(toStdout.status == 0, "\(toStdout.stderr)")
    #expect(toStdout.stdout.hasPrefix("{\n  \"title\": "))
    #expect(toStdout.stdout.contains("\"version\": 4.0,"))
    #expect(toStdout.stdout.contains("\"identifier\": \"urn:zenodo:a:b\""))
  }

  @Test("invalid JSON exits non-zero with file:line:col: error: and what to fix")
  func invalidJSON() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Self.fixtures.appendingPathComponent("3MAH__microgen.json"),
      to: folder.appendingPathComponent(".zenodo.json"))
    let result = try await run(["convert", ".zenodo.json", "--urn", "urn:zenodo:a:b"], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix(".zenodo.json:34:37: error: remove the trailing comma"))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent(".zenodo.toml").path))
  }

  @Test("without --urn and without a git remote, convert asks for --urn")
  func asksForURN() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(#"{"title": "t"}"#.utf8).write(to: folder.appendingPathComponent(".zenodo.json"))
    let result = try await run(["convert", ".zenodo.json"], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.contains("pass one with --urn"))
  }
}

extension ConvertCommandTests {
  @Test("after converting, check's findings on the new file are shown, and the exit status is 0")
  func showsCheck() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Self.fixtures.appendingPathComponent("remindmodel__remind.json"),
      to: folder.appendingPathComponent(".zenodo.json"))
    let result = try await run(["convert", ".zenodo.json", "--urn", "urn:zenodo:r:r"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains(".zenodo.toml:1:1: error: missing required key \"upload_type\""))
    #expect(result.stderr.contains(".zenodo.toml:4:11: warning: version: expected a string"))
    #expect(result.stderr.contains("check: 1 error(s) and 1 warning(s)"))
  }
}
