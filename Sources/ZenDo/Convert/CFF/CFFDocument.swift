import Foundation
import TOML
import Yams

/// A YAML value of a `CITATION.cff`, with where it starts in the file.
public struct CFFNode: Sendable {
  /// What a YAML scalar resolved to (YAML 1.1 core rules, as Yams resolves them).
  public enum ScalarKind: Sendable, Equatable {
    case string, integer, number, bool, null
    /// An unquoted date such as `2021-10-08`; it counts as a string (the CFF schema says so).
    case timestamp
  }

  /// A scalar, a sequence or a mapping (keys in file order).
  public enum Value: Sendable {
    case scalar(String, ScalarKind)
    case sequence([CFFNode])
    case mapping([CFFEntry])
  }

  /// The value.
  public var value: Value
  /// Where the value starts (1-based line and column).
  public var position: SourcePosition

  /// The entry named `key`, when this is a mapping that has it.
  public subscript(key: String) -> CFFNode? {
    guard case .mapping(let entries) = value else { return nil }
    return entries.first { $0.key == key }?.value
  }

  /// The scalar's text when this is a string-like scalar (strings, numbers, dates).
  public var text: String? {
    guard case .scalar(let text, let kind) = value, kind != .null else { return nil }
    return text
  }

  /// The elements when this is a sequence.
  public var elements: [CFFNode] {
    if case .sequence(let items) = value { return items }
    return []
  }
}

/// One `key: value` of a YAML mapping.
public struct CFFEntry: Sendable {
  /// The key's text.
  public var key: String
  /// Where the key starts.
  public var keyPosition: SourcePosition
  /// The value.
  public var value: CFFNode
}

/// Reads the YAML of a `CITATION.cff` into ``CFFNode``s, keeping line and column of every value.
public enum CFFDocument {
  /// The root node of `text`, or the diagnostics that stop it being read.
  ///
  /// Those are a YAML syntax error, a duplicate key or an empty file; `path` names the file in
  /// the diagnostics.
  public static func parse(_ text: String, path: String) -> Result<CFFNode, CFFErrors> {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      return .failure(CFFErrors([syntaxDiagnostic(error, path: path)]))
    } catch {
      return .failure(
        CFFErrors([Diagnostic(.error, path: path, at: .init(line: 1, column: 1), "\(error)")]))
    }
    guard let root else {
      return .failure(
        CFFErrors([
          Diagnostic(
            .error, path: path, at: .init(line: 1, column: 1),
            "expected a CITATION.cff mapping (`cff-version: 1.2.0`, `title: ...`), found an empty file"
          )
        ]))
    }
    var diagnostics: [Diagnostic] = []
    let node = convert(root, path: path, keyPath: "", diagnostics: &diagnostics)
    return diagnostics.isEmpty ? .success(node) : .failure(CFFErrors(diagnostics))
  }

  private static func position(_ mark: Mark?) -> SourcePosition {
    guard let mark else { return .init(line: 1, column: 1) }
    return SourcePosition(line: mark.line, column: mark.column)
  }

  private static func convert(
    _ node: Node, path: String, keyPath: String, diagnostics: inout [Diagnostic]
  ) -> CFFNode {
    switch node {
    case .scalar(let scalar):
      return CFFNode(
        value: .scalar(scalar.string, kind(of: scalar)), position: position(scalar.mark))
    case .sequence(let sequence):
      let items = sequence.enumerated().map { index, item in
        convert(item, path: path, keyPath: "\(keyPath)[\(index)]", diagnostics: &diagnostics)
      }
      return CFFNode(value: .sequence(items), position: position(sequence.mark))
    case .mapping(let mapping):
      var entries: [CFFEntry] = []
      for (key, value) in mapping {
        let name = key.string ?? "\(key)"
        let childPath = keyPath.isEmpty ? name : "\(keyPath).\(name)"
        if let first = entries.first(where: { $0.key == name }) {
          diagnostics.append(
            Diagnostic(
              .error, path: path, at: position(key.mark), keyPath: childPath,
              "duplicate key \"\(name)\" (first at \(first.keyPosition)); keep one of them"))
          continue
        }
        entries.append(
          CFFEntry(
            key: name, keyPosition: position(key.mark),
            value: convert(value, path: path, keyPath: childPath, diagnostics: &diagnostics)))
      }
      return CFFNode(value: .mapping(entries), position: position(mapping.mark))
    case .alias(let alias):
      return CFFNode(value: .scalar("*\(alias.anchor)", .string), position: position(alias.mark))
    }
  }

  private static func kind(of scalar: Node.Scalar) -> CFFNode.ScalarKind {
    if scalar.style != .plain && scalar.style != .any { return .string }
    switch Resolver.default.resolveTag(of: .scalar(scalar)) {
    case .int: return .integer
    case .float: return .number
    case .bool: return .bool
    case .null: return .null
    case .timestamp: return .timestamp
    default: return .string
    }
  }

  private static func syntaxDiagnostic(_ error: YamlError, path: String) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let contextText = context.map { " (\($0.text) at \($0.mark))" } ?? ""
      return Diagnostic(
        .error, path: path, at: position(mark),
        "expected valid YAML, but the YAML parser reports: \(problem)\(contextText); check the quotes, "
          + "colons and indentation here")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return Diagnostic(
        .error, path: path, at: position(context.mark),
        "the key(s) \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appear more than "
          + "once in this mapping (the first is here); keep one of each")
    case .reader(let problem, _, _, _):
      return Diagnostic(
        .error, path: path, at: .init(line: 1, column: 1),
        "expected UTF-8 YAML, but it could not be read: \(problem)")
    default:
      return Diagnostic(.error, path: path, at: .init(line: 1, column: 1), "\(error)")
    }
  }
}

/// Everything wrong with a `CITATION.cff`, each with file, line, column and key path.
public struct CFFErrors: Error, Sendable, CustomStringConvertible {
  /// The problems, in file order.
  public var diagnostics: [Diagnostic]

  /// Wraps diagnostics, sorted by position.
  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics.sorted { $0.position < $1.position }
  }

  /// One line per problem, compiler style.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
