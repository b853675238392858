import ArgumentParser
import ZenDo

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  /// Lines for people: results on stdout, diagnostics and progress on stderr.
  case text
  /// One JSON document on stdout (the envelope of docs/commands.md).
  case json
}

/// The `--format` option every command takes.
struct OutputOptions: ParsableArguments {
  @Option(
    help: "Output format: text, or json (one document on stdout; see docs/commands.md).")
  var format: OutputFormat = .text
}

extension ValidationError {
  /// Throws when a `--urn` option is given but is no `urn:zenodo:` identity (`init`, `pull`).
  static func checkURN(_ urn: String?) throws {
    if let urn, !DepositIdentity.isValid(urn) {
      throw ValidationError(
        "The URN \"\(urn)\" does not match urn:zenodo(:[^/:\\s]+)+; "
          + "please give one such as urn:zenodo:owner:repo")
    }
  }
}
