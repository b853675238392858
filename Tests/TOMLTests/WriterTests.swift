import TOML
import Testing

/// A table built in code from (key, value) pairs, in order.
private func table(_ pairs: [(String, TOMLValue)], inline: Bool = false) -> TOMLTable {
  TOMLTable(pairs.map { TOMLEntry(key: TOMLKey($0.0), node: TOMLNode($0.1)) }, isInline: inline)
}

@Suite("TOMLWriter")
struct WriterTests {
  @Test("arrays of tables become [[headers]], plain values come before tables")
  func arraysOfTables() throws {
    let creator1 = table([
      ("name", .string("Lovelace, Ada")), ("orcid", .string("0000-0002-1825-0097")),
    ])
    let creator2 = table([
      ("name", .string("Hopper, Grace")),
      ("affiliation", .table(table([("name", .string("Navy"))]))),
    ])
    let document = table([
      ("title", .string("Analytical Engine")),
      ("creators", .array([TOMLNode(.table(creator1)), TOMLNode(.table(creator2))])),
      ("version", .string("1.0")),
      ("keywords", .array([TOMLNode(.string("math")), TOMLNode(.string("engines"))])),
    ])
    let text = TOMLWriter(headerComment: ["Converted from .zenodo.json"]).write(document)
    #expect(
      text == """
        # Converted from .zenodo.json

        title = "Analytical Engine"
        version = "1.0"
        keywords = ["math", "engines"]

        [[creators]]
        name = "Lovelace, Ada"
        orcid = "0000-0002-1825-0097"

        [[creators]]
        name = "Hopper, Grace"

        [creators.affiliation]
        name = "Navy"

        """)
    #expect(try TOMLParser.parse(text).isSameValue(as: document))
    let onlySections = TOMLWriter(headerComment: ["a", "", "b"]).write(
      table([("t", .table(table([("x", .integer(1))])))]))
    #expect(onlySections == "# a\n#\n# b\n\n[t]\nx = 1\n")
  }

  @Test("long and multi-line text becomes a \"\"\" string that reads back identical")
  func multilineText() throws {
    let description =
      "Zen-do keeps Zenodo deposits in sync with a TOML file that lives next to the code it describes."
    let notes = "Line one\n\tindented \"quoted\" \\ back\\slash\n\"\"\" triple\nends with quote\""
    let document = table([("description", .string(description)), ("notes", .string(notes))])
    let text = TOMLWriter(multilineThreshold: 40).write(document)
    #expect(
      text == #"""
        description = """
        Zen-do keeps Zenodo deposits in sync with \
        a TOML file that lives next to the code \
        it describes."""
        notes = """
        Line one
        	indented "quoted" \\ back\\slash
        ""\" triple
        ends with quote\""""

        """#)
    let again = try TOMLParser.parse(text)
    #expect(again["description"]?.value == .string(description))
    #expect(again["notes"]?.value == .string(notes))
  }

  @Test("nested tables skip headers that would be empty, keep empty tables, quote odd keys")
  func nestedTablesAndKeys() throws {
    let document = table([
      ("zen-do", .table(table([("files", .array([TOMLNode(.string("paper.pdf"))]))]))),
      ("a", .table(table([("b", .table(table([("c.d", .integer(1)), ("", .boolean(true))])))]))),
      ("empty", .table(table([]))),
      (
        "inline",
        .table(
          table([("x", .integer(1)), ("y", .table(table([("z", .integer(2))])))], inline: true))
      ),
      ("ключ", .string("значение")),
    ])
    let text = TOMLWriter().write(document)
    #expect(
      text == """
        inline = { x = 1, y = { z = 2 } }
        "ключ" = "значение"

        [zen-do]
        files = ["paper.pdf"]

        [a.b]
        "c.d" = 1
        "" = true

        [empty]

        """)
    #expect(try TOMLParser.parse(text).isSameValue(as: document))
  }

  @Test("dotted keys read back as tables that the writer writes as [a.b] sections")
  func dottedKeys() throws {
    let parsed = try TOMLParser.parse(
      "name = \"x\"\nsite.url.main = \"https://example.org\"\nsite.url.alt = 'b'\n")
    #expect(
      TOMLWriter().write(parsed) == """
        name = "x"

        [site.url]
        main = "https://example.org"
        alt = "b"

        """)
  }

  @Test("scalars: floats read back to the same double, dates keep their digits, controls escaped")
  func scalars() throws {
    let time = TOMLTime(hour: 7, minute: 5, second: 9, nanosecond: 120_000_000, fractionDigits: 6)
    let document = table([
      (
        "f",
        .array(
          [0.1, -0.0, 1e300, .leastNonzeroMagnitude, .infinity, -.infinity, .nan, 3].map {
            TOMLNode(.float($0))
          })
      ),
      ("i", .integer(.min)),
      (
        "odt",
        .dateTime(
          TOMLDateTime(date: TOMLDate(year: 2026, month: 1, day: 2), time: time, offsetMinutes: -90)
        )
      ),
      (
        "ldt",
        .dateTime(
          TOMLDateTime(date: TOMLDate(year: 1, month: 12, day: 31), time: time, offsetMinutes: nil))
      ),
      ("d", .date(TOMLDate(year: 2026, month: 11, day: 21))),
      ("t", .time(TOMLTime(hour: 23, minute: 59, second: 60, nanosecond: 5))),
      ("s", .string("bell\u{7} del\u{7F} nul\u{0} cr\r é 😀")),
    ])
    let text = TOMLWriter().write(document)
    #expect(
      text == #"""
        f = [0.1, -0.0, 1e+300, 5e-324, inf, -inf, nan, 3.0]
        i = -9223372036854775808
        odt = 2026-01-02T07:05:09.120000-01:30
        ldt = 0001-12-31T07:05:09.120000
        d = 2026-11-21
        t = 23:59:60.000000005
        s = "bell\u0007 del\u007F nul\u0000 cr\r é 😀"

        """#)
    #expect(try TOMLParser.parse(text).isSameValue(as: document))
  }

  @Test("isSameValue ignores positions, key order and inline-ness, but not values")
  func sameValue() throws {
    let a = try TOMLParser.parse("x = 1\ny = { z = [1.0, nan] }")
    let b = try TOMLParser.parse("\n\n[y]\nz = [1.0, nan]\n")
    let c = try TOMLParser.parse("x = 1\n[y]\nz = [1.0, nan]\n")
    #expect(a != c)  // the synthesized == compares positions
    #expect(a.isSameValue(as: c))
    #expect(!a.isSameValue(as: b))
    #expect(!TOMLValue.float(0.0).isSameValue(as: .float(-0.0)))
    #expect(!TOMLValue.string("e\u{301}").isSameValue(as: .string("\u{E9}")))
    #expect(!TOMLValue.integer(1).isSameValue(as: .float(1)))
  }
  @Test("the stringLiteral hook writes chosen strings, by key path, and only those")
  func stringLiteralHook() throws {
    let document = try TOMLParser.parse(
      """
      note = "top"
      [a]
      note = "nested"
      list = ["in an array"]
      """)
    let writer = TOMLWriter { keyPath, text in
      keyPath == ["a", "note"] ? "'''" + text + "'''" : nil
    }
    let text = writer.write(document)
    #expect(
      text == """
        note = "top"

        [a]
        note = '''nested'''
        list = ["in an array"]

        """)
    #expect(try TOMLParser.parse(text).isSameValue(as: document))
  }
}
