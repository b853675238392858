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

    @Option(help: "Output format: text (diagnostics on stderr) or json (one document on stdout).")
    var format: OutputFormat = .text

    func run() async throws {
      let reports = files.map(CheckReport.make)
      switch format {
      case .text:
        let output = DiagnosticOutput()
        for report in reports {
          for diagnostic in report.diagnostics { output.print(diagnostic) }
          if !report.hasErrors {
            let warnings = report.diagnostics.count
            var summary =
              "\(report.path): ok, \(report.files.count) file\(report.files.count == 1 ? "" : "s")"
            if warnings > 0 { summary += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
            output.line(summary)
          }
        }
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = CheckDocument(ok: !reports.contains(where: \.hasErrors), files: reports)
        let data = try encoder.encode(document)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
      }
      if reports.contains(where: \.hasErrors) { throw ExitCode(ZenDoExitCode.invalidInput) }
    }
  }
}

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}

/// zen-do's exit statuses (docs/commands.md). Usage errors keep argument-parser's own status.
enum ZenDoExitCode {
  /// Success.
  static let ok: Int32 = 0
  /// An input file is invalid, or an output file exists (without --force).
  static let invalidInput: Int32 = 1
  /// Zenodo (or the network) failed.
  static let remoteFailure: Int32 = 3
}

/// What `check` found in one file.
struct CheckReport: Encodable {
  /// The file as the user named it.
  var path: String
  /// True when there is no error.
  var ok: Bool
  var diagnostics: [Diagnostic]
  var files: [LocalFile]

  var hasErrors: Bool { !ok }

  static func make(_ path: String) -> CheckReport {
    let result = MetadataLoader.check(url: URL(fileURLWithPath: path), displayPath: path)
    return CheckReport(
      path: path, ok: !result.hasErrors, diagnostics: result.diagnostics, files: result.files)
  }

  enum CodingKeys: String, CodingKey {
    case path, ok, diagnostics, files
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(path, forKey: .path)
    try container.encode(ok, forKey: .ok)
    try container.encode(diagnostics.map(DiagnosticDocument.init), forKey: .diagnostics)
    try container.encode(files.map(FileDocument.init), forKey: .files)
  }
}

/// The `--format json` document of `check`.
struct CheckDocument: Encodable {
  var ok: Bool
  var files: [CheckReport]
}

/// One diagnostic in JSON.
struct DiagnosticDocument: Encodable {
  var severity: String
  var path: String
  var line: Int?
  var column: Int?
  var keyPath: String?
  var message: String

  init(_ diagnostic: Diagnostic) {
    severity = diagnostic.severity.rawValue
    path = diagnostic.path
    let known = diagnostic.position.line > 0
    line = known ? diagnostic.position.line : nil
    column = known ? diagnostic.position.column : nil
    keyPath = diagnostic.keyPath.isEmpty ? nil : diagnostic.keyPath
    message = diagnostic.message
  }

  enum CodingKeys: String, CodingKey {
    case severity, path, line, column, message
    case keyPath = "key_path"
  }
}

/// One resolved file in JSON.
struct FileDocument: Encodable {
  var name: String
  var path: String
  var size: Int64

  init(_ file: LocalFile) {
    name = file.name
    path = file.url.path
    size = file.size
  }
}
