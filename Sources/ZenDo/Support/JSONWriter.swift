/// Writes a ``JSONValue`` as pretty JSON: two-space indent, object keys in their order,
/// numbers as their text, Unicode as is, `/` unescaped, and a final newline.
public struct JSONWriter: Sendable {
  /// Spaces per nesting level.
  public var indentWidth: Int

  /// Creates a writer.
  public init(indentWidth: Int = 2) { self.indentWidth = indentWidth }

  /// The JSON text of `value`, ending with a newline.
  public func write(_ value: JSONValue) -> String {
    var out = ""
    write(value, level: 0, into: &out)
    out += "\n"
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
      out += "[\n"
      for (i, item) in items.enumerated() {
        indent(level + 1, into: &out)
        write(item, level: level + 1, into: &out)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      indent(level, into: &out)
      out += "]"
    case .object(let object):
      if object.isEmpty {
        out += "{}"
        return
      }
      out += "{\n"
      for (i, member) in object.members.enumerated() {
        indent(level + 1, into: &out)
        JSONWriter.writeString(member.key, into: &out)
        out += ": "
        write(member.value, level: level + 1, into: &out)
        out += i + 1 < object.count ? ",\n" : "\n"
      }
      indent(level, into: &out)
      out += "}"
    }
  }

  private func indent(_ level: Int, into out: inout String) {
    out += String(repeating: " ", count: level * indentWidth)
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
