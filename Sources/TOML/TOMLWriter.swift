/// Writes a ``TOMLTable`` as readable TOML 1.0 that reads back to the same value.
///
/// Rules: within a table the plain key/value pairs come first, in their order, then sub-tables
/// (`[a.b]`) and arrays of tables (`[[a.b]]`) in their order, as TOML requires. Tables marked
/// ``TOMLTable/isInline`` stay inline. Text with newlines, or longer than
/// ``multilineThreshold``, becomes a `"""` string (long lines are wrapped with line-ending
/// backslashes, which TOML removes on reading). Keys are bare when they can be, else quoted;
/// Unicode is written as is and only control characters are escaped. Dates and times are TOML
/// literals keeping their fraction digits; floats read back to the same double.
public struct TOMLWriter: Sendable {
  /// Comment lines written at the top (without the `# `), followed by a blank line.
  public var headerComment: [String]
  /// Strings longer than this many characters become multi-line strings, and multi-line
  /// strings are wrapped at about this width.
  public var multilineThreshold: Int
  /// Writes chosen strings another way.
  ///
  /// Called for each string written as `key = value` (not
  /// inside arrays or inline tables) with the key names from the root; it returns the TOML
  /// string literal to write, which must read back as `text`, or nil for the writer's choice.
  public var stringLiteral: (@Sendable (_ keyPath: [String], _ text: String) -> String?)?

  /// Creates a writer.
  public init(
    headerComment: [String] = [], multilineThreshold: Int = 80,
    stringLiteral: (@Sendable (_ keyPath: [String], _ text: String) -> String?)? = nil
  ) {
    self.headerComment = headerComment
    self.multilineThreshold = multilineThreshold
    self.stringLiteral = stringLiteral
  }

  /// The TOML text of a table, ending with a newline (empty for an empty table without comment).
  public func write(_ table: TOMLTable) -> String {
    var out = ""
    for line in headerComment.flatMap({
      $0.split(separator: "\n", omittingEmptySubsequences: false)
    }) {
      out += line.isEmpty ? "#\n" : "# " + line + "\n"
    }
    var body = ""
    writeBody(of: table, path: [], names: [], into: &body)
    if out.isEmpty || body.isEmpty { return out + body }
    return out + "\n" + body
  }

  // MARK: Tables

  /// True for entries written as `[header]` or `[[header]]` sections rather than `key = value`.
  private static func isSection(_ node: TOMLNode) -> Bool {
    switch node.value {
    case .table(let table): return !table.isInline
    case .array(let items):
      return !items.isEmpty
        && items.allSatisfy { item in
          if case .table(let table) = item.value { return !table.isInline }
          return false
        }
    default: return false
    }
  }

  /// Writes a table's entries; `path` holds the keys as written, `names` the raw key names.
  private func writeBody(
    of table: TOMLTable, path: [String], names: [String], into out: inout String
  ) {
    for entry in table.entries where !Self.isSection(entry.node) {
      out += Self.keyText(entry.key.name) + " = "
      if case .string(let text) = entry.node.value,
        let literal = stringLiteral?(names + [entry.key.name], text)
      {
        out += literal
      } else {
        writeValue(entry.node.value, inline: false, into: &out)
      }
      out += "\n"
    }
    for entry in table.entries where Self.isSection(entry.node) {
      let childNames = names + [entry.key.name]
      let childPath = path + [Self.keyText(entry.key.name)]
      let header = childPath.joined(separator: ".")
      switch entry.node.value {
      case .table(let child):
        // A table holding only sub-tables needs no header of its own: theirs define it.
        if child.entries.isEmpty || child.entries.contains(where: { !Self.isSection($0.node) }) {
          Self.startSection(&out)
          out += "[" + header + "]\n"
        }
        writeBody(of: child, path: childPath, names: childNames, into: &out)
      case .array(let items):
        for item in items {
          guard case .table(let element) = item.value else { continue }
          Self.startSection(&out)
          out += "[[" + header + "]]\n"
          writeBody(of: element, path: childPath, names: childNames, into: &out)
        }
      default:
        break
      }
    }
  }

  private static func startSection(_ out: inout String) {
    if !out.isEmpty { out += "\n" }
  }

  // MARK: Values

  private func writeValue(_ value: TOMLValue, inline: Bool, into out: inout String) {
    switch value {
    case .string(let text):
      if !inline && shouldBeMultiline(text) {
        out += multilineString(text)
      } else {
        out += Self.basicString(text)
      }
    case .integer(let number): out += String(number)
    case .float(let number): out += Self.floatText(number)
    case .boolean(let flag): out += flag ? "true" : "false"
    case .dateTime(let dateTime): out += dateTime.tomlText
    case .date(let date): out += date.tomlText
    case .time(let time): out += time.tomlText
    case .array(let items):
      writeArray(items, inline: inline, into: &out)
    case .table(let table):
      if table.entries.isEmpty {
        out += "{}"
        return
      }
      out += "{ "
      for (index, entry) in table.entries.enumerated() {
        if index > 0 { out += ", " }
        out += Self.keyText(entry.key.name) + " = "
        writeValue(entry.node.value, inline: true, into: &out)
      }
      out += " }"
    }
  }

  private func writeArray(_ items: [TOMLNode], inline: Bool, into out: inout String) {
    if items.isEmpty {
      out += "[]"
      return
    }
    var parts: [String] = []
    parts.reserveCapacity(items.count)
    for item in items {
      var part = ""
      writeValue(item.value, inline: true, into: &part)
      parts.append(part)
    }
    let oneLine = "[" + parts.joined(separator: ", ") + "]"
    let hasTables = items.contains { if case .table = $0.value { true } else { false } }
    if inline || (oneLine.count <= max(multilineThreshold, 40) && !(hasTables && items.count > 1)) {
      out += oneLine
      return
    }
    out += "[\n"
    for part in parts { out += "  " + part + ",\n" }
    out += "]"
  }

  private func shouldBeMultiline(_ text: String) -> Bool {
    text.utf8.contains(0x0A) || text.unicodeScalars.count > multilineThreshold
  }

  /// A `"""` string whose content reads back as `text`, wrapping long lines.
  private func multilineString(_ text: String) -> String {
    var out = "\"\"\"\n"
    let scalars = Array(text.unicodeScalars)
    var column = 0
    var quoteRun = 0
    for (index, scalar) in scalars.enumerated() {
      let isLast = index == scalars.count - 1
      switch scalar {
      case "\n":
        out += "\n"
        column = 0
        quoteRun = 0
        continue
      case "\"":
        // Never three quotes in a row, and never a quote just before the closing quotes.
        if quoteRun == 2 || isLast {
          out += "\\\""
          quoteRun = 0
        } else {
          out += "\""
          quoteRun += 1
        }
      case "\\":
        out += "\\\\"
        quoteRun = 0
      case "\t":
        out += "\t"
        quoteRun = 0
      default:
        Self.appendEscaped(scalar, to: &out)
        quoteRun = 0
      }
      column += 1
      // Break after a space when the line is long; the backslash removes the newline, and the
      // next line starts with a non-blank character so nothing else is removed.
      if column >= multilineThreshold, scalar == " ", !isLast,
        scalars[index + 1] != " ", scalars[index + 1] != "\t", scalars[index + 1] != "\n"
      {
        out += "\\\n"
        column = 0
        quoteRun = 0
      }
    }
    out += "\"\"\""
    return out
  }

  /// Appends a scalar as it appears in a basic string: itself, or an escape for a control.
  private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout String) {
    switch scalar.value {
    case 0x08: out += "\\b"
    case 0x09: out += "\\t"
    case 0x0A: out += "\\n"
    case 0x0C: out += "\\f"
    case 0x0D: out += "\\r"
    case 0x00..<0x20, 0x7F:
      let hex = String(scalar.value, radix: 16, uppercase: true)
      out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: out.unicodeScalars.append(scalar)
    }
  }

  /// A one-line TOML basic string literal `"..."` that reads back as `text`: quotes,
  /// backslashes and control characters escaped, all other Unicode as is.
  public static func basicString(_ text: String) -> String {
    let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != 0x22 && $0 != 0x5C }
    if plain { return "\"" + text + "\"" }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default: appendEscaped(scalar, to: &out)
      }
    }
    return out + "\""
  }

  /// A key as written: bare when it only has `A-Za-z0-9_-`, else a quoted string.
  static func keyText(_ name: String) -> String {
    let isBare =
      !name.isEmpty
      && name.utf8.allSatisfy { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
          || b == 0x2D || b == 0x5F
      }
    return isBare ? name : basicString(name)
  }

  /// A key as a quoted string, for messages.
  static func quotedKeyText(_ name: String) -> String { basicString(name) }

  /// A float literal that reads back to the same double.
  static func floatText(_ number: Double) -> String {
    if number.isNaN { return "nan" }
    if number.isInfinite { return number < 0 ? "-inf" : "inf" }
    let text = "\(number)"  // the shortest text that reads back the same
    return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
  }
}

extension TOMLDate {
  /// `YYYY-MM-DD`.
  var tomlText: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
}

extension TOMLTime {
  /// `HH:MM:SS[.fraction]`, keeping as many fraction digits as the source wrote.
  var tomlText: String {
    var text = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
    guard (0..<1_000_000_000).contains(nanosecond) else { return text }
    // At least the digits the source wrote, and never fewer than the value needs.
    let nine = pad(nanosecond, 9)
    let needed = nine.count - nine.reversed().prefix(while: { $0 == "0" }).count
    let digits = min(max(fractionDigits, needed), 9)
    if digits > 0 { text += "." + nine.prefix(digits) }
    return text
  }
}

extension TOMLDateTime {
  /// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`.
  var tomlText: String {
    var text = date.tomlText + "T" + time.tomlText
    if let offset = offsetMinutes {
      if offset == 0 {
        text += "Z"
      } else {
        text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
      }
    }
    return text
  }
}

private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}
