/// Reads TOML 1.0 documents into ``TOMLTable`` values that keep key order and source positions.
///
/// The parser works on UTF-8 bytes, never traps on bad input, and stops at the first problem with
/// a ``TOMLError`` that says where it is and what was expected.
public enum TOMLParser {
  /// How deeply arrays, inline tables and tables may nest before the input is refused.
  public static let maximumDepth = 256

  /// Parses a TOML document.
  public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
    var parser = Parser(bytes: Array(text.utf8))
    return try parser.parseDocument()
  }

  /// Parses a TOML document from UTF-8 bytes; invalid UTF-8 is an error at the bad byte.
  public static func parse(bytes: some Collection<UInt8>) throws(TOMLError) -> TOMLTable {
    let array = Array(bytes)
    var parser = Parser(bytes: array)
    if let bad = UTF8Validation.firstInvalidByte(in: array) {
      let hex = String(array[bad], radix: 16, uppercase: true)
      throw TOMLError(
        position: parser.position(at: bad),
        message: "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex); save the file as UTF-8")
    }
    return try parser.parseDocument()
  }
}

// ASCII bytes the parser looks at.
private enum ASCII {
  static let tab: UInt8 = 0x09
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22  // "
  static let hash: UInt8 = 0x23  // #
  static let apostrophe: UInt8 = 0x27  // '
  static let plus: UInt8 = 0x2B
  static let comma: UInt8 = 0x2C
  static let minus: UInt8 = 0x2D
  static let dot: UInt8 = 0x2E
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let colon: UInt8 = 0x3A
  static let equals: UInt8 = 0x3D
  static let openBracket: UInt8 = 0x5B
  static let backslash: UInt8 = 0x5C
  static let closeBracket: UInt8 = 0x5D
  static let underscore: UInt8 = 0x5F
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let delete: UInt8 = 0x7F

  static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= nine }
  static func isHexDigit(_ b: UInt8) -> Bool {
    isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
  }
  static func isBareKey(_ b: UInt8) -> Bool {
    isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == minus
      || b == underscore
  }
  /// Control characters TOML forbids in comments and strings (tab is allowed).
  static func isForbiddenControl(_ b: UInt8) -> Bool {
    (b < 0x20 && b != tab) || b == delete
  }
}

/// The reading state over one document's bytes.
struct Parser {
  private let bytes: [UInt8]
  private var i: Int
  private let start: Int
  private let root: TableBuilder
  private var current: TableBuilder
  // A cache for computing positions lazily: they are asked for mostly in increasing order.
  private var cachedIndex: Int
  private var cachedLine = 1
  private var cachedColumn = 1

  init(bytes: [UInt8]) {
    self.bytes = bytes
    // A UTF-8 byte order mark at the very start is not part of the document.
    let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    start = hasBOM ? 3 : 0
    i = start
    cachedIndex = start
    root = TableBuilder(kind: .header, position: SourcePosition(line: 1, column: 1), depth: 0)
    current = root
  }

  // MARK: Positions and errors

  /// The line and column of a byte offset.
  mutating func position(at index: Int) -> SourcePosition {
    let target = Swift.min(Swift.max(index, start), bytes.count)
    if target < cachedIndex {
      cachedIndex = start
      cachedLine = 1
      cachedColumn = 1
    }
    var line = cachedLine
    var column = cachedColumn
    var j = cachedIndex
    while j < target {
      let b = bytes[j]
      if b == ASCII.newline {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
      j += 1
    }
    cachedIndex = target
    cachedLine = line
    cachedColumn = column
    return SourcePosition(line: line, column: column)
  }

  private mutating func error(_ message: String, at index: Int? = nil) -> TOMLError {
    TOMLError(position: position(at: index ?? i), message: message)
  }

  /// How the byte at `index` reads in a message: `'x'`, `U+000C`, or "end of input".
  fileprivate func describe(at index: Int) -> String {
    guard index < bytes.count else { return "end of input" }
    let b = bytes[index]
    switch b {
    case ASCII.newline: return "a newline"
    case ASCII.carriageReturn:
      return index + 1 < bytes.count && bytes[index + 1] == ASCII.newline
        ? "a newline" : "a carriage return"
    case ASCII.tab: return "a tab"
    case ..<0x20, ASCII.delete:
      return "control character U+00" + hex2(b)
    case ..<0x80: return "'\(Character(Unicode.Scalar(b)))'"
    default:
      var decoder = UTF8()
      var iterator = bytes[index...].makeIterator()
      if case .scalarValue(let scalar) = decoder.decode(&iterator) {
        return "'\(Character(scalar))'"
      }
      return "byte 0x" + hex2(b)
    }
  }

  private func hex2(_ b: UInt8) -> String {
    let text = String(b, radix: 16, uppercase: true)
    return text.count == 1 ? "0" + text : text
  }

  private var found: String { describe(at: i) }

  // MARK: Low-level reading

  private var atEnd: Bool { i >= bytes.count }

  private func peek(_ offset: Int = 0) -> UInt8? {
    let j = i + offset
    return j < bytes.count ? bytes[j] : nil
  }

  private mutating func skipWhitespace() {
    while i < bytes.count, bytes[i] == ASCII.space || bytes[i] == ASCII.tab { i += 1 }
  }

  /// True at a newline (LF or CRLF).
  private func atNewline() -> Bool {
    guard let b = peek() else { return false }
    return b == ASCII.newline || (b == ASCII.carriageReturn && peek(1) == ASCII.newline)
  }

  private mutating func skipNewline() {
    i += bytes[i] == ASCII.carriageReturn ? 2 : 1
  }

  /// Skips a comment starting at `#`, up to (not including) the line end.
  private mutating func skipComment() throws(TOMLError) {
    i += 1
    while i < bytes.count {
      let b = bytes[i]
      if b == ASCII.newline { return }
      if ASCII.isForbiddenControl(b) {
        if b == ASCII.carriageReturn && peek(1) == ASCII.newline { return }
        throw error("\(describe(at: i)) is not allowed in a comment")
      }
      i += 1
    }
  }

  /// Skips whitespace, comments and newlines (inside arrays).
  private mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLError) {
    while let b = peek() {
      if b == ASCII.space || b == ASCII.tab || b == ASCII.newline {
        i += 1
      } else if b == ASCII.carriageReturn && peek(1) == ASCII.newline {
        i += 2
      } else if b == ASCII.hash {
        try skipComment()
      } else {
        return
      }
    }
  }

  /// After a key/value pair or a header: whitespace, an optional comment, then a line end.
  private mutating func expectLineEnd(after what: @autoclosure () -> String) throws(TOMLError) {
    skipWhitespace()
    if peek() == ASCII.hash { try skipComment() }
    if atEnd { return }
    if atNewline() {
      skipNewline()
      return
    }
    throw error("expected a newline after \(what()), found \(found)")
  }

  // MARK: Document

  mutating func parseDocument() throws(TOMLError) -> TOMLTable {
    while true {
      skipWhitespace()
      guard let b = peek() else { break }
      switch b {
      case ASCII.hash:
        try skipComment()
        if !atEnd { skipNewline() }
      case ASCII.newline:
        i += 1
      case ASCII.carriageReturn where peek(1) == ASCII.newline:
        i += 2
      case ASCII.openBracket:
        let (keys, isArray) = try parseHeader()
        try expectLineEnd(after: "the table header \(Self.headerName(keys, isArray: isArray))")
      default:
        guard ASCII.isBareKey(b) || b == ASCII.quote || b == ASCII.apostrophe else {
          throw error("expected a key or a [table] header, found \(found)")
        }
        let keys = try parseKeyValue(into: current, valueDepth: current.depth)
        try expectLineEnd(after: "the value of key \(Self.quoted(keys))")
      }
    }
    return root.build()
  }

  private static func headerName(_ keys: [TOMLKey], isArray: Bool) -> String {
    isArray ? "[[\(Self.dotted(keys))]]" : "[\(Self.dotted(keys))]"
  }

  /// The table that holds the last key of a header's `keys`, creating implicit tables on the
  /// way; `name` is the header as written, for messages.
  private mutating func headerParent(_ keys: [TOMLKey], name: String) throws(TOMLError)
    -> TableBuilder
  {
    var table = root
    for (offset, key) in keys.dropLast().enumerated() {
      if let existing = table.lookup(key.name) {
        switch existing.item {
        case .table(let child):
          table = child
        case .arrayOfTables(let array):
          guard let last = array.tables.last else {
            throw TOMLError(position: key.position, message: "internal: empty array of tables")
          }
          table = last
        case .value(let node):
          let path = Self.dotted(keys.prefix(offset + 1))
          throw TOMLError(
            position: key.position,
            message:
              "cannot define \(name): \"\(path)\" is already \(node.value.kindName) (defined at \(existing.key.position))"
          )
        }
      } else {
        let child = try makeTable(.implicit, named: key.name, at: key.position, in: table)
        table.append(key, .table(child))
        table = child
      }
    }
    return table
  }

  /// Reads `[a.b]` or `[[a.b]]` and makes its table the current one; returns its key.
  private mutating func parseHeader() throws(TOMLError) -> (keys: [TOMLKey], isArray: Bool) {
    let headerPosition = position(at: i)
    let isArray = peek(1) == ASCII.openBracket
    i += isArray ? 2 : 1
    let keys = try parseKey()
    skipWhitespace()
    var name: String { Self.headerName(keys, isArray: isArray) }
    guard peek() == ASCII.closeBracket else {
      throw error("expected ']' to close the table header \(name), found \(found)")
    }
    i += 1
    if isArray {
      guard peek() == ASCII.closeBracket else {
        throw error("expected ']]' to close the array of tables header \(name), found \(found)")
      }
      i += 1
    }

    let table = try headerParent(keys, name: name)
    guard let last = keys.last else { throw error("expected a key in the table header") }
    if let existing = table.lookup(last.name) {
      switch existing.item {
      case .arrayOfTables(let array) where isArray:
        let element = try makeTable(.header, named: last.name, at: headerPosition, in: table)
        array.tables.append(element)
        current = element
      case .table(let child) where !isArray && child.kind == .implicit:
        child.kind = .header
        child.position = headerPosition
        current = child
      case .table(let child) where !isArray && child.kind == .header:
        throw TOMLError(
          position: headerPosition,
          message: "duplicate table \(name) (first defined at \(child.position))")
      case .arrayOfTables(let array) where !isArray:
        throw TOMLError(
          position: headerPosition,
          message:
            "cannot define \(name): \"\(Self.dotted(keys))\" is an array of tables (first defined at \(array.position)); use [[\(Self.dotted(keys))]] to add an element"
        )
      case .table(let child) where !isArray && child.kind == .dotted:
        throw TOMLError(
          position: headerPosition,
          message:
            "cannot define \(name): the table was already defined by dotted keys at \(existing.key.position)"
        )
      default:
        throw TOMLError(
          position: headerPosition,
          message:
            "cannot define \(name): \"\(Self.dotted(keys))\" is already \(existing.item.kindName) (defined at \(existing.key.position))"
        )
      }
    } else {
      let child = try makeTable(.header, named: last.name, at: headerPosition, in: table)
      if isArray {
        table.append(
          last, .arrayOfTables(ArrayOfTablesBuilder(position: headerPosition, first: child)))
      } else {
        table.append(last, .table(child))
      }
      current = child
    }
    return (keys, isArray)
  }

  private func makeTable(
    _ kind: TableBuilder.Kind, named name: String, at position: SourcePosition,
    in parent: TableBuilder
  ) throws(TOMLError) -> TableBuilder {
    let depth = parent.depth + 1
    guard depth <= TOMLParser.maximumDepth else {
      throw TOMLError(
        position: position,
        message:
          "tables nest more than \(TOMLParser.maximumDepth) levels deep; flatten the document")
    }
    return TableBuilder(
      kind: kind, position: position, depth: depth,
      insideInline: parent.kind == .inline || parent.insideInline, parent: parent, name: name)
  }

  // MARK: Keys

  /// Reads a possibly dotted key; leading and inner whitespace is skipped.
  private mutating func parseKey() throws(TOMLError) -> [TOMLKey] {
    var keys: [TOMLKey] = []
    while true {
      skipWhitespace()
      let keyStart = i
      let name: String
      guard let b = peek() else { throw error("expected a key, found end of input") }
      if b == ASCII.quote {
        if peek(1) == ASCII.quote && peek(2) == ASCII.quote {
          throw error("a key cannot be a multi-line string; use \"...\" or '...'")
        }
        name = try parseBasicString()
      } else if b == ASCII.apostrophe {
        if peek(1) == ASCII.apostrophe && peek(2) == ASCII.apostrophe {
          throw error("a key cannot be a multi-line string; use \"...\" or '...'")
        }
        name = try parseLiteralString()
      } else if ASCII.isBareKey(b) {
        while let c = peek(), ASCII.isBareKey(c) { i += 1 }
        name = String(decoding: bytes[keyStart..<i], as: UTF8.self)
      } else {
        if keys.isEmpty {
          throw error("expected a key, found \(found)")
        }
        throw error("expected a key after '.' in \"\(Self.dotted(keys)).\", found \(found)")
      }
      keys.append(TOMLKey(name, at: position(at: keyStart)))
      guard keys.count <= TOMLParser.maximumDepth else {
        throw error("a dotted key has more than \(TOMLParser.maximumDepth) parts")
      }
      skipWhitespace()
      if peek() == ASCII.dot {
        i += 1
      } else {
        return keys
      }
    }
  }

  /// Reads `key = value` and stores it in `table`; returns the key.
  private mutating func parseKeyValue(into table: TableBuilder, valueDepth: Int)
    throws(TOMLError) -> [TOMLKey]
  {
    let keys = try parseKey()
    guard peek() == ASCII.equals else {
      throw error("expected '=' after key \(Self.quoted(keys)), found \(found)")
    }
    i += 1
    skipWhitespace()
    let node = try parseValue(depth: valueDepth + keys.count - 1)
    try insert(node, at: keys, into: table)
    return keys
  }

  /// Stores a value under a dotted key, creating (or entering) the tables dotted keys define.
  private mutating func insert(_ node: TOMLNode, at keys: [TOMLKey], into base: TableBuilder)
    throws(TOMLError)
  {
    var table = base
    for (offset, key) in keys.dropLast().enumerated() {
      if let existing = table.lookup(key.name) {
        if case .table(let child) = existing.item, child.kind == .dotted {
          table = child
          continue
        }
        let path = Self.dotted(keys.prefix(offset + 1))
        let reason: String
        switch existing.item {
        case .table(let child) where child.kind == .header || child.kind == .implicit:
          let tablePath = Self.dotted(child.path.map { TOMLKey($0) })
          reason =
            "table [\(tablePath)] was made by a table header at \(child.position); dotted keys cannot add to it"
        default:
          reason =
            "\"\(path)\" is already \(existing.item.kindName) (defined at \(existing.key.position))"
        }
        throw TOMLError(
          position: key.position, message: "cannot set key \(Self.quoted(keys)): \(reason)")
      }
      let child = try makeTable(.dotted, named: key.name, at: key.position, in: table)
      table.append(key, .table(child))
      table = child
    }
    guard let last = keys.last else { return }
    if let existing = table.lookup(last.name) {
      throw TOMLError(
        position: last.position,
        message: "duplicate key \(Self.quoted(keys)) (first defined at \(existing.key.position))")
    }
    table.append(last, .value(node))
  }

  private static func dotted(_ keys: some Collection<TOMLKey>) -> String {
    keys.map { key in
      key.name.utf8.allSatisfy(ASCII.isBareKey) && !key.name.isEmpty
        ? key.name : TOMLWriter.quotedKeyText(key.name)
    }.joined(separator: ".")
  }

  private static func quoted(_ keys: [TOMLKey]) -> String {
    let text = Self.dotted(keys)
    return text.first == "\"" ? text : "\"" + text + "\""
  }

  // MARK: Values

  private mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLNode {
    let valueStart = i
    let position = position(at: i)
    guard let b = peek() else { throw error("expected a value, found end of input") }
    let value: TOMLValue
    switch b {
    case ASCII.quote:
      if peek(1) == ASCII.quote && peek(2) == ASCII.quote {
        value = .string(try parseMultilineBasicString())
      } else {
        value = .string(try parseBasicString())
      }
    case ASCII.apostrophe:
      if peek(1) == ASCII.apostrophe && peek(2) == ASCII.apostrophe {
        value = .string(try parseMultilineLiteralString())
      } else {
        value = .string(try parseLiteralString())
      }
    case 0x74:  // t
      try expectWord("true")
      value = .boolean(true)
    case 0x66:  // f
      try expectWord("false")
      value = .boolean(false)
    case ASCII.openBracket:
      value = try parseArray(depth: depth + 1)
    case ASCII.openBrace:
      value = .table(try parseInlineTable(depth: depth + 1))
    case ASCII.plus, ASCII.minus, 0x69, 0x6E, ASCII.zero...ASCII.nine:  // i, n
      value = try parseNumberOrDate()
    default:
      throw error("expected a value, found \(found)", at: valueStart)
    }
    return TOMLNode(value, at: position)
  }

  private mutating func expectWord(_ word: StaticString) throws(TOMLError) {
    let wordStart = i
    let count = word.utf8CodeUnitCount
    let matches = word.withUTF8Buffer { buffer in
      i + count <= bytes.count && bytes[i..<(i + count)].elementsEqual(buffer)
    }
    guard matches, !isWordByte(peek(count)) else {
      throw error(
        "expected a value (true, false, a number, a string, a date, [ or {), found \(found)",
        at: wordStart)
    }
    i += count
  }

  private func isWordByte(_ b: UInt8?) -> Bool {
    guard let b else { return false }
    return ASCII.isBareKey(b) || b == ASCII.dot || b == ASCII.colon || b == ASCII.plus
  }

  private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
    let open = i
    guard depth <= TOMLParser.maximumDepth else {
      throw error("arrays and inline tables nest more than \(TOMLParser.maximumDepth) levels deep")
    }
    i += 1
    var items: [TOMLNode] = []
    while true {
      try skipWhitespaceCommentsAndNewlines()
      guard let b = peek() else {
        throw error(
          "expected ']' to close the array opened at \(position(at: open)), found end of input")
      }
      if b == ASCII.closeBracket {
        i += 1
        return .array(items)
      }
      items.append(try parseValue(depth: depth))
      try skipWhitespaceCommentsAndNewlines()
      guard let next = peek() else {
        throw error(
          "expected ']' to close the array opened at \(position(at: open)), found end of input")
      }
      if next == ASCII.comma {
        i += 1
      } else if next != ASCII.closeBracket {
        throw error("expected ',' or ']' after an array element, found \(found)")
      }
    }
  }

  private mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLTable {
    let open = i
    let openPosition = position(at: i)
    guard depth <= TOMLParser.maximumDepth else {
      throw error("arrays and inline tables nest more than \(TOMLParser.maximumDepth) levels deep")
    }
    i += 1
    let table = TableBuilder(kind: .inline, position: openPosition, depth: depth)
    skipWhitespace()
    if peek() == ASCII.closeBrace {
      i += 1
      return table.build()
    }
    while true {
      skipWhitespace()
      if atNewline() || peek() == ASCII.hash {
        throw error(
          "expected a key in the inline table opened at \(position(at: open)), found \(found); inline tables must stay on one line"
        )
      }
      if peek() == ASCII.closeBrace {
        throw error("expected a key after ',' in the inline table; a trailing comma is not allowed")
      }
      _ = try parseKeyValue(into: table, valueDepth: depth)
      skipWhitespace()
      guard let b = peek() else {
        throw error(
          "expected '}' to close the inline table opened at \(position(at: open)), found end of input"
        )
      }
      if b == ASCII.comma {
        i += 1
      } else if b == ASCII.closeBrace {
        i += 1
        return table.build()
      } else if atNewline() {
        throw error(
          "expected ',' or '}' in the inline table opened at \(position(at: open)), found a newline; inline tables must stay on one line"
        )
      } else {
        throw error("expected ',' or '}' after a value in an inline table, found \(found)")
      }
    }
  }

  // MARK: Strings

  /// Reads `"..."` (the opening quote is at `i`).
  private mutating func parseBasicString() throws(TOMLError) -> String {
    let open = i
    i += 1
    let contentStart = i
    // Fast path: no escapes.
    while let b = peek(), b != ASCII.quote, b != ASCII.backslash, !ASCII.isForbiddenControl(b) {
      i += 1
    }
    if peek() == ASCII.quote {
      let text = String(decoding: bytes[contentStart..<i], as: UTF8.self)
      i += 1
      return text
    }
    var buffer = Array(bytes[contentStart..<i])
    while true {
      guard let b = peek() else {
        throw error(
          "expected '\"' to close the string opened at \(position(at: open)), found end of input")
      }
      switch b {
      case ASCII.quote:
        i += 1
        return String(decoding: buffer, as: UTF8.self)
      case ASCII.backslash:
        try parseEscape(into: &buffer)
      case ASCII.newline:
        throw error(
          "expected '\"' to close the string opened at \(position(at: open)), found a newline; use \"\"\" for multi-line text"
        )
      default:
        if ASCII.isForbiddenControl(b) {
          throw error(
            "\(describe(at: i)) is not allowed in a string; write it as an escape such as \\u0001")
        }
        buffer.append(b)
        i += 1
      }
    }
  }

  /// Reads an escape sequence starting at the backslash and appends its UTF-8 bytes.
  private mutating func parseEscape(into buffer: inout [UInt8]) throws(TOMLError) {
    let escapeStart = i
    i += 1
    guard let b = peek() else {
      throw error("expected an escape character after '\\', found end of input")
    }
    i += 1
    switch b {
    case 0x62: buffer.append(0x08)  // b
    case 0x74: buffer.append(0x09)  // t
    case 0x6E: buffer.append(0x0A)  // n
    case 0x66: buffer.append(0x0C)  // f
    case 0x72: buffer.append(0x0D)  // r
    case ASCII.quote: buffer.append(ASCII.quote)
    case ASCII.backslash: buffer.append(ASCII.backslash)
    case 0x75, 0x55:  // u, U
      let count = b == 0x75 ? 4 : 8
      var value: UInt32 = 0
      for _ in 0..<count {
        guard let h = peek(), ASCII.isHexDigit(h) else {
          throw error(
            "expected \(count) hex digits after '\\\(b == 0x75 ? "u" : "U")', found \(found)")
        }
        value = value << 4 | UInt32(hexValue(h))
        i += 1
      }
      guard let scalar = Unicode.Scalar(value) else {
        let text = String(decoding: bytes[escapeStart..<i], as: UTF8.self)
        throw error(
          "\(text) is not a Unicode scalar value (surrogates and values above 10FFFF are not allowed)",
          at: escapeStart)
      }
      buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
    default:
      i -= 1
      throw error(
        "invalid escape \(escapeText(at: i)); valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX",
        at: escapeStart)
    }
  }

  private func hexValue(_ b: UInt8) -> UInt8 {
    switch b {
    case ASCII.zero...ASCII.nine: b - ASCII.zero
    case 0x41...0x46: b - 0x41 + 10
    default: b - 0x61 + 10
    }
  }

  /// Reads `"""..."""` (the opening quotes are at `i`).
  private mutating func parseMultilineBasicString() throws(TOMLError) -> String {
    let open = i
    i += 3
    if atNewline() { skipNewline() }  // a newline right after the opening quotes is trimmed
    var buffer: [UInt8] = []
    while true {
      guard let b = peek() else {
        throw error(
          "expected '\"\"\"' to close the multi-line string opened at \(position(at: open)), found end of input"
        )
      }
      switch b {
      case ASCII.quote:
        let closed = try consumeDelimiterRun(
          ASCII.quote, into: &buffer,
          tooMany:
            "too many quotes: a multi-line string may end with at most 5 '\"'; escape them as \\\"")
        if closed { return String(decoding: buffer, as: UTF8.self) }
      case ASCII.backslash:
        // A backslash at the end of a line trims the newline and the whitespace that follows.
        var j = i + 1
        while j < bytes.count, bytes[j] == ASCII.space || bytes[j] == ASCII.tab { j += 1 }
        let newlineFollows =
          j < bytes.count
          && (bytes[j] == ASCII.newline
            || (bytes[j] == ASCII.carriageReturn && j + 1 < bytes.count
              && bytes[j + 1] == ASCII.newline))
        if newlineFollows {
          i = j
          try skipWhitespaceAndNewlinesInString()
        } else {
          try parseEscape(into: &buffer)
        }
      case ASCII.newline:
        buffer.append(ASCII.newline)
        i += 1
      case ASCII.carriageReturn where peek(1) == ASCII.newline:
        buffer.append(ASCII.newline)
        i += 2
      default:
        if ASCII.isForbiddenControl(b) {
          throw error(
            "\(describe(at: i)) is not allowed in a string; write it as an escape such as \\u0001")
        }
        buffer.append(b)
        i += 1
      }
    }
  }

  /// Reads a run of `delimiter` bytes inside a multi-line string (the first is at `i`).
  ///
  /// Fewer
  /// than three are content; three to five close the string, the extra ones (up to two) being
  /// content; more is an error. Returns true when the run closed the string.
  private mutating func consumeDelimiterRun(
    _ delimiter: UInt8, into buffer: inout [UInt8], tooMany message: String
  ) throws(TOMLError) -> Bool {
    var run = 0
    while peek(run) == delimiter { run += 1 }
    guard run <= 5 else { throw error(message, at: i) }
    buffer.append(contentsOf: repeatElement(delimiter, count: run < 3 ? run : run - 3))
    i += run
    return run >= 3
  }

  private mutating func skipWhitespaceAndNewlinesInString() throws(TOMLError) {
    while let b = peek() {
      if b == ASCII.space || b == ASCII.tab || b == ASCII.newline {
        i += 1
      } else if b == ASCII.carriageReturn && peek(1) == ASCII.newline {
        i += 2
      } else {
        return
      }
    }
  }

  /// Reads `'...'` (the opening apostrophe is at `i`).
  private mutating func parseLiteralString() throws(TOMLError) -> String {
    let open = i
    i += 1
    let contentStart = i
    while true {
      guard let b = peek() else {
        throw error(
          "expected \"'\" to close the literal string opened at \(position(at: open)), found end of input"
        )
      }
      if b == ASCII.apostrophe {
        let text = String(decoding: bytes[contentStart..<i], as: UTF8.self)
        i += 1
        return text
      }
      if b == ASCII.newline || atNewline() {
        throw error(
          "expected \"'\" to close the literal string opened at \(position(at: open)), found a newline; use ''' for multi-line text"
        )
      }
      if ASCII.isForbiddenControl(b) {
        throw error(
          "\(describe(at: i)) is not allowed in a literal string; use a \"...\" string with an escape"
        )
      }
      i += 1
    }
  }

  /// Reads `'''...'''` (the opening apostrophes are at `i`).
  private mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
    let open = i
    i += 3
    if atNewline() { skipNewline() }
    var buffer: [UInt8] = []
    while true {
      guard let b = peek() else {
        throw error(
          "expected \"'''\" to close the multi-line literal string opened at \(position(at: open)), found end of input"
        )
      }
      switch b {
      case ASCII.apostrophe:
        let closed = try consumeDelimiterRun(
          ASCII.apostrophe, into: &buffer,
          tooMany: "too many apostrophes: a multi-line literal string may end with at most 5 \"'\"")
        if closed { return String(decoding: buffer, as: UTF8.self) }
      case ASCII.newline:
        buffer.append(ASCII.newline)
        i += 1
      case ASCII.carriageReturn where peek(1) == ASCII.newline:
        buffer.append(ASCII.newline)
        i += 2
      default:
        if ASCII.isForbiddenControl(b) {
          throw error(
            "\(describe(at: i)) is not allowed in a literal string; use a \"\"\"...\"\"\" string with an escape"
          )
        }
        buffer.append(b)
        i += 1
      }
    }
  }

  // MARK: Numbers, dates and times

  private func isDigit(at offset: Int) -> Bool {
    guard let b = peek(offset) else { return false }
    return ASCII.isDigit(b)
  }

  private mutating func parseNumberOrDate() throws(TOMLError) -> TOMLValue {
    if isDigit(at: 0) && isDigit(at: 1) {
      if isDigit(at: 2) && isDigit(at: 3) && peek(4) == ASCII.minus {
        return try parseDateOrDateTime()
      }
      if peek(2) == ASCII.colon {
        return .time(try parseTime())
      }
    }
    return try parseNumber()
  }

  private mutating func parseNumber() throws(TOMLError) -> TOMLValue {
    let numberStart = i
    var negative = false
    if let b = peek(), b == ASCII.plus || b == ASCII.minus {
      negative = b == ASCII.minus
      i += 1
    }
    // inf and nan
    if let b = peek(), b == 0x69 || b == 0x6E {
      return try parseInfinityOrNaN(negative: negative, start: numberStart)
    }
    let hasSign = i > numberStart
    if peek() == ASCII.zero, let radixByte = peek(1),
      radixByte == 0x78 || radixByte == 0x6F || radixByte == 0x62
    {
      guard !hasSign else {
        throw error("hexadecimal, octal and binary integers cannot have a sign", at: numberStart)
      }
      return .integer(try parseRadixInteger(radixByte == 0x78 ? 16 : radixByte == 0x6F ? 8 : 2))
    }
    guard isDigit(at: 0) else {
      throw error("expected a digit, found \(found)")
    }
    // Integer part; a leading zero must stand alone.
    let integerStart = i
    try skipDigits(what: "number")
    if bytes[integerStart] == ASCII.zero && i - integerStart > 1 {
      throw error(
        "leading zeros are not allowed in a number; write it without them", at: integerStart)
    }
    var isFloat = false
    if peek() == ASCII.dot {
      isFloat = true
      i += 1
      guard isDigit(at: 0) else {
        throw error("expected a digit after the decimal point, found \(found)")
      }
      try skipDigits(what: "number")
    }
    if let e = peek(), e == 0x65 || e == 0x45 {
      isFloat = true
      i += 1
      if let s = peek(), s == ASCII.plus || s == ASCII.minus { i += 1 }
      guard isDigit(at: 0) else {
        throw error("expected a digit in the exponent, found \(found)")
      }
      try skipDigits(what: "exponent")
    }
    if let next = peek(), isWordByte(next) {
      throw error("unexpected \(found) in a number", at: i)
    }
    if isFloat {
      let digits = bytes[numberStart..<i].filter { $0 != ASCII.underscore }
      let text = String(decoding: digits, as: UTF8.self)
      guard let value = Double(text), value.isFinite else {
        throw error("the float \(text) is out of range for a 64-bit float", at: numberStart)
      }
      return .float(value)
    }
    return .integer(
      try decimalInteger(digits: integerStart..<i, negative: negative, start: numberStart))
  }

  /// `inf` or `nan` at `i` (after an optional sign that began at `start`).
  private mutating func parseInfinityOrNaN(negative: Bool, start: Int) throws(TOMLError)
    -> TOMLValue
  {
    let isInf = peek() == 0x69
    let word: [UInt8] = isInf ? [0x69, 0x6E, 0x66] : [0x6E, 0x61, 0x6E]
    guard i + 3 <= bytes.count, bytes[i..<(i + 3)].elementsEqual(word), !isWordByte(peek(3))
    else {
      throw error(
        "expected a value (true, false, a number, a string, a date, [ or {), found \(describe(at: start))",
        at: start)
    }
    i += 3
    if isInf { return .float(negative ? -Double.infinity : Double.infinity) }
    return .float(negative ? -Double.nan : Double.nan)
  }

  /// The value of the decimal digits in `digits` (underscores skipped), accumulated towards
  /// the sign so that `Int64.min` fits; the number's text began at `start`.
  private mutating func decimalInteger(digits: Range<Int>, negative: Bool, start: Int)
    throws(TOMLError)
    -> Int64
  {
    var value: Int64 = 0
    var overflow = false
    for b in bytes[digits] where b != ASCII.underscore {
      let digit = Int64(b - ASCII.zero)
      let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) =
        negative
        ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
      overflow = overflow || o1 || o2
      value = sum
    }
    guard !overflow else {
      let text = String(
        decoding: bytes[start..<digits.upperBound].filter { $0 != ASCII.underscore },
        as: UTF8.self)
      throw error(
        "the integer \(text) does not fit in 64 bits (-9223372036854775808...9223372036854775807)",
        at: start)
    }
    return value
  }

  /// Skips digits with single underscores between them; `i` is at a digit.
  private mutating func skipDigits(what: String) throws(TOMLError) {
    i += 1
    while let b = peek() {
      if ASCII.isDigit(b) {
        i += 1
      } else if b == ASCII.underscore {
        guard isDigit(at: 1) else {
          throw error("an underscore in a \(what) must be between digits")
        }
        i += 1
      } else {
        return
      }
    }
  }

  private mutating func parseRadixInteger(_ radix: Int) throws(TOMLError) -> Int64 {
    let numberStart = i
    i += 2
    func digitValue(_ b: UInt8) -> Int? {
      let v: Int
      switch b {
      case ASCII.zero...ASCII.nine: v = Int(b - ASCII.zero)
      case 0x61...0x66: v = Int(b - 0x61) + 10
      case 0x41...0x46: v = Int(b - 0x41) + 10
      default: return nil
      }
      return v < radix ? v : nil
    }
    let name = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary"
    let article = radix == 8 ? "an" : "a"
    guard let first = peek(), digitValue(first) != nil else {
      throw error(
        "expected \(article) \(name) digit after '\(String(decoding: bytes[numberStart..<i], as: UTF8.self))', found \(found)"
      )
    }
    var value: Int64 = 0
    var overflow = false
    var lastWasDigit = false
    while let b = peek() {
      if let d = digitValue(b) {
        let (shifted, o1) = value.multipliedReportingOverflow(by: Int64(radix))
        let (sum, o2) = shifted.addingReportingOverflow(Int64(d))
        overflow = overflow || o1 || o2
        value = sum
        lastWasDigit = true
        i += 1
      } else if b == ASCII.underscore {
        guard lastWasDigit, let n = peek(1), digitValue(n) != nil else {
          throw error("an underscore in a number must be between digits")
        }
        lastWasDigit = false
        i += 1
      } else {
        break
      }
    }
    if let next = peek(), isWordByte(next) {
      throw error("unexpected \(found) in \(article) \(name) integer")
    }
    if overflow {
      let text = String(decoding: bytes[numberStart..<i], as: UTF8.self)
      throw error("the integer \(text) does not fit in 64 bits", at: numberStart)
    }
    return value
  }

  /// Reads exactly `count` digits as a number.
  private mutating func fixedDigits(_ count: Int, what: String) throws(TOMLError) -> Int {
    var value = 0
    for _ in 0..<count {
      guard let b = peek(), ASCII.isDigit(b) else {
        throw error("expected \(count) digits for the \(what), found \(found)")
      }
      value = value * 10 + Int(b - ASCII.zero)
      i += 1
    }
    return value
  }

  private mutating func expectByte(_ byte: UInt8, in what: String) throws(TOMLError) {
    guard peek() == byte else {
      throw error("expected '\(Character(Unicode.Scalar(byte)))' in the \(what), found \(found)")
    }
    i += 1
  }

  private mutating func parseDateOrDateTime() throws(TOMLError) -> TOMLValue {
    let dateStart = i
    let year = try fixedDigits(4, what: "year")
    try expectByte(ASCII.minus, in: "date")
    let month = try fixedDigits(2, what: "month")
    try expectByte(ASCII.minus, in: "date")
    let day = try fixedDigits(2, what: "day")
    let dateText = String(decoding: bytes[dateStart..<i], as: UTF8.self)
    guard (1...12).contains(month) else {
      throw error("the month in \(dateText) must be 01 to 12", at: dateStart)
    }
    guard day >= 1 && day <= daysIn(month: month, year: year) else {
      throw error("the day in \(dateText) does not exist in that month", at: dateStart)
    }
    let date = TOMLDate(year: year, month: month, day: day)
    // A time follows after 'T', 't' or a single space (only if a time really follows).
    let separator = peek()
    let hasTime: Bool
    if separator == 0x54 || separator == 0x74 {
      hasTime = true
    } else if separator == ASCII.space && isDigit(at: 1) && isDigit(at: 2) && peek(3) == ASCII.colon
    {
      hasTime = true
    } else {
      hasTime = false
    }
    guard hasTime else {
      if let next = peek(), isWordByte(next) {
        throw error("unexpected \(found) after the date \(dateText)")
      }
      return .date(date)
    }
    i += 1
    let time = try parseTime(allowOffset: true)
    var offset: Int? = nil
    if let b = peek() {
      if b == 0x5A || b == 0x7A {  // Z, z
        offset = 0
        i += 1
      } else if b == ASCII.plus || b == ASCII.minus {
        i += 1
        let hours = try fixedDigits(2, what: "offset hour")
        try expectByte(ASCII.colon, in: "offset")
        let minutes = try fixedDigits(2, what: "offset minute")
        guard hours <= 23, minutes <= 59 else {
          throw error("the offset must be between -23:59 and +23:59", at: i - 6)
        }
        offset = (hours * 60 + minutes) * (b == ASCII.minus ? -1 : 1)
      }
    }
    if let next = peek(), isWordByte(next) {
      throw error("unexpected \(found) after the date-time")
    }
    return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: offset))
  }

  private mutating func parseTime(allowOffset: Bool = false) throws(TOMLError) -> TOMLTime {
    let timeStart = i
    let hour = try fixedDigits(2, what: "hour")
    try expectByte(ASCII.colon, in: "time")
    let minute = try fixedDigits(2, what: "minute")
    try expectByte(ASCII.colon, in: "time (seconds are required)")
    let second = try fixedDigits(2, what: "second")
    var nanosecond = 0
    var fractionDigits = 0
    if peek() == ASCII.dot {
      i += 1
      guard isDigit(at: 0) else {
        throw error("expected a digit after the '.' in the time, found \(found)")
      }
      while let b = peek(), ASCII.isDigit(b) {
        if fractionDigits < 9 {
          nanosecond = nanosecond * 10 + Int(b - ASCII.zero)
          fractionDigits += 1
        }
        i += 1
      }
      for _ in fractionDigits..<9 { nanosecond *= 10 }
    }
    let timeText = String(decoding: bytes[timeStart..<i], as: UTF8.self)
    guard hour <= 23, minute <= 59, second <= 60 else {
      throw error("the time \(timeText) is out of range (00:00:00 to 23:59:60)", at: timeStart)
    }
    if !allowOffset, let next = peek(), isWordByte(next) || next == 0x5A || next == 0x7A {
      throw error("unexpected \(found) after the time \(timeText)")
    }
    return TOMLTime(
      hour: hour, minute: minute, second: second, nanosecond: nanosecond,
      fractionDigits: fractionDigits)
  }

  private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

extension Parser {
  /// `'\x'` for a printable character after a backslash, else what follows it in words.
  fileprivate func escapeText(at index: Int) -> String {
    let what = describe(at: index)
    guard what.hasPrefix("'"), what.hasSuffix("'"), what.count >= 3 else {
      return "('\\' followed by \(what))"
    }
    return "'\\" + what.dropFirst()
  }
}
