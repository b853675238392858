/// Writes a ``JSONValue`` as JSON: object keys in their order, numbers as their text, Unicode
/// as is, `/` unescaped.
///
/// Pretty (the default): an indent per level and a final newline;
/// compact: no white space at all, as request bodies are sent.
public struct JSONWriter: Sendable {
  /// Spaces per nesting level, when pretty.
  public var indentWidth: Int
  /// False for compact JSON: no spaces, no newlines, no final newline.
  public var pretty: Bool

  /// Creates a writer.
  public init(indentWidth: Int = 2, pretty: Bool = true) {
    self.indentWidth = indentWidth
    self.pretty = pretty
  }

  /// The JSON text of `value`; pretty text ends with a newline.
  public func write(_ value: JSONValue) -> String {
    var out = ""
    write(value, level: 0, into: &out)
    if pretty { out += "\n" }
    return out
  }

  private func write(_ value: JSONValue, level: Int, into out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n.text
    case .string(let s): JSONWriter.writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        indent(level + 1, into: &out)
        write(item, level: level + 1, into: &out)
      }
      indent(level, into: &out)
      out += "]"
    case .object(let object):
      if object.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, member) in object.members.enumerated() {
        if i > 0 { out += "," }
        indent(level + 1, into: &out)
        JSONWriter.writeString(member.key, into: &out)
        out += pretty ? ": " : ":"
        write(member.value, level: level + 1, into: &out)
      }
      indent(level, into: &out)
      out += "}"
    }
  }

  /// Starts a new line at `level`, when pretty.
  private func indent(_ level: Int, into out: inout String) {
    guard pretty else { return }
    out += "\n" + String(repeating: " ", count: level * indentWidth)
  }

  /// Appends `s` as a JSON string literal, escaping only what JSON requires.
  static func writeString(_ s: String, into out: inout String) {
    out += "\""
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
        if scalar.value < 0x20 {
          let digits = String(scalar.value, radix: 16, uppercase: true)
          out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
