import ArgumentParser
import Foundation
import TOML
import ZenDo

extension ZenDoCommand {
  /// `zen-do init`: write a commented `.zenodo.toml` to start from.
  struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Write a commented .zenodo.toml template.",
      discussion: """
        The deposit's identity URN is urn:zenodo:<owner>:<repo> from the folder's git remote \
        "origin" (plus :<name> for a file named .<name>.zenodo.toml), unless --urn gives it. \
        The template passes `zen-do check` as written; fill in its fields and files.
        """
    )

    @Option(help: "The identity URN, such as urn:zenodo:owner:repo:paper.")
    var urn: String?

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    @Argument(help: "The file to write, or a folder to write .zenodo.toml into.")
    var path: String = ".zenodo.toml"

    func validate() throws {
      if let urn, !IdentifierRules.isZenodoURN(urn) {
        throw ValidationError(
          "The URN \"\(urn)\" does not match urn:zenodo(:[^/:\\s]+)+; "
            + "please give one such as urn:zenodo:owner:repo")
      }
    }

    func run() async throws {
      let output = DiagnosticOutput()
      var url = URL(fileURLWithPath: path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        url = url.appendingPathComponent(".zenodo.toml")
      }
      let shown =
        url.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
        ? String(url.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1))
        : url.path
      if FileManager.default.fileExists(atPath: url.path), !force {
        output.line("\(shown): error: the file exists; use --force to overwrite it")
        throw ExitCode(ZenDoExitCode.invalidInput)
      }
      guard let urn = urn ?? RepositoryURN.derive(for: url) else {
        throw ValidationError(
          "No git remote \"origin\" with an owner/repo path was found for \(shown); "
            + "please give the identity with --urn urn:zenodo:<owner>:<repo>")
      }
      let folder = url.deletingLastPathComponent()
      let template = InitTemplate(
        urn: urn,
        title: RepositoryURN.originRemote(of: folder)
          .flatMap(RepositoryURN.repositoryPath(fromRemote:))?.last
          ?? folder.standardizedFileURL.lastPathComponent,
        creator: InitTemplate.creatorName(fromGitUserName: Self.gitUserName(in: folder) ?? ""),
        date: Self.today())
      do {
        try Data(template.text.utf8).write(to: url)
      } catch {
        output.line("\(shown): error: could not write the file (\(error.localizedDescription))")
        throw ExitCode(ZenDoExitCode.invalidInput)
      }
      output.line("\(shown): written, identity \(urn); fill it in, then run `zen-do check`")
    }

    static func today() -> TOMLDate {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
      let parts = calendar.dateComponents([.year, .month, .day], from: Date())
      return TOMLDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    static func gitUserName(in folder: URL) -> String? {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-C", folder.path, "config", "user.name"]
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      guard (try? process.run()) != nil else { return nil }
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { return nil }
      let name = String(decoding: data, as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
      return name.isEmpty ? nil : name
    }
  }
}
