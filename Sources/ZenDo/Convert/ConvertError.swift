import TOML

/// Why a conversion between `.zenodo.json` and `.zenodo.toml` stopped.
public enum ConvertError: Error, Sendable, CustomStringConvertible {
  /// The input is not valid JSON.
  case invalidJSON(JSONSyntaxError)
  /// The input is valid JSON but not an object (`path`, what it is instead).
  case notAnObject(path: String, found: String)
  /// The input is not valid TOML (the parser's message, already `path:line:col: error: ...`).
  case invalidTOML(String)
  /// A TOML value has no JSON form.
  case unrepresentableInJSON(path: String, TOMLToJSONError)
  /// No identity URN in the input, no `--urn`, and none could be derived from git.
  case missingURN(path: String, reason: String)
  /// The `--urn` value does not have the required form.
  case invalidURN(String)
  /// `related_identifiers` is there but is not a list, so the URN cannot be added.
  case relatedIdentifiersNotAList(path: String)

  public var description: String {
    switch self {
    case .invalidJSON(let error):
      return error.description
    case .notAnObject(let path, let found):
      return
        "\(path):1:1: error: a .zenodo.json holds one JSON object `{...}`, but this file holds "
        + "\(found); wrap the metadata in `{` and `}`"
    case .invalidTOML(let message):
      return message
    case .unrepresentableInJSON(let path, let error):
      return "\(path):\(error.position): error: \(error.message)"
    case .missingURN(let path, let reason):
      return "\(path): error: the metadata has no `urn:zenodo:` identity and \(reason); "
        + "pass one with --urn, for example --urn urn:zenodo:<owner>:<repo>"
    case .invalidURN(let urn):
      return "error: --urn \"\(urn)\" is not of the form urn:zenodo:<part>[:<part>...] "
        + "(no `/`, no spaces, no empty parts); pass for example urn:zenodo:owner:repo"
    case .relatedIdentifiersNotAList(let path):
      return "\(path): error: `related_identifiers` is not a list, so the identity URN cannot be "
        + "added; make it a list of objects `[{...}]`"
    }
  }
}

/// A note or warning about a conversion, compiler style (`path: note: ...`).
public struct ConvertMessage: Sendable, Equatable, CustomStringConvertible {
  /// How serious the message is.
  public enum Severity: String, Sendable {
    case note, warning
  }

  /// How serious it is.
  public var severity: Severity
  /// The file it is about, with `:line:col` when known.
  public var location: String
  /// One sentence.
  public var message: String

  /// Creates a message.
  public init(_ severity: Severity, _ location: String, _ message: String) {
    self.severity = severity
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
