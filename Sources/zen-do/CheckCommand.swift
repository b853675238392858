import ArgumentParser
import Foundation
import ZenDo

extension ZenDoCommand {
  /// `zen-do check`: validate `.zenodo.toml` files and their file lists, without any request.
  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Validate .zenodo.toml files and the files they list, offline.",
      discussion: """
        Reports every problem at once, compiler style (path:line:col: error: message), on \
        standard error. Exit status: 0 when no file has an error (warnings allowed), 1 when \
        any has.
        """
    )

    @Argument(help: "The .zenodo.toml files to check.", completion: .file(extensions: ["toml"]))
    var files: [String] = [".zenodo.toml"]

    @Option(
      help: ArgumentHelp(
        "The API the files will be uploaded through: records (the default) or legacy; with "
          + "legacy, keys only the records API can carry are errors.",
        valueName: "api"))
    var api: ZenodoAPI = .records

    @OptionGroup var output: OutputOptions

    func run() async throws {
      try run(CommandContext.live(format: output.format)).exit()
    }

    /// Checks every file and reports through `context`.
    func run(_ context: CommandContext) -> ExitStatus {
      let reports = files.map { CheckReport.make($0, api: api) }
      var envelope = Envelope("check")
      envelope["files"] = .array(reports.map(\.json))
      let failed = reports.filter(\.hasErrors).count
      if context.format == .text {
        for report in reports {
          context.print(report.diagnostics)
          if !report.hasErrors { context.line(report.summary) }
        }
      }
      guard failed > 0 else {
        context.document(envelope)
        return .success
      }
      let failure = CommandFailure.invalidInput(
        "\(failed) of \(reports.count) file\(reports.count == 1 ? "" : "s") "
          + "\(failed == 1 ? "has" : "have") errors")
      if context.format == .json { return context.fail(failure, envelope) }
      return failure.status
    }
  }
}

/// What `check` found in one file.
struct CheckReport {
  /// The file as the user named it.
  var path: String
  /// Every diagnostic, sorted by position.
  var diagnostics: [Diagnostic]
  /// The files its `[zen-do].files` names.
  var files: [LocalFile]

  /// True when any diagnostic is an error.
  var hasErrors: Bool { diagnostics.contains(where: \.isError) }

  /// Checks the file at `path`.
  static func make(_ path: String, api: ZenodoAPI = .records) -> CheckReport {
    let result = MetadataLoader.check(
      url: URL(fileURLWithPath: path), displayPath: path, api: api)
    return CheckReport(path: path, diagnostics: result.diagnostics, files: result.files)
  }

  /// `path: ok, 2 files, 1 warning`.
  var summary: String {
    var text = "\(path): ok, \(files.count) file\(files.count == 1 ? "" : "s")"
    let warnings = diagnostics.count
    if warnings > 0 { text += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
    return text
  }

  /// The report in JSON.
  var json: JSONValue {
    .object(
      JSONObject([
        ("path", .string(path)), ("ok", .bool(!hasErrors)),
        ("diagnostics", .array(diagnostics.map(\.json))),
        (
          "files",
          .array(
            files.map {
              .object(
                JSONObject([
                  ("name", .string($0.name)), ("path", .string($0.url.path)),
                  ("size", .number(JSONNumber($0.size))),
                ]))
            })
        ),
      ]))
  }
}
