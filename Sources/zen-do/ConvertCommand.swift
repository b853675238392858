import ArgumentParser
import Foundation
import ZenDo

extension ZenDoCommand {
  /// `zen-do convert FILE`: `.zenodo.json` ⇄ `.zenodo.toml`.
  struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "convert",
      abstract:
        "Convert a .zenodo.json or CITATION.cff into a .zenodo.toml, or a .zenodo.toml back.",
      discussion: """
        The direction follows the extension: X.zenodo.json is written to X.zenodo.toml beside it, \
        and X.zenodo.toml to X.zenodo.json. Nothing is lost (nulls aside, which TOML cannot hold). \
        When the JSON has no urn:zenodo: identity, one is added from --urn or derived from the git \
        remote `origin` of the file's folder. See docs/convert.md.
        """
    )

    @Argument(help: "The .zenodo.json or .zenodo.toml file to convert.")
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

    @OptionGroup var outputOptions: OutputOptions

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

    func run() async throws {
      try run(CommandContext.live(format: outputOptions.format)).exit()
    }

    /// Converts the file and reports through `context`.
    func run(_ context: CommandContext) -> ExitStatus {
      guard let direction = cffTarget?.direction ?? ConversionDirection(fileName: file) else {
        return .usage
      }
      let target = output ?? cffTarget?.defaultOutput ?? direction.outputPath(for: file)
      var envelope = Envelope(
        "convert",
        JSONObject([
          ("input", .string(file)), ("output", .string(target)),
          ("direction", .string(directionName(direction))),
        ]))
      let converted: ConvertedFile
      switch convert(direction: direction, target: target) {
      case .failure(let failure): return context.fail(failure, envelope)
      case .success(let result): converted = result
      }
      if let urn = converted.urn { envelope["urn"] = .string(urn) }
      envelope["messages"] = .array(converted.messages.map(\.json))
      if context.format == .text {
        for message in converted.messages {
          context.message(
            location: message.location, severity: message.severity.rawValue, message.message)
        }
      }
      if target == "-" {
        if context.format == .json {
          envelope["text"] = .string(converted.text)
        } else {
          context.standardOutput.write(converted.text)
        }
      } else {
        do {
          try Data(converted.text.utf8).write(to: URL(fileURLWithPath: target))
        } catch {
          return context.fail(
            CommandFailure(
              status: .failure, code: "write_failed",
              message: "\(target): cannot write the file (\(error.localizedDescription))"),
            envelope)
        }
        if context.format == .text { context.line("wrote \(target)") }
      }
      if direction == .jsonToTOML {
        envelope["diagnostics"] = .array(
          reportCheck(converted, direction: direction, target: target, context).map(\.json))
      }
      context.document(envelope)
      return .success
    }

    /// The envelope's name for the conversion: `json-to-toml`, `toml-to-json`, `cff-to-toml` or
    /// `toml-to-cff`.
    private func directionName(_ direction: ConversionDirection) -> String {
      let other = cffTarget == nil ? "json" : "cff"
      return direction == .jsonToTOML ? "\(other)-to-toml" : "toml-to-\(other)"
    }

    /// Reads and converts the input, refusing to overwrite without `--force`.
    private func convert(direction: ConversionDirection, target: String) -> Result<
      ConvertedFile, CommandFailure
    > {
      if target != "-", !force, FileManager.default.fileExists(atPath: target) {
        return .failure(
          CommandFailure(
            status: .failure, code: "output_exists",
            message: "the file exists; pass --force to overwrite it, or -o to write elsewhere",
            location: target))
      }
      let input = URL(fileURLWithPath: file)
      let bytes: Data
      do {
        bytes = try Data(contentsOf: input)
      } catch {
        return .failure(
          CommandFailure(
            status: .failure, code: "unreadable_input",
            message: "\(file): cannot read the file (\(error.localizedDescription))"))
      }
      if cffTarget != nil {
        do {
          return .success(try convertCFF([UInt8](bytes), file: input))
        } catch {
          return .failure(error.failure)
        }
      }
      do {
        return .success(
          try ZenodoJSONConverter().convertFile([UInt8](bytes), file: input, urn: urn))
      } catch {
        return .failure(error.failure)
      }
    }

    /// What check says about the new TOML, so the user sees its real mistakes right away.
    private func reportCheck(
      _ converted: ConvertedFile, direction: ConversionDirection, target: String,
      _ context: CommandContext
    ) -> [Diagnostic] {
      let name =
        target == "-" ? cffTarget?.defaultOutput ?? direction.outputPath(for: file) : target
      let diagnostics = ZenodoJSONConverter().check(
        tomlText: converted.text, file: URL(fileURLWithPath: name), displayPath: name)
      guard context.format == .text, !diagnostics.isEmpty else { return diagnostics }
      context.print(diagnostics)
      let errors = diagnostics.filter(\.isError).count
      context.line(
        "check: \(errors) error(s) and \(diagnostics.count - errors) warning(s) in the converted "
          + "file; fix them in \(name) before uploading")
      return diagnostics
    }
  }
}

extension ConvertMessage {
  /// The message in JSON.
  var json: JSONValue {
    .object(
      JSONObject([
        ("severity", .string(severity.rawValue)), ("location", .string(location)),
        ("message", .string(message)),
      ]))
  }
}

extension ConvertError {
  /// The stable code of the JSON envelope.
  var code: String {
    switch self {
    case .invalidJSON, .notAnObject, .invalidTOML: "invalid_input"
    case .unrepresentableInJSON: "unrepresentable"
    case .missingURN: "no_identity"
    case .invalidURN: "invalid_urn"
    case .relatedIdentifiersNotAList: "invalid_input"
    }
  }

  /// The failure to report: the location in front of `error:` kept apart, so the printer
  /// shows `path:line:col: error: message` as before.
  var failure: CommandFailure { CommandFailure(code: code, describing: description) }
}

extension CFFConvertError {
  /// The failure to report, as for `ConvertError`; an invalid CITATION.cff is `invalid_input`.
  var failure: CommandFailure {
    switch self {
    case .convert(let error): error.failure
    case .invalidCFF: CommandFailure(code: "invalid_input", describing: description)
    }
  }
}

extension CommandFailure {
  /// A conversion failure from its `path:line:col: error: message` text, the location kept
  /// apart so the printer shows it as before.
  fileprivate init(code: String, describing text: String) {
    self.init(status: .failure, code: code, message: text)
    if let label = text.range(of: ": error: ") {
      location = String(text[..<label.lowerBound])
      message = String(text[label.upperBound...])
    } else if text.hasPrefix("error: ") {
      message = String(text.dropFirst("error: ".count))
    }
  }
}
