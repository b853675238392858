import ArgumentParser
import Foundation
import ZenDo

extension ZenDoCommand {
  /// `zen-do convert FILE`: `.zenodo.json` ⇄ `.zenodo.toml`.
  struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "convert",
      abstract:
        "Convert a .zenodo.json or CITATION.cff into a .zenodo.toml, or a .zenodo.toml back.",
      discussion: """
        The direction follows the extension: X.zenodo.json is written to X.zenodo.toml beside it, \
        and X.zenodo.toml to X.zenodo.json. Nothing is lost (nulls aside, which TOML cannot hold). \
        When the JSON has no urn:zenodo: identity, one is added from --urn or derived from the git \
        remote `origin` of the file's folder. CITATION.cff (any *.cff) is written to .zenodo.toml \
        in its folder; --to cff writes a .zenodo.toml as CITATION.cff. See docs/convert.md.
        """
    )

    @Argument(help: "The .zenodo.json, .zenodo.toml or CITATION.cff file to convert.")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the result; `-` for standard output.")
    var output: String?

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    @Option(
      help: "The identity to add when the JSON has none (urn:zenodo:<owner>:<repo>[:<name>]).")
    var urn: String?

    @Option(help: "Convert a .zenodo.toml to this format instead of JSON: `cff` (CITATION.cff).")
    var to: String?

    func validate() throws {
      if let to, to != "cff" {
        throw ValidationError("--to takes `cff`; \"\(to)\" is not a format zen-do writes.")
      }
      guard cffTarget != nil || ConversionDirection(fileName: file) != nil else {
        throw ValidationError(
          "Please name a .zenodo.json or .zenodo.toml file; \"\(file)\" ends in neither .json nor .toml."
        )
      }
    }

    func run() throws {
      let context = ConvertContext(
        converter: ZenodoJSONConverter(), readFile: { try Data(contentsOf: $0) },
        standardError: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
        standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
        diagnostic: { DiagnosticOutput().print($0) })
      try run(context)
    }

    /// The command's work, with its effects passed in so tests can call it.
    func run(_ context: ConvertContext) throws {
      guard let direction = cffTarget?.direction ?? ConversionDirection(fileName: file) else {
        throw ExitCode.validationFailure
      }
      let input = URL(fileURLWithPath: file)
      let target = output ?? cffTarget?.defaultOutput ?? direction.outputPath(for: file)
      if target != "-", !force, FileManager.default.fileExists(atPath: target) {
        context.standardError(
          "\(target): error: the file exists; pass --force to overwrite it, or -o to write elsewhere"
        )
        throw ExitCode.failure
      }
      let bytes: Data
      do {
        bytes = try context.readFile(input)
      } catch {
        context.standardError(
          "\(file): error: cannot read the file (\(error.localizedDescription))")
        throw ExitCode.failure
      }
      let converted: ConvertedFile
      do {
        converted =
          try cffTarget != nil
          ? convertCFF([UInt8](bytes), file: input, context)
          : context.converter.convertFile([UInt8](bytes), file: input, urn: urn)
      } catch {
        context.standardError(String(describing: error))
        throw ExitCode.failure
      }
      for message in converted.messages { context.standardError(message.description) }
      if target == "-" {
        context.standardOutput(converted.text)
      } else {
        do {
          try Data(converted.text.utf8).write(to: URL(fileURLWithPath: target))
        } catch {
          context.standardError(
            "\(target): error: cannot write the file (\(error.localizedDescription))")
          throw ExitCode.failure
        }
        context.standardError("wrote \(target)")
      }
      if direction == .jsonToTOML {
        // What check says about the new file, so the user sees its real mistakes right away.
        let name =
          target == "-" ? cffTarget?.defaultOutput ?? direction.outputPath(for: file) : target
        let diagnostics = context.converter.check(
          tomlText: converted.text, file: URL(fileURLWithPath: name), displayPath: name)
        for diagnostic in diagnostics { context.diagnostic(diagnostic) }
        let errors = diagnostics.filter(\.isError).count
        if !diagnostics.isEmpty {
          context.standardError(
            "check: \(errors) error(s) and \(diagnostics.count - errors) warning(s) in the converted "
              + "file; fix them in \(name) before uploading")
        }
      }
    }
  }
}

/// The effects `zen-do convert` needs: the converter and where text goes.
struct ConvertContext {
  var converter: ZenodoJSONConverter
  var readFile: (URL) throws -> Data
  var standardError: (String) -> Void
  var standardOutput: (String) -> Void
  var diagnostic: (Diagnostic) -> Void
}
