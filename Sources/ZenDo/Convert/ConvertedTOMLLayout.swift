import TOML

/// Lays out a converted metadata table as readable TOML text.
///
/// A stand-in kept local to conversion until the shared `TOMLWriter` lands (see docs/convert.md):
/// it writes only the shapes conversion produces. Top-level values first (in table order), then
/// each table and array of tables (`[[creators]]`) in table order. Long or HTML descriptions,
/// notes and methods, and any text with line breaks, become multi-line strings; long lines in them
/// are folded with TOML's line-ending backslash, which leaves the value unchanged.
public struct ConvertedTOMLLayout: Sendable {
  /// Keys whose long one-line text is folded into a multi-line string.
  public static let proseKeys: Set<String> = ["description", "notes", "method"]
  /// Lines longer than this are folded (prose) or arrays split one element per line.
  public static let width = 96

  /// Creates a layout.
  public init() {}

  /// The TOML text of `table`, with `header` comment lines (each starting with `#`) on top.
  public func render(_ table: TOMLTable, header: [String] = []) -> String {
    var out = ""
    for line in header { out += line + "\n" }
    if !header.isEmpty { out += "\n" }
    var deferred: [TOMLEntry] = []
    for entry in table.entries {
      if isSectionValue(entry.node.value) {
        deferred.append(entry)
      } else {
        writeKeyValue(entry, into: &out)
      }
    }
    for entry in deferred {
      switch entry.node.value {
      case .table(let inner):
        out += "\n[\(Self.key(entry.key.name))]\n"
        for innerEntry in inner.entries { writeKeyValue(innerEntry, into: &out) }
      case .array(let items):
        for item in items {
          guard case .table(let element) = item.value else { continue }
          out += "\n[[\(Self.key(entry.key.name))]]\n"
          for innerEntry in element.entries { writeKeyValue(innerEntry, into: &out) }
        }
      default:
        break
      }
    }
    return out
  }

  /// True for a table written as `[key]` or an array written as `[[key]]` sections.
  private func isSectionValue(_ value: TOMLValue) -> Bool {
    switch value {
    case .table(let t): return !t.isInline
    case .array(let items):
      return !items.isEmpty
        && items.allSatisfy { if case .table(let t) = $0.value { !t.isInline } else { false } }
    default: return false
    }
  }

  private func writeKeyValue(_ entry: TOMLEntry, into out: inout String) {
    let key = Self.key(entry.key.name)
    if case .string(let text) = entry.node.value,
      text.contains("\n")
        || (Self.proseKeys.contains(entry.key.name)
          && (text.count > Self.width - key.count - 4 || text.contains("<")))
    {
      out += key + " = " + Self.multiLineString(text) + "\n"
      return
    }
    out += key + " = " + inlineValue(entry.node.value, indent: 0) + "\n"
  }

  private func inlineValue(_ value: TOMLValue, indent: Int, allowMultiLine: Bool = true) -> String {
    switch value {
    case .string(let s): return Self.basicString(s)
    case .integer(let i): return String(i)
    case .float(let d):
      if d.isNaN { return "nan" }
      if d.isInfinite { return d < 0 ? "-inf" : "inf" }
      return JSONValue.floatText(d)
    case .boolean(let b): return b ? "true" : "false"
    case .date(let d): return d.isoText
    case .time(let t): return t.isoText
    case .dateTime(let dt): return dt.isoText
    case .table(let t):
      if t.entries.isEmpty { return "{}" }
      let members = t.entries.map {
        Self.key($0.key.name) + " = " + inlineValue($0.node.value, indent: 0, allowMultiLine: false)
      }
      return "{ " + members.joined(separator: ", ") + " }"
    case .array(let items):
      let parts = items.map { inlineValue($0.value, indent: indent + 1, allowMultiLine: false) }
      let oneLine = "[" + parts.joined(separator: ", ") + "]"
      if !allowMultiLine || oneLine.count <= Self.width || items.count < 2 { return oneLine }
      let pad = String(repeating: "  ", count: indent + 1)
      return "[\n" + parts.map { pad + $0 + ",\n" }.joined()
        + String(repeating: "  ", count: indent) + "]"
    }
  }

  /// A bare key when it can be one, else a quoted key.
  static func key(_ name: String) -> String {
    let bare =
      !name.isEmpty
      && name.unicodeScalars.allSatisfy { s in
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_"
          || s == "-"
      }
    return bare ? name : basicString(name)
  }

  /// A one-line TOML basic string.
  static func basicString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += unicodeEscape(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// A multi-line basic string (`"""` on its own line first, so the text starts on the next
  /// line); long lines are folded with a line-ending backslash after a space or a closing block
  /// tag, always before a non-blank character so the fold removes nothing of the value.
  static func multiLineString(_ s: String) -> String {
    var out = "\"\"\"\n"
    var lineLength = 0
    var quoteRun = 0
    let scalars = Array(s.unicodeScalars)
    var i = 0
    while i < scalars.count {
      let scalar = scalars[i]
      var piece: String
      switch scalar {
      case "\"":
        quoteRun += 1
        piece = quoteRun == 3 ? "\\\"" : "\""
        if quoteRun == 3 { quoteRun = 0 }
      case "\\": piece = "\\\\"
      case "\n": piece = "\n"
      case "\t": piece = "\t"
      case "\r": piece = "\\r"
      case "\u{08}": piece = "\\b"
      case "\u{0C}": piece = "\\f"
      default:
        piece =
          scalar.value < 0x20 || scalar.value == 0x7F
          ? unicodeEscape(scalar) : String(Character(scalar))
      }
      if scalar != "\"" { quoteRun = 0 }
      out += piece
      lineLength = scalar == "\n" ? 0 : lineLength + piece.count
      i += 1
      guard i < scalars.count, !isBlank(scalars[i]) else { continue }
      let afterBlockTag = scalar == ">" && endsWithBlockTag(scalars, upTo: i)
      let afterSpace = scalar == " " && lineLength >= width - 8
      if afterBlockTag || afterSpace {
        // The fold: backslash, newline; TOML drops them and nothing else, since the next
        // character is not blank.
        out += "\\\n"
        lineLength = 0
        quoteRun = 0
      }
    }
    // Close on a line of its own: through a fold, unless the text ends with a line break.
    // (This also keeps a closing quote of the text away from the delimiter.)
    if !out.hasSuffix("\n") { out += "\\\n" }
    return out + "\"\"\""
  }

  private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
  }

  private static let blockTags: [String] = [
    "</p>", "<br>", "<br/>", "<br />", "</li>", "</ul>", "</ol>", "</div>", "</h1>", "</h2>",
    "</h3>", "</h4>", "</h5>", "</h6>", "</blockquote>", "</pre>", "</table>", "</tr>",
  ]

  private static func endsWithBlockTag(_ scalars: [Unicode.Scalar], upTo end: Int) -> Bool {
    for tag in blockTags {
      let tagScalars = Array(tag.unicodeScalars)
      guard end >= tagScalars.count else { continue }
      let slice = scalars[(end - tagScalars.count)..<end]
      if zip(slice, tagScalars).allSatisfy({ String($0).lowercased() == String($1) }) {
        return true
      }
    }
    return false
  }
}
