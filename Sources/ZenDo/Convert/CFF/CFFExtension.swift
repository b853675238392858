import Foundation
import TOML

/// The `zen-do` extension block of a `CITATION.cff`: Zenodo metadata that the Citation File
/// Format has no key for (the resource type beyond software/dataset, grants, communities,
/// contributors, subjects, other related identifiers, access, `[zen-do]` settings, ...).
///
/// CFF 1.2.0 allows no unknown keys, so the block is a YAML comment at the end of the file that
/// holds TOML, one `# ` prefix per line, between two marker lines:
///
/// ```
/// # zen-do-extension-begin (Zenodo metadata CITATION.cff has no key for; see zen-do docs/convert.md)
/// # upload_type = "publication"
/// # [[grants]]
/// # id = "10.13039/501100000780::283595"
/// # zen-do-extension-end
/// ```
///
/// CFF tools ignore it; `zen-do convert CITATION.cff` reads it back.
enum CFFExtension {
  static let begin = "# zen-do-extension-begin"
  static let end = "# zen-do-extension-end"

  /// The comment block for `object`, or "" when it is empty.
  static func text(_ object: JSONObject) -> String {
    guard !object.isEmpty, case .table(let table)? = TOMLNode.fromJSON(.object(object)).node?.value
    else { return "" }
    let toml = TOMLWriter().write(ZenodoJSONConverter.shaped(table))
    let lines = toml.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.isEmpty ? "#" : "# " + $0 }
    var body = lines
    while body.last == "#" { body.removeLast() }
    return begin + " (Zenodo metadata CITATION.cff has no key for; see zen-do's docs/convert.md)\n"
      + body.joined(separator: "\n") + "\n" + end + "\n"
  }

  /// The block's metadata in `text`, or nil when there is none; an error with the file's line
  /// and column when the TOML in it does not parse.
  static func read(_ text: String, path: String) throws(CFFErrors) -> JSONObject? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: { $0.hasPrefix(begin) }) else { return nil }
    var body: [Substring] = []
    var index = start + 1
    while index < lines.count, !lines[index].hasPrefix(end) {
      let line = lines[index]
      guard line.hasPrefix("#") else {
        throw CFFErrors([
          Diagnostic(
            .error, path: path, at: .init(line: index + 1, column: 1),
            keyPath: "zen-do-extension",
            "expected a `# ` comment line inside the zen-do extension block, or `\(end)`")
        ])
      }
      body.append(line.hasPrefix("# ") ? line.dropFirst(2) : line.dropFirst())
      index += 1
    }
    do {
      let table = try TOMLParser.parse(body.joined(separator: "\n"))
      guard case .object(let object) = try JSONValue(toml: TOMLNode(.table(table))) else {
        return nil
      }
      return object
    } catch let error as TOMLError {
      let position = SourcePosition(
        line: error.position.line + start + 1, column: error.position.column + 2)
      throw CFFErrors([
        Diagnostic(
          .error, path: path, at: position, keyPath: "zen-do-extension",
          filePositions(in: error.message, lineOffset: start + 1, columnOffset: 2))
      ])
    } catch {
      throw CFFErrors([
        Diagnostic(
          .error, path: path, at: .init(line: start + 1, column: 1), keyPath: "zen-do-extension",
          "\(error)")
      ])
    }
  }

  /// `message` with every `at LINE:COLUMN` of the block's TOML moved to the `.cff` file's lines
  /// and columns (the block starts `lineOffset` lines down; `# ` shifts columns).
  static func filePositions(in message: String, lineOffset: Int, columnOffset: Int) -> String {
    guard let regex = try? NSRegularExpression(pattern: "at ([0-9]+):([0-9]+)") else {
      return message
    }
    var result = message
    for match in regex.matches(in: message, range: NSRange(message.startIndex..., in: message))
      .reversed()
    {
      guard let whole = Range(match.range, in: message),
        let lineRange = Range(match.range(at: 1), in: message),
        let columnRange = Range(match.range(at: 2), in: message),
        let line = Int(message[lineRange]), let column = Int(message[columnRange])
      else { continue }
      result.replaceSubrange(whole, with: "at \(line + lineOffset):\(column + columnOffset)")
    }
    return result
  }
}
