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

    @OptionGroup var output: OutputOptions

    func validate() throws {
      try ValidationError.checkURN(urn)
    }

    func run() async throws {
      try run(CommandContext.live(format: output.format)).exit()
    }

    /// Writes the template and reports through `context`.
    func run(_ context: CommandContext) -> ExitStatus {
      var url = URL(fileURLWithPath: path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        url = url.appendingPathComponent(".zenodo.toml")
      }
      let current = FileManager.default.currentDirectoryPath + "/"
      let shown = url.path.hasPrefix(current) ? String(url.path.dropFirst(current.count)) : url.path
      var envelope = Envelope("init", JSONObject([("path", .string(shown))]))
      if FileManager.default.fileExists(atPath: url.path), !force {
        return context.fail(
          CommandFailure(
            status: .failure, code: "output_exists",
            message: "the file exists; use --force to overwrite it", location: shown),
          envelope)
      }
      guard let urn = urn ?? DepositIdentity.derive(for: url) else {
        return context.fail(
          CommandFailure(
            status: .usage, code: "no_identity",
            message: "no git remote \"origin\" with an owner/repo path was found for \(shown); "
              + "please give the identity with --urn urn:zenodo:<owner>:<repo>"),
          envelope)
      }
      envelope["urn"] = .string(urn)
      let folder = url.deletingLastPathComponent()
      let template = InitTemplate(
        urn: urn,
        title: DepositIdentity.originRemote(of: folder)
          .flatMap(DepositIdentity.repositoryPath(fromRemote:))?.last
          ?? folder.standardizedFileURL.lastPathComponent,
        creator: InitTemplate.creatorName(
          fromGitUserName: Git.output(["config", "user.name"], in: folder) ?? ""),
        date: context.today)
      do {
        try Data(template.text.utf8).write(to: url)
      } catch {
        return context.fail(
          CommandFailure(
            status: .failure, code: "write_failed",
            message: "could not write the file (\(error.localizedDescription))", location: shown),
          envelope)
      }
      if context.format == .text {
        context.line("\(shown): written, identity \(urn); fill it in, then run `zen-do check`")
      }
      context.document(envelope)
      return .success
    }
  }
}
