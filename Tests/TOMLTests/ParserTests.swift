import TOML
import Testing

/// Parses or records the failure, so one bad case does not hide the others.
private func parse(_ text: String) throws -> TOMLTable {
  try TOMLParser.parse(text)
}

/// The error a text gives, or nil when it parses.
private func failure(_ text: String) -> TOMLError? {
  do {
    _ = try TOMLParser.parse(text)
    return nil
  } catch {
    return error
  }
}

@Suite("TOMLParser")
struct ParserTests {
  @Test("keys and values carry 1-based line and column positions")
  func positions() throws {
    let table = try parse(
      """
      title = "zen"
      [owner]
        name = 'Ada'   # comment
      [[creators]]
      orcid = { id = "0000", n = [1, 2] }
      """)
    let title = try #require(table.entries.first)
    #expect(title.key.position == SourcePosition(line: 1, column: 1))
    #expect(title.node.position == SourcePosition(line: 1, column: 9))

    let owner = try #require(table["owner"])
    #expect(owner.position == SourcePosition(line: 2, column: 1))
    guard case .table(let ownerTable) = owner.value else {
      Issue.record("owner is not a table")
      return
    }
    #expect(ownerTable.entries[0].key.position == SourcePosition(line: 3, column: 3))
    #expect(ownerTable.entries[0].node.position == SourcePosition(line: 3, column: 10))

    guard case .array(let creators) = table["creators"]?.value,
      case .table(let creator) = creators.first?.value,
      case .table(let orcid) = creator["orcid"]?.value,
      case .array(let numbers) = orcid["n"]?.value
    else {
      Issue.record("creators has the wrong shape")
      return
    }
    #expect(creators[0].position == SourcePosition(line: 4, column: 1))
    #expect(creator["orcid"]?.position == SourcePosition(line: 5, column: 9))
    #expect(orcid.entries[0].key.position == SourcePosition(line: 5, column: 11))
    #expect(numbers[1].position == SourcePosition(line: 5, column: 32))
  }

  @Test("columns count Unicode scalars, not bytes; a BOM is not a column")
  func unicodeColumns() throws {
    let table = try TOMLParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("\"ÄÖ\" = \"日本\"".utf8))
    #expect(table.entries[0].key.name == "ÄÖ")
    #expect(table.entries[0].key.position == SourcePosition(line: 1, column: 1))
    #expect(table.entries[0].node.position == SourcePosition(line: 1, column: 8))
    let error = try #require(failure("é = 1"))
    #expect(error.position == SourcePosition(line: 1, column: 1))
    let later = try #require(failure("\"é\" = @"))
    #expect(later.position == SourcePosition(line: 1, column: 7))
  }

  @Test("tables are positioned at their header, or at the key that first made them")
  func tablePositions() throws {
    let table = try parse("a.b.c = 1\n\n[x.y]\nz = 2\n[x]\n")
    #expect(table["a"]?.position == SourcePosition(line: 1, column: 1))
    guard case .table(let a) = table["a"]?.value else {
      Issue.record("a is not a table")
      return
    }
    #expect(a["b"]?.position == SourcePosition(line: 1, column: 3))
    guard case .table(let x) = table["x"]?.value else {
      Issue.record("x is not a table")
      return
    }
    #expect(table["x"]?.position == SourcePosition(line: 5, column: 1))
    #expect(x["y"]?.position == SourcePosition(line: 3, column: 1))
    #expect(table.keys == ["a", "x"])
  }

  @Test(
    "error messages say what was expected, where",
    arguments: [
      ("title \"x\"", "1:7: expected '=' after key \"title\", found '\"'"),
      ("\n\ntitle = 1\ntitle = 2", "4:1: duplicate key \"title\" (first defined at 3:1)"),
      ("a = ", "1:5: expected a value, found end of input"),
      ("a = 1 b = 2", "1:7: expected a newline after the value of key \"a\", found 'b'"),
      ("[a]\n[a]", "2:1: duplicate table [a] (first defined at 1:1)"),
      ("a = \"abc", "1:9: expected '\"' to close the string opened at 1:5, found end of input"),
      (
        "a = 9223372036854775808",
        "1:5: the integer 9223372036854775808 does not fit in 64 bits (-9223372036854775808...9223372036854775807)"
      ),
      ("a = 0x8000000000000000", "1:5: the integer 0x8000000000000000 does not fit in 64 bits"),
      ("a = 1__0", "1:6: an underscore in a number must be between digits"),
      ("a = 2026-02-30", "1:5: the day in 2026-02-30 does not exist in that month"),
      (
        "a = {b = 1,}",
        "1:12: expected a key after ',' in the inline table; a trailing comma is not allowed"
      ),
      ("a = [1 2]", "1:8: expected ',' or ']' after an array element, found '2'"),
      (
        "a = \"\\q\"",
        "1:6: invalid escape '\\q'; valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX"
      ),
      (
        "a = {b = 1}\n[a]",
        "2:1: cannot define [a]: \"a\" is already an inline table (defined at 1:1)"
      ),
      (
        "[a]\nb.c = 1\n[a.b]",
        "3:1: cannot define [a.b]: the table was already defined by dotted keys at 2:1"
      ),
      (
        "[a.b.c]\n[a]\nb.x = 1",
        "3:1: cannot set key \"b.x\": table [a.b] was made by a table header at 1:4; dotted keys cannot add to it"
      ),
      (
        "a = \"\\\n\"",
        "1:6: invalid escape ('\\' followed by a newline); valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX"
      ),
      ("a = true # \u{7}", "1:12: control character U+0007 is not allowed in a comment"),
      ("a = 1\nb = 2\n\u{FEFF}c = 3", "3:1: expected a key or a [table] header, found '\u{FEFF}'"),
    ])
  func messages(text: String, expected: String) throws {
    let error = try #require(failure(text))
    #expect(error.description == expected)
  }

  @Test("integers: decimal, hexadecimal, octal, binary, underscores, the 64-bit limits")
  func integers() throws {
    let table = try parse(
      """
      a = +99
      b = -17
      c = 1_000
      d = 0xDEAD_beef
      e = 0o755
      f = 0b1101
      g = 9223372036854775807
      h = -9223372036854775808
      i = 0x7FFFFFFFFFFFFFFF
      """)
    let expected: [Int64] = [
      99, -17, 1000, 0xDEAD_BEEF, 0o755, 0b1101, .max, .min, .max,
    ]
    #expect(table.entries.map(\.node.value) == expected.map { .integer($0) })
    #expect(failure("a = -9223372036854775809") != nil)
    #expect(
      failure("a = 0b10000000000000000000000000000000000000000000000000000000000000000") != nil)
  }

  @Test("floats: fractions, exponents, inf and nan, -0.0")
  func floats() throws {
    let table = try parse(
      "a = 3.14\nb = -1e-3\nc = 5E+22\nd = -inf\ne = nan\nf = -0.0\ng = 1_0.0_1")
    guard case .float(let a) = table["a"]?.value, case .float(let b) = table["b"]?.value,
      case .float(let c) = table["c"]?.value, case .float(let d) = table["d"]?.value,
      case .float(let e) = table["e"]?.value, case .float(let f) = table["f"]?.value,
      case .float(let g) = table["g"]?.value
    else {
      Issue.record("not all floats")
      return
    }
    #expect(a == 3.14 && b == -0.001 && c == 5e22 && d == -.infinity && e.isNaN && g == 10.01)
    #expect(f == 0 && f.sign == .minus)
    #expect(failure("a = 1e400") != nil)
  }

  @Test("dates and times keep their parts, fraction and offset")
  func datesAndTimes() throws {
    let table = try parse(
      """
      odt = 1979-05-27T07:32:00.999-07:30
      utc = 1979-05-27 07:32:00Z
      ldt = 1979-05-27t07:32:00
      ld = 1979-05-27
      lt = 00:32:00.123456789123
      """)
    let date = TOMLDate(year: 1979, month: 5, day: 27)
    #expect(
      table["odt"]?.value
        == .dateTime(
          TOMLDateTime(
            date: date,
            time: TOMLTime(
              hour: 7, minute: 32, second: 0, nanosecond: 999_000_000, fractionDigits: 3),
            offsetMinutes: -450)))
    #expect(
      table["utc"]?.value
        == .dateTime(
          TOMLDateTime(date: date, time: TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 0)
        ))
    #expect(
      table["ldt"]?.value
        == .dateTime(
          TOMLDateTime(
            date: date, time: TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: nil)))
    #expect(table["ld"]?.value == .date(date))
    #expect(
      table["lt"]?.value
        == .time(
          TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789, fractionDigits: 9)))
  }

  @Test("strings: escapes, multi-line trimming, literal strings, quotes at the end")
  func strings() throws {
    let table = try parse(
      #"""
      a = "tab\there \u00E9 \U0001F600 \"q\" \\"
      b = """
      one
      two \
          three"""
      c = 'C:\path'
      d = '''
      raw \n'''
      e = """"quoted"""""
      f = ''''''''
      """#)
    #expect(table["a"]?.value == .string("tab\there é 😀 \"q\" \\"))
    #expect(table["b"]?.value == .string("one\ntwo three"))
    #expect(table["c"]?.value == .string("C:\\path"))
    #expect(table["d"]?.value == .string("raw \\n"))
    #expect(table["e"]?.value == .string("\"quoted\"\""))
    #expect(table["f"]?.value == .string("''"))
  }

  @Test("CRLF line ends are accepted, a lone carriage return is not")
  func lineEnds() throws {
    let table = try parse("a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n")
    #expect(table["b"]?.value == .string("x\ny"))
    #expect(failure("a = 1\rb = 2")?.position == SourcePosition(line: 1, column: 6))
  }

  @Test("invalid UTF-8 is reported at the bad byte")
  func invalidUTF8() throws {
    let bytes = Array("a = 1\nb = \"x".utf8) + [0xC3, 0x28] + Array("\"".utf8)
    #expect(throws: TOMLError.self) { try TOMLParser.parse(bytes: bytes) }
    do {
      _ = try TOMLParser.parse(bytes: bytes)
    } catch {
      #expect(error.position == SourcePosition(line: 2, column: 7))
      #expect(error.message.contains("0xC3"))
    }
    let overlong: [UInt8] = Array("a = \"".utf8) + [0xC0, 0xAF] + Array("\"".utf8)
    #expect(throws: TOMLError.self) { try TOMLParser.parse(bytes: overlong) }
    let surrogate: [UInt8] = Array("a = \"".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8)
    #expect(throws: TOMLError.self) { try TOMLParser.parse(bytes: surrogate) }
  }

  @Test("deep nesting is an error, not a crash")
  func deepNesting() throws {
    let depth = TOMLParser.maximumDepth
    let fine = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    _ = try parse(fine)
    let tooDeep =
      "a = " + String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
    #expect(failure(tooDeep)?.message.contains("nest") == true)
    let inline =
      "a = " + String(repeating: "{b=", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
    #expect(failure(inline) != nil)
    let header = "[" + Array(repeating: "k", count: 5_000).joined(separator: ".") + "]"
    #expect(failure(header) != nil)
    let unclosed = String(repeating: "a=[", count: 100_000)
    #expect(failure(unclosed) != nil)
  }

  @Test("key order is kept as written, including tables made by dotted keys and headers")
  func keyOrder() throws {
    let table = try parse("z = 1\ny.x = 2\na = 3\n[m]\n[b]\n[[c]]\n")
    #expect(table.keys == ["z", "y", "a", "m", "b", "c"])
  }

  @Test("TOMLTable.init keeps key positions; a repeated key replaces the earlier entry in place")
  func tableInit() {
    let table = TOMLTable([
      TOMLEntry(
        key: TOMLKey("a", at: SourcePosition(line: 1, column: 1)),
        node: TOMLNode(.integer(1), at: SourcePosition(line: 1, column: 5))),
      TOMLEntry(
        key: TOMLKey("b", at: SourcePosition(line: 2, column: 1)), node: TOMLNode(.integer(2))),
      TOMLEntry(
        key: TOMLKey("a", at: SourcePosition(line: 3, column: 1)), node: TOMLNode(.integer(3))),
    ])
    #expect(table.keys == ["a", "b"])
    #expect(table.entries[0].key.position == SourcePosition(line: 3, column: 1))
    #expect(table["a"]?.value == .integer(3))
    #expect(table.entries[1].key.position == SourcePosition(line: 2, column: 1))
  }
}
