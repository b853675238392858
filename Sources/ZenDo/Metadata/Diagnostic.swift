import TOML

/// One problem found in a `.zenodo.toml`, printed like a compiler message:
/// `docs/paper/.zenodo.toml:12:5: error: creators[1].orcid: ...`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  /// How bad a problem is.
  public enum Severity: String, Sendable, Hashable, Codable {
    /// The file cannot be used: `check` fails and nothing is uploaded.
    case error
    /// The file works, but something is odd or will be sent as is.
    case warning
  }

  /// Whether this is an error or a warning.
  public var severity: Severity
  /// The file as the user named it (shown first in the printed form).
  public var path: String
  /// Where the problem is; ``SourcePosition/unknown`` (0:0) when it is about the whole file.
  public var position: SourcePosition
  /// The key path of the value concerned, such as `creators[1].orcid` (indices count from 0);
  /// empty when the problem is not about one value.
  public var keyPath: String
  /// What is wrong and what was expected, one sentence.
  public var message: String

  /// Creates a diagnostic.
  public init(
    _ severity: Severity, path: String, at position: SourcePosition, keyPath: String = "",
    _ message: String
  ) {
    self.severity = severity
    self.path = path
    self.position = position
    self.keyPath = keyPath
    self.message = message
  }

  /// True for errors.
  public var isError: Bool { severity == .error }

  /// `path:line:col: severity: keyPath: message` (the position and key path are left out when
  /// unknown).
  public var description: String {
    "\(location): \(severity.rawValue): \(text)"
  }

  /// `path:line:col`, or the path alone when the position is unknown.
  public var location: String {
    position == .unknown ? path : "\(path):\(position.line):\(position.column)"
  }

  /// `keyPath: message`, or the message alone when there is no key path.
  public var text: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}

/// The problems found in one or more files, kept in the order of their positions.
public struct Diagnostics: Sendable, Hashable, Sequence {
  /// The diagnostics, sorted by file and position (see ``append(_:)``).
  public private(set) var items: [Diagnostic]

  /// Creates a collection from diagnostics in any order.
  public init(_ items: [Diagnostic] = []) {
    self.items = []
    append(contentsOf: items)
  }

  /// Adds one diagnostic in its place: by path, then position, keeping the order of
  /// diagnostics at the same place.
  public mutating func append(_ diagnostic: Diagnostic) {
    let index =
      items.lastIndex { Diagnostics.precedesOrEquals($0, diagnostic) }.map { $0 + 1 } ?? 0
    items.insert(diagnostic, at: index)
  }

  /// Adds several diagnostics, each in its place.
  public mutating func append<S: Sequence>(contentsOf diagnostics: S)
  where S.Element == Diagnostic {
    for diagnostic in diagnostics { append(diagnostic) }
  }

  /// True when at least one diagnostic is an error.
  public var hasErrors: Bool { items.contains(where: \.isError) }
  /// How many errors there are.
  public var errorCount: Int { items.count(where: \.isError) }
  /// How many warnings there are.
  public var warningCount: Int { items.count - errorCount }
  /// True when there is nothing to report.
  public var isEmpty: Bool { items.isEmpty }

  /// Iterates in order of path and position.
  public func makeIterator() -> IndexingIterator<[Diagnostic]> { items.makeIterator() }

  private static func precedesOrEquals(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
    if a.path != b.path { return a.path < b.path }
    return a.position <= b.position
  }
}
