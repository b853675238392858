import Foundation
import Testing
import ZenDo

@testable import zen_do

@Suite struct CheckCommandTests {
  static let titleError = "title: expected a string, found an integer (42)"
  static let versionWarning =
    "version: expected a string such as \"1.2.0\", found a float (4.0); it is sent as a number, "
    + "so write it in quotes to keep it as written"
  static let filesWarning =
    "zen-do.files: no files listed; expected paths or glob patterns in [zen-do].files, since "
    + "Zenodo publishes a deposit only when it has at least one file"

  @Test func brokenFilePrintsEachDiagnosticOnceInPositionOrder() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeBrokenTOML(in: folder)
    let context = testContext()
    let status = try ZenDoCommand.Check.parse([path]).run(context)
    #expect(status == .failure)
    #expect(context.standardOutput.text == "")
    #expect(
      context.standardError.text == """
        \(path):1:9: error: \(Self.titleError)
        \(path):2:11: warning: \(Self.versionWarning)
        \(path):18:1: warning: \(Self.filesWarning)

        """)
  }

  @Test func colourOnlyWhenTheContextSaysSo() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeBrokenTOML(in: folder)
    let context = testContext(colour: true)
    _ = try ZenDoCommand.Check.parse([path]).run(context)
    #expect(
      context.standardError.text == """
        \(path):1:9: \u{1B}[1;31merror:\u{1B}[0m \(Self.titleError)
        \(path):2:11: \u{1B}[1;35mwarning:\u{1B}[0m \(Self.versionWarning)
        \(path):18:1: \u{1B}[1;35mwarning:\u{1B}[0m \(Self.filesWarning)

        """)
  }

  @Test func jsonEnvelopeOfAFailedCheck() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeBrokenTOML(in: folder)
    let context = testContext(format: .json)
    let status = try ZenDoCommand.Check.parse(["--format", "json", path]).run(context)
    #expect(status == .failure)
    #expect(context.standardError.text == "")
    let expected = try ZenodoJSON.parse(
      """
      {"ok": false, "command": "check", "schema_version": 1,
       "files": [{"path": "\(path)", "ok": false,
         "diagnostics": [
           {"severity": "error", "path": "\(path)", "line": 1, "column": 9,
            "key_path": "title", "message": "expected a string, found an integer (42)"},
           {"severity": "warning", "path": "\(path)", "line": 2, "column": 11,
            "key_path": "version",
            "message": "\(Self.versionWarning.dropFirst("version: ".count).replacingOccurrences(of: "\"", with: "\\\""))"},
           {"severity": "warning", "path": "\(path)", "line": 18, "column": 1,
            "key_path": "zen-do.files",
            "message": "\(Self.filesWarning.dropFirst("zen-do.files: ".count))"}],
         "files": []}],
       "error": {"code": "invalid_input", "message": "1 of 1 file has errors"}}
      """)
    #expect(try ZenodoJSON.parse(context.standardOutput.text) == expected)
  }

  @Test func jsonEnvelopeOfAPassingCheck() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let context = testContext(format: .json)
    let status = try ZenDoCommand.Check.parse([path]).run(context)
    #expect(status == .success)
    let data = folder.appendingPathComponent("data.csv").path
    let expected = try ZenodoJSON.parse(
      """
      {"ok": true, "command": "check", "schema_version": 1,
       "files": [{"path": "\(path)", "ok": true, "diagnostics": [],
         "files": [{"name": "data.csv", "path": "\(data)", "size": 8}]}]}
      """)
    #expect(try ZenodoJSON.parse(context.standardOutput.text) == expected)
  }
}

@Suite struct FilesOutsideTheRepositoryTests {
  /// A folder `root` with a `.git` folder (a work tree), `root/sub/.zenodo.toml` naming
  /// `files`, and `root/data.csv`.
  func repository(files: String) throws -> (root: URL, toml: String) {
    let root = try temporaryFolder()
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let sub = root.appendingPathComponent("sub")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    let path = try writeValidTOML(in: sub)
    try Data("x,y\n".utf8).write(to: root.appendingPathComponent("data.csv"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(of: "files = [\"data.csv\"]", with: "files = [\(files)]")
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return (root, path)
  }

  @Test func aFileInAParentFolderInsideTheWorkTreeIsFine() throws {
    let (root, toml) = try repository(files: "\"../data.csv\"")
    defer { try? FileManager.default.removeItem(at: root) }
    let context = testContext()
    #expect(try ZenDoCommand.Check.parse([toml]).run(context) == .success)
    #expect(context.standardError.text == "\(toml): ok, 1 file\n")
  }

  @Test func dotDotOutOfTheWorkTreeIsAnErrorAtTheEntry() throws {
    let (root, toml) = try repository(files: "\"../../outside.csv\"")
    defer { try? FileManager.default.removeItem(at: root) }
    let outside = root.deletingLastPathComponent().appendingPathComponent("outside.csv")
    try Data("o\n".utf8).write(to: outside)
    defer { try? FileManager.default.removeItem(at: outside) }
    let context = testContext()
    #expect(try ZenDoCommand.Check.parse([toml]).run(context) == .failure)
    let real = try #require(WorkTree.realPath(outside.path))
    let boundary = try #require(WorkTree.realPath(root.path))
    #expect(
      context.standardError.text
        == "\(toml):17:10: error: zen-do.files[0]: expected a file inside \"\(boundary)\" (the "
        + "repository holding the .zenodo.toml), found \"../../outside.csv\", which resolves to "
        + "\"\(real)\" outside it; copy the file into the repository\n")
  }

  @Test func aSymbolicLinkPointingOutIsAnError() throws {
    let (root, toml) = try repository(files: "\"link.csv\"")
    defer { try? FileManager.default.removeItem(at: root) }
    let elsewhere = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: elsewhere) }
    let target = elsewhere.appendingPathComponent("secret.csv")
    try Data("s\n".utf8).write(to: target)
    try FileManager.default.createSymbolicLink(
      at: root.appendingPathComponent("sub/link.csv"), withDestinationURL: target)
    let context = testContext()
    #expect(try ZenDoCommand.Check.parse([toml]).run(context) == .failure)
    #expect(context.standardError.text.hasPrefix("\(toml):17:10: error: zen-do.files[0]: "))
    #expect(context.standardError.text.contains("which resolves to"))
  }

  @Test func outsideGitTheTOMLsFolderIsTheBoundary() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sub = folder.appendingPathComponent("sub")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    let toml = try writeValidTOML(in: sub)
    try Data("x\n".utf8).write(to: folder.appendingPathComponent("up.csv"))
    let text = try String(contentsOfFile: toml, encoding: .utf8)
      .replacingOccurrences(of: "\"data.csv\"", with: "\"../up.csv\"")
    try Data(text.utf8).write(to: URL(fileURLWithPath: toml))
    let context = testContext()
    #expect(try ZenDoCommand.Check.parse([toml]).run(context) == .failure)
    #expect(context.standardError.text.contains("outside it"))
  }
}
