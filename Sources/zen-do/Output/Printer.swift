import TOML
import ZenDo

/// The one place commands print through: compiler-style diagnostics and messages on standard
/// error (coloured labels only when ``CommandContext/colour``), results on standard output,
/// and the JSON envelope.
extension CommandContext {
  // MARK: Standard error

  /// Prints diagnostics sorted by file and position, one line each:
  /// `path:line:col: error: keyPath: message`.
  func print(_ diagnostics: [Diagnostic]) {
    for diagnostic in Diagnostics(diagnostics) { print(diagnostic) }
  }

  /// Prints one diagnostic.
  func print(_ diagnostic: Diagnostic) {
    message(
      location: diagnostic.location, severity: diagnostic.severity.rawValue, diagnostic.text)
  }

  /// Prints `location: severity: text`, or `severity: text` without a location.
  func message(location: String?, severity: String, _ text: String) {
    let label = colour ? Self.coloured(severity) : severity + ":"
    line((location.map { "\($0): " } ?? "") + label + " " + text)
  }

  /// Prints `error: text`.
  func error(_ text: String) { message(location: nil, severity: "error", text) }

  /// Prints `warning: text`.
  func warning(_ text: String) { message(location: nil, severity: "warning", text) }

  /// Prints one line as is: progress and notices for people.
  func line(_ text: String) { standardError.write(text + "\n") }

  /// Prints a line only with `--verbose`.
  func detail(_ text: String) { if verbose { line(text) } }

  /// Prints a retry notice; always shown, one line per retry.
  func retry(_ text: String) { line("retry: " + text) }

  /// Redraws the current terminal line (progress bars); nothing when not on a terminal.
  func status(_ text: String) {
    if errorIsTerminal { standardError.write("\r\u{1B}[2K" + text) }
  }

  // MARK: Standard output

  /// Prints a result for people (a plan, a status); with `--format json` it goes to standard
  /// error so standard output holds only the document.
  func result(_ text: String) {
    (format == .json ? standardError : standardOutput).write(text + "\n")
  }

  /// Writes the command's JSON envelope on standard output (only with `--format json`).
  func document(_ envelope: Envelope) {
    guard format == .json else { return }
    standardOutput.write(ZenodoJSON.serialize(envelope.json, pretty: true) + "\n")
  }

  /// Reports a failure: `error: message` on stderr, or the envelope with its `error` member.
  ///
  /// Returns the failure's exit status.
  func fail(_ failure: CommandFailure, _ envelope: Envelope) -> ExitStatus {
    if format == .json {
      var failed = envelope
      failed.failure = failure
      document(failed)
    } else {
      message(location: failure.location, severity: "error", failure.message)
    }
    return failure.status
  }

  private static func coloured(_ severity: String) -> String {
    let code =
      switch severity {
      case "error": "\u{1B}[1;31m"
      case "warning": "\u{1B}[1;35m"
      default: "\u{1B}[1m"
      }
    return code + severity + ":\u{1B}[0m"
  }
}

/// The JSON document every command prints with `--format json`:
/// `{"ok": …, "command": …, "schema_version": 1, <members>…, "error": {"code", "message"}}`.
struct Envelope: Sendable {
  /// The command's name as typed, such as `check` or `token status`.
  var command: String
  /// The command's own members, in order.
  var members: JSONObject = JSONObject()
  /// Set when the command failed; `ok` is false then.
  var failure: CommandFailure?

  /// The envelope's format version; raised only when a member changes meaning or goes away.
  static let schemaVersion: Int64 = 1

  /// Creates an envelope for `command`.
  init(_ command: String, _ members: JSONObject = JSONObject()) {
    self.command = command
    self.members = members
  }

  /// Sets one member.
  subscript(key: String) -> JSONValue? {
    get { members[key] }
    set { members[key] = newValue }
  }

  /// The document.
  var json: JSONValue {
    var object = JSONObject([
      ("ok", .bool(failure == nil)), ("command", .string(command)),
      ("schema_version", .number(JSONNumber(Self.schemaVersion))),
    ])
    for member in members { object[member.key] = member.value }
    if let failure {
      var error = JSONObject([("code", .string(failure.code))])
      if let location = failure.location { error["location"] = .string(location) }
      error["message"] = .string(failure.message)
      object["error"] = .object(error)
    }
    return .object(object)
  }
}

extension Diagnostic {
  /// The diagnostic in JSON: severity, path, line and column (when known), key path (when
  /// there is one), message.
  var json: JSONValue {
    var object = JSONObject([("severity", .string(severity.rawValue)), ("path", .string(path))])
    if position.line > 0 {
      object["line"] = .number(JSONNumber(Int64(position.line)))
      object["column"] = .number(JSONNumber(Int64(position.column)))
    }
    if !keyPath.isEmpty { object["key_path"] = .string(keyPath) }
    object["message"] = .string(message)
    return .object(object)
  }
}
