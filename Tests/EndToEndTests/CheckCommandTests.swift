import Foundation
import TestSupport
import Testing
import ZenDo

/// `zen-do check`, run as the built binary.
@Suite struct CheckCommandTests {
  static let fixtures = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures")
  static let broken = fixtures.appendingPathComponent("broken")

  /// Each broken fixture: the first error's `file:line:col: error: key path:` prefix.
  static let brokenFirstErrors: [(String, String)] = [
    ("wrong-type.toml", "wrong-type.toml:2:9: error: title: expected a string"),
    ("bad-enum.toml", "bad-enum.toml:3:15: error: upload_type: expected one of"),
    ("bad-date.toml", "bad-date.toml:4:20: error: publication_date: expected a date"),
    ("bad-orcid.toml", "bad-orcid.toml:11:9: error: creators[0].orcid: expected an ORCID iD"),
    (
      "missing-conditional.toml",
      "missing-conditional.toml:3:15: error: publication_type: missing \"publication_type\""
    ),
    (
      "embargo-without-date.toml",
      "embargo-without-date.toml:6:16: error: embargo_date: missing \"embargo_date\""
    ),
    (
      "identity-missing.toml",
      "identity-missing.toml:13:3: error: related_identifiers: missing the deposit's identity"
    ),
    (
      "identity-duplicated.toml",
      "identity-duplicated.toml:13:1: error: related_identifiers: the identity"
    ),
    (
      "identity-malformed.toml",
      "identity-malformed.toml:14:14: error: related_identifiers[0].identifier: expected an "
        + "identity URN"
    ),
    ("kebab-snake.toml", "kebab-snake.toml:4:1: error: upload_type: \"upload_type\" (at 3:1)"),
    ("bad-language.toml", "bad-language.toml:8:12: error: language: expected an ISO 639-1"),
    ("missing-file.toml", "missing-file.toml:19:28: error: zen-do.files[1]: expected an existing"),
    (
      "duplicate-name.toml",
      "duplicate-name.toml:19:31: error: zen-do.files[1]: expected unique file names"
    ),
    ("empty-file.toml", "empty-file.toml:19:28: error: zen-do.files[1]: expected a non-empty"),
    ("syntax.toml", "syntax.toml:2:32: error: invalid TOML: expected '\"' to close the string"),
  ]

  @Test(arguments: brokenFirstErrors.map(\.0))
  func brokenFileFailsWithItsPosition(name: String) async throws {
    let prefix = try #require(Self.brokenFirstErrors.first { $0.0 == name }?.1)
    let output = try await BuiltProducts.run("zen-do", ["check", name], in: Self.broken)
    #expect(output.status == 1)
    #expect(output.stdout == "")
    let lines = output.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix(prefix) == true, "\(output.stderr)")
    #expect(lines.allSatisfy { $0.hasPrefix("\(name):") })
    #expect(!output.stderr.contains(": ok"))
  }

  @Test func examplePasses() async throws {
    let output = try await BuiltProducts.run(
      "zen-do", ["check", ".zenodo.toml.example"], in: BuiltProducts.packageRoot)
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stderr == ".zenodo.toml.example: ok, 2 files\n")
  }

  @Test func defaultFileIsTheOneInTheCurrentFolder() async throws {
    let folder = try CheckFolders.make()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = try await BuiltProducts.run("zen-do", ["check"], in: folder)
    #expect(missing.status == 1)
    #expect(
      missing.stderr
        == ".zenodo.toml: error: expected a .zenodo.toml file, but no such file\n")

    try FileManager.default.copyItem(
      at: Self.fixtures.appendingPathComponent("valid/minimal.toml"),
      to: folder.appendingPathComponent(".zenodo.toml"))
    try Data("a,b\n".utf8).write(to: folder.appendingPathComponent("files-data.csv"))
    let found = try await BuiltProducts.run("zen-do", ["check"], in: folder)
    #expect(found.status == 0, "\(found.stderr)")
    #expect(found.stderr == ".zenodo.toml: ok, 1 file\n")
  }

  @Test func warningsDoNotFail() async throws {
    let output = try await BuiltProducts.run(
      "zen-do", ["check", "unknown-key.toml"], in: Self.fixtures.appendingPathComponent("valid"))
    #expect(output.status == 0)
    #expect(
      output.stderr
        == "unknown-key.toml:7:1: warning: funding_note: unknown key \"funding_note\" in the "
        + "file; it is sent to Zenodo as written\nunknown-key.toml: ok, 1 file, 1 warning\n")
  }

  @Test func severalFilesAreAllReported() async throws {
    let output = try await BuiltProducts.run(
      "zen-do", ["check", "broken/wrong-type.toml", "valid/minimal.toml", "broken/bad-date.toml"],
      in: Self.fixtures)
    #expect(output.status == 1)
    let lines = output.stderr.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("broken/wrong-type.toml:2:9: error:"))
    #expect(lines[1] == "valid/minimal.toml: ok, 1 file")
    #expect(lines[2].hasPrefix("broken/bad-date.toml:4:20: error:"))
  }

  @Test func jsonFormat() async throws {
    let output = try await BuiltProducts.run(
      "zen-do", ["check", "--format", "json", "wrong-type.toml"], in: Self.broken)
    #expect(output.status == 1)
    #expect(output.stderr == "")
    let document = try #require(try ZenodoJSON.parse(output.stdout).objectValue)
    #expect(document.keys == ["ok", "command", "schema_version", "files", "error"])
    #expect(document["ok"]?.boolValue == false)
    #expect(document["command"]?.stringValue == "check")
    #expect(document["schema_version"]?.intValue == 1)
    #expect(document["error"]?.objectValue?["code"]?.stringValue == "invalid_input")
    let files = try #require(document["files"]?.arrayValue)
    #expect(files.count == 1)
    let diagnostics = try #require(files.first?.objectValue?["diagnostics"]?.arrayValue)
    #expect(diagnostics.count == 1)
    let first = try #require(diagnostics.first?.objectValue)
    #expect(first["line"]?.intValue == 2)
    #expect(first["column"]?.intValue == 9)
    #expect(first["key_path"]?.stringValue == "title")
    #expect(first["severity"]?.stringValue == "error")
    #expect(first["message"]?.stringValue == "expected a string, found an integer (42)")
  }

  @Test func unknownOptionIsAUsageError() async throws {
    let output = try await BuiltProducts.run(
      "zen-do", ["check", "--frmat", "json"], in: Self.broken)
    #expect(output.status == 64)
  }
}

/// `zen-do init`, run as the built binary in throwaway git repositories.
@Suite struct InitCommandTests {
  func git(_ arguments: [String], in folder: URL) async throws {
    let outcome = try await Subprocess.run(
      ["git", "-C", folder.path] + arguments, environment: ProcessInfo.processInfo.environment,
      timeout: 60)
    #expect(!outcome.timedOut)
    #expect(outcome.status == 0, "\(outcome.stderr)")
  }

  func repository(remote: String) async throws -> URL {
    let folder = try CheckFolders.make()
    try await git(["init", "-q"], in: folder)
    try await git(["remote", "add", "origin", remote], in: folder)
    try await git(["config", "user.name", "Jane Doe"], in: folder)
    return folder
  }

  @Test(arguments: [
    (
      "https://github.com/seedcase-project/rose-scent.git", "urn:zenodo:seedcase-project:rose-scent"
    ),
    ("git@github.com:seedcase-project/rose-scent.git", "urn:zenodo:seedcase-project:rose-scent"),
    ("git@gitlab.com:lab/group/rose-scent.git", "urn:zenodo:lab:group:rose-scent"),
  ])
  func writesATemplateThatPassesCheck(remote: String, urn: String) async throws {
    let folder = try await repository(remote: remote)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = try await BuiltProducts.run("zen-do", ["init"], in: folder)
    #expect(output.status == 0, "\(output.stderr)")
    let text = try String(
      contentsOf: folder.appendingPathComponent(".zenodo.toml"), encoding: .utf8)
    #expect(text.contains("identifier = \"\(urn)\"\n"))
    #expect(text.contains("name = \"Doe, Jane\""))
    #expect(text.contains("title = \"rose-scent\"\n"))

    let check = try await BuiltProducts.run("zen-do", ["check"], in: folder)
    #expect(check.status == 0, "\(check.stderr)")
    #expect(!check.stderr.contains("error"))
  }

  @Test func refusesToOverwriteWithoutForce() async throws {
    let folder = try await repository(remote: "https://github.com/o/r")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent(".zenodo.toml")
    try Data("keep me\n".utf8).write(to: file)
    let refused = try await BuiltProducts.run("zen-do", ["init"], in: folder)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("use --force"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "keep me\n")

    let forced = try await BuiltProducts.run("zen-do", ["init", "--force"], in: folder)
    #expect(forced.status == 0)
    #expect(try String(contentsOf: file, encoding: .utf8).contains("urn:zenodo:o:r"))
  }

  @Test func urnOptionAndPrefixedFileName() async throws {
    let folder = try await repository(remote: "https://github.com/o/r")
    defer { try? FileManager.default.removeItem(at: folder) }
    let derived = try await BuiltProducts.run("zen-do", ["init", ".book.zenodo.toml"], in: folder)
    #expect(derived.status == 0)
    let book = try String(
      contentsOf: folder.appendingPathComponent(".book.zenodo.toml"), encoding: .utf8)
    #expect(book.contains("identifier = \"urn:zenodo:o:r:book\""))

    let given = try await BuiltProducts.run(
      "zen-do", ["init", "--urn", "urn:zenodo:x:y:z", "sub.zenodo.toml"], in: folder)
    #expect(given.status == 0)
    let sub = try String(
      contentsOf: folder.appendingPathComponent("sub.zenodo.toml"), encoding: .utf8)
    #expect(sub.contains("identifier = \"urn:zenodo:x:y:z\""))
  }

  @Test func needsAURNWithoutARemote() async throws {
    let folder = try CheckFolders.make()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = try await BuiltProducts.run("zen-do", ["init"], in: folder)
    #expect(output.status == 64)
    #expect(output.stderr.contains("--urn"))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent(".zenodo.toml").path))

    let bad = try await BuiltProducts.run(
      "zen-do", ["init", "--urn", "urn:zenodo:a/b"], in: folder)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("urn:zenodo:a/b"))
  }
}

/// Throwaway folders for the check and init tests.
enum CheckFolders {
  /// A fresh, empty folder under the temporary directory.
  static func make() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
