/// A place in a JSON text: 1-based line and column (columns count Unicode scalars; a tab is one).
public struct JSONPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, in Unicode scalars.
  public var column: Int

  /// Creates a position from a 1-based line and column.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: JSONPosition, rhs: JSONPosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// Why a text is not valid JSON: where, what, and what to do about it.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
  /// The file the text came from, as given by the caller (may be empty).
  public var path: String
  /// Where the problem is.
  public var position: JSONPosition
  /// One sentence saying what is wrong and what to do.
  public var message: String
  /// A second place that explains the first (the `{` that is never closed), with its note.
  public var related: (position: JSONPosition, note: String)?

  /// Creates an error.
  public init(
    path: String, position: JSONPosition, message: String,
    related: (position: JSONPosition, note: String)? = nil
  ) {
    self.path = path
    self.position = position
    self.message = message
    self.related = related
  }

  /// Compiler style: `path:line:col: error: message`, plus a `note:` line for the related place.
  public var description: String {
    let prefix = path.isEmpty ? "" : path + ":"
    var text = "\(prefix)\(position): error: \(message)"
    if let related { text += "\n\(prefix)\(related.position): note: \(related.note)" }
    return text
  }
}

/// Something valid but suspicious in a JSON text (a key written twice).
public struct JSONWarning: Sendable, Equatable, CustomStringConvertible {
  /// The file the text came from (may be empty).
  public var path: String
  /// Where the suspicious thing is.
  public var position: JSONPosition
  /// One sentence saying what and what was done.
  public var message: String

  /// Compiler style: `path:line:col: warning: message`.
  public var description: String {
    (path.isEmpty ? "" : path + ":") + "\(position): warning: \(message)"
  }
}

/// A parsed JSON document: the value and the warnings met on the way.
public struct JSONDocument: Sendable {
  /// The top-level value.
  public var value: JSONValue
  /// Valid-but-suspicious things, in source order.
  public var warnings: [JSONWarning]
}

/// A strict RFC 8259 JSON reader that keeps key order and number text and reports errors with
/// line, column and what to fix.
///
/// It accepts a UTF-8 byte order mark and CRLF line ends. A key written twice in one object keeps
/// the last value (as Python's `json`, which Zenodo uses, does) at the first key's place, with a
/// warning. Nesting is limited to ``maximumDepth`` so no input can exhaust the stack.
public struct JSONReader: Sendable {
  /// The deepest nesting of arrays and objects accepted.
  public static let maximumDepth = 256

  /// Parses UTF-8 bytes.
  ///
  /// `path` is only used in messages.
  public static func parse(_ bytes: [UInt8], path: String = "") throws(JSONSyntaxError)
    -> JSONDocument
  {
    var parser = JSONByteParser(bytes: bytes, path: path)
    return try parser.parseDocument()
  }

  /// Parses a string.
  public static func parse(_ text: String, path: String = "") throws(JSONSyntaxError)
    -> JSONDocument
  {
    try parse(Array(text.utf8), path: path)
  }
}

private struct JSONByteParser {
  let bytes: [UInt8]
  let path: String
  var index = 0
  var line = 1
  var column = 1
  var depth = 0
  var warnings: [JSONWarning] = []

  init(bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
  }

  var position: JSONPosition { JSONPosition(line: line, column: column) }

  func error(
    _ message: String, at position: JSONPosition? = nil,
    related: (position: JSONPosition, note: String)? = nil
  ) -> JSONSyntaxError {
    JSONSyntaxError(
      path: path, position: position ?? self.position, message: message, related: related)
  }

  mutating func parseDocument() throws(JSONSyntaxError) -> JSONDocument {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    try checkUTF8()
    skipWhitespace()
    if index >= bytes.count {
      throw error("the file is empty; a JSON document holds one value, such as an object `{...}`")
    }
    let value = try parseValue()
    let end = position
    skipWhitespace()
    if index < bytes.count {
      if case .string = value, bytes[index] == UInt8(ascii: ":") {
        throw error(
          "unexpected `:` after a complete JSON string; the file looks like it is missing its "
            + "opening `{`: add `{` at the start")
      }
      try rejectComment()
      throw error(
        "unexpected \(describeHere()) after the end of the JSON value that ended at \(end); "
          + "remove it or wrap the values in one object or array")
    }
    return JSONDocument(value: value, warnings: warnings)
  }

  /// Finds the first byte that is not UTF-8 before parsing, so the error names its place.
  func checkUTF8() throws(JSONSyntaxError) {
    var i = index
    var line = 1
    var column = 1
    while i < bytes.count {
      let b = bytes[i]
      var length = 0
      if b < 0x80 {
        length = 1
      } else if b >= 0xC2 && b <= 0xDF {
        length = 2
      } else if b >= 0xE0 && b <= 0xEF {
        length = 3
      } else if b >= 0xF0 && b <= 0xF4 {
        length = 4
      }
      var valid = length > 0 && i + length <= bytes.count
      if valid && length > 1 {
        for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { valid = false }
        if valid {
          let b1 = bytes[i + 1]
          if b == 0xE0 && b1 < 0xA0 { valid = false }  // overlong
          if b == 0xED && b1 > 0x9F { valid = false }  // surrogate
          if b == 0xF0 && b1 < 0x90 { valid = false }  // overlong
          if b == 0xF4 && b1 > 0x8F { valid = false }  // beyond U+10FFFF
        }
      }
      if !valid {
        let hex = String(b, radix: 16, uppercase: true)
        let hint =
          b >= 0xA0
          ? "the file looks Latin-1 (ISO 8859-1) encoded; re-save it as UTF-8"
          : "the file is not UTF-8 text; re-save it as UTF-8"
        throw JSONSyntaxError(
          path: path, position: JSONPosition(line: line, column: column),
          message: "byte 0x\(hex) is not valid UTF-8: \(hint)")
      }
      if b == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += length
    }
  }

  mutating func advance() {
    let b = bytes[index]
    index += 1
    if b == 0x0A {
      line += 1
      column = 1
    } else if b & 0xC0 != 0x80 {
      column += 1
    }
  }

  /// Advances over one whole UTF-8 sequence (column counts scalars).
  mutating func advanceScalar() {
    advance()
    while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: advance()
      default: return
      }
    }
  }

  /// A short description of the text at the current place, for messages.
  func describeHere() -> String {
    guard index < bytes.count else { return "end of file" }
    var end = index
    var scalars = 0
    while end < bytes.count && scalars < 20 {
      let b = bytes[end]
      let stops: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")]
      if b == 0x0A || b == 0x0D || (scalars > 0 && stops.contains(b)) { break }
      end += 1
      while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
      scalars += 1
    }
    let snippet = String(decoding: bytes[index..<end], as: UTF8.self)
    return "`\(snippet)`"
  }

  func rejectComment() throws(JSONSyntaxError) {
    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "/") else { return }
    let next = bytes[index + 1]
    if next == UInt8(ascii: "/") || next == UInt8(ascii: "*") {
      throw error("JSON has no comments; remove this comment (or move it into a `notes` value)")
    }
  }

  mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    guard index < bytes.count else {
      throw error("unexpected end of file where a value was expected; complete the value")
    }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      if let literal = try parseLiteral() { return literal }
      throw unquotedError()
    case UInt8(ascii: "'"):
      throw error("JSON strings use double quotes; replace the single quotes with `\"`")
    case UInt8(ascii: "/"):
      try rejectComment()
      throw unquotedError()
    case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
      throw error(
        "expected a value but found \(describeHere()); write a value here or remove the separator")
    default:
      throw unquotedError()
    }
  }

  func unquotedError() -> JSONSyntaxError {
    error(
      "unquoted text \(describeHere()) where a value was expected; put strings in double quotes "
        + "(`\"...\"`); other values are numbers, true, false, null, objects or arrays")
  }

  mutating func parseLiteral() throws(JSONSyntaxError) -> JSONValue? {
    let candidates: [(String, JSONValue)] = [
      ("true", .bool(true)), ("false", .bool(false)), ("null", .null),
    ]
    for (word, value) in candidates {
      let utf8 = Array(word.utf8)
      if index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 {
        let after = index + utf8.count
        if after < bytes.count, isWordByte(bytes[after]) { return nil }
        for _ in 0..<utf8.count { advance() }
        return value
      }
    }
    return nil
  }

  func isWordByte(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
      || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b >= 0x80
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
    let start = index
    let startPosition = position
    func digit(_ i: Int) -> Bool {
      i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
    }
    if bytes[index] == UInt8(ascii: "-") { advance() }
    guard digit(index) else {
      throw error("a number needs digits after `-`; write for example `-1`", at: startPosition)
    }
    if bytes[index] == UInt8(ascii: "0") {
      advance()
      if digit(index) {
        throw error(
          "numbers cannot start with a leading zero; remove it, or quote the value if it is a code",
          at: startPosition)
      }
    } else {
      while digit(index) { advance() }
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      advance()
      guard digit(index) else {
        throw error("a number needs digits after the decimal point; write for example `1.0`")
      }
      while digit(index) { advance() }
    }
    if index < bytes.count
      && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E"))
    {
      advance()
      if index < bytes.count
        && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"))
      {
        advance()
      }
      guard digit(index) else {
        throw error("a number needs digits in its exponent; write for example `1e5`")
      }
      while digit(index) { advance() }
    }
    if index < bytes.count && isWordByte(bytes[index]) {
      index = start
      line = startPosition.line
      column = startPosition.column
      throw unquotedError()
    }
    return JSONNumber(text: String(decoding: bytes[start..<index], as: UTF8.self))
  }

  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = position
    advance()  // opening quote
    var buffer: [UInt8] = []
    while true {
      guard index < bytes.count else {
        throw error(
          "unexpected end of file inside a string; close it with `\"`",
          related: (open, "the string starts here"))
      }
      let b = bytes[index]
      switch b {
      case UInt8(ascii: "\""):
        advance()
        return String(decoding: buffer, as: UTF8.self)
      case UInt8(ascii: "\\"):
        let escapePosition = position
        advance()
        guard index < bytes.count else {
          throw error("unexpected end of file after `\\`; complete the escape and close the string")
        }
        let e = bytes[index]
        switch e {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          advance()
          let scalar = try parseUnicodeEscape(at: escapePosition)
          buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
          continue
        case UInt8(ascii: "'"):
          throw error(
            "invalid escape `\\'` in a string; write `'` without the backslash (only `\"` needs one)",
            at: escapePosition)
        default:
          let shown =
            e < 0x20 ? "a control character" : "`\\" + String(decoding: [e], as: UTF8.self) + "`"
          throw error(
            "invalid escape \(shown) in a string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
              + "and \\uXXXX (write `\\\\` for a backslash)",
            at: escapePosition)
        }
        advance()
      case 0x0A, 0x0D:
        throw error(
          "line break inside a string; close the string with `\"` or write the line break as `\\n`",
          related: (open, "the string starts here"))
      case 0x00..<0x20:
        throw error(
          "control character U+\(hex4(UInt32(b))) inside a string; write it escaped (a tab as `\\t`)"
        )
      default:
        buffer.append(b)
        advance()
      }
    }
  }

  func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  mutating func readHex4(at escapePosition: JSONPosition) throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let d = hexDigit(bytes[index]) else {
        throw error(
          "`\\u` must be followed by four hex digits, as in `\\u00E9`", at: escapePosition)
      }
      value = value * 16 + d
      advance()
    }
    return value
  }

  func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  mutating func parseUnicodeEscape(at escapePosition: JSONPosition) throws(JSONSyntaxError)
    -> Unicode.Scalar
  {
    let first = try readHex4(at: escapePosition)
    if first >= 0xD800 && first <= 0xDBFF {
      if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "u")
      {
        advance()
        advance()
        let second = try readHex4(at: escapePosition)
        if second >= 0xDC00 && second <= 0xDFFF {
          let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
          if let scalar = Unicode.Scalar(value) { return scalar }
        }
      }
      throw error(
        "`\\u\(hex4(first))` is half of a surrogate pair without its other half; write the "
          + "character itself or the full pair",
        at: escapePosition)
    }
    guard let scalar = Unicode.Scalar(first) else {
      throw error(
        "`\\u\(hex4(first))` is a lone surrogate, which is not a character; write the character "
          + "itself or the full pair",
        at: escapePosition)
    }
    return scalar
  }

  mutating func enter(_ open: JSONPosition) throws(JSONSyntaxError) {
    depth += 1
    if depth > JSONReader.maximumDepth {
      throw error(
        "arrays and objects are nested more than \(JSONReader.maximumDepth) deep; flatten the data",
        at: open)
    }
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    let open = position
    try enter(open)
    defer { depth -= 1 }
    advance()  // {
    var object = JSONObject()
    var keyPositions: [String: JSONPosition] = [:]
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      advance()
      return .object(object)
    }
    var lastComma: JSONPosition?
    while true {
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("object", "}", open) }
      let b = bytes[index]
      if b == UInt8(ascii: "}"), let comma = lastComma {
        throw error("remove the trailing comma: no member follows it before `}`", at: comma)
      }
      if b != UInt8(ascii: "\"") {
        try rejectComment()
        if b == UInt8(ascii: "'") {
          throw error("JSON keys use double quotes; replace the single quotes with `\"`")
        }
        if b == UInt8(ascii: ",") {
          throw error("two commas in a row; remove one")
        }
        throw error(
          "expected a key in double quotes but found \(describeHere()); write `\"key\": value`")
      }
      let keyPosition = position
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("object", "}", open) }
      guard bytes[index] == UInt8(ascii: ":") else {
        throw error(
          "expected `:` after the key \"\(key)\" but found \(describeHere()); write `\"\(key)\": value`"
        )
      }
      advance()
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("object", "}", open) }
      let value = try parseValue()
      let valueEnd = position
      if let first = keyPositions[key] {
        warnings.append(
          JSONWarning(
            path: path, position: keyPosition,
            message: "the key \"\(key)\" is written twice in this object (first at \(first)); the "
              + "last value is kept, as Zenodo's reader does; remove one of them"))
      } else {
        keyPositions[key] = keyPosition
      }
      object[key] = value
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("object", "}", open) }
      switch bytes[index] {
      case UInt8(ascii: ","):
        lastComma = position
        advance()
      case UInt8(ascii: "}"):
        advance()
        return .object(object)
      case UInt8(ascii: "\""):
        throw error(
          "missing comma after this value: add `,` here, before the next key at \(position)",
          at: valueEnd)
      default:
        try rejectComment()
        throw error(
          "expected `,` or `}` after a member but found \(describeHere()); add the missing `,` or `}`"
        )
      }
    }
  }

  mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    let open = position
    try enter(open)
    defer { depth -= 1 }
    advance()  // [
    var items: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      advance()
      return .array(items)
    }
    var lastComma: JSONPosition?
    while true {
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("array", "]", open) }
      if bytes[index] == UInt8(ascii: "]"), let comma = lastComma {
        throw error("remove the trailing comma: no element follows it before `]`", at: comma)
      }
      items.append(try parseValue())
      let valueEnd = position
      skipWhitespace()
      guard index < bytes.count else { throw unclosed("array", "]", open) }
      switch bytes[index] {
      case UInt8(ascii: ","):
        lastComma = position
        advance()
      case UInt8(ascii: "]"):
        advance()
        return .array(items)
      case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "-"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
        UInt8(ascii: "n"):
        throw error(
          "missing comma after this element: add `,` here, before the next element at \(position)",
          at: valueEnd)
      case UInt8(ascii: "}"):
        throw error(
          "found `}` where this array needs `]`; close the array opened at \(open) with `]` first",
          related: (open, "the array starts here"))
      default:
        try rejectComment()
        throw error(
          "expected `,` or `]` after an element but found \(describeHere()); add the missing `,` or `]`"
        )
      }
    }
  }

  func unclosed(_ kind: String, _ closer: String, _ open: JSONPosition) -> JSONSyntaxError {
    error(
      "unexpected end of file: the \(kind) opened at \(open) is never closed; add `\(closer)`",
      related: (open, "the \(kind) starts here"))
  }
}
