import Foundation
import TestSupport
import Testing

@testable import ZenDo

@Suite("JSON reader and writer")
struct JSONReaderTests {
  func syntaxError(_ text: String) -> JSONSyntaxError? {
    do {
      _ = try JSONReader.parse(text, path: "f.json")
      return nil
    } catch {
      return error
    }
  }

  @Test("keeps key order, number text and Unicode")
  func orderAndNumbers() throws {
    let value = try JSONReader.parse(
      #"{"b": 4.0, "a": 1e3, "c": -0, "é": "naïve \u00e9 \ud83d\ude00"}"#
    ).value
    guard case .object(let object) = value else {
      Issue.record("not an object")
      return
    }
    #expect(object.keys == ["b", "a", "c", "é"])
    guard case .number(let four)? = object["b"], case .number(let thousand)? = object["a"] else {
      Issue.record("numbers missing")
      return
    }
    #expect(four.text == "4.0")
    #expect(!four.isInteger)
    #expect(thousand.text == "1e3")
    #expect(object["é"] == .string("naïve é 😀"))
  }

  @Test("accepts a UTF-8 BOM and CRLF, and counts lines across CRLF")
  func bomAndCRLF() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\r\n  \"a\": 1,\r\n  \"b\": [1,]\r\n}".utf8)
    #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(bytes) }
    do {
      _ = try JSONReader.parse(bytes)
    } catch {
      #expect(error.position == JSONPosition(line: 3, column: 10))
    }
    let ok: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\r\n  \"a\": 1\r\n}\r\n".utf8)
    #expect(try JSONReader.parse(ok).value == .object(JSONObject([("a", .number(JSONNumber(1)))])))
  }

  @Test("each kind of mistake gets its place and what to do")
  func errors() {
    let cases: [(String, JSONPosition, String)] = [
      ("{\n  \"a\": 1,\n}", JSONPosition(line: 2, column: 9), "remove the trailing comma"),
      ("[1, 2,]", JSONPosition(line: 1, column: 6), "remove the trailing comma"),
      ("{\"a\": \"x\\qy\"}", JSONPosition(line: 1, column: 9), "invalid escape `\\q`"),
      ("{\"a\": \"it\\'s\"}", JSONPosition(line: 1, column: 10), "write `'` without the backslash"),
      ("{\"a\": hello}", JSONPosition(line: 1, column: 7), "put strings in double quotes"),
      ("{\"a\": 1\n \"b\": 2}", JSONPosition(line: 1, column: 8), "missing comma"),
      ("[1 2]", JSONPosition(line: 1, column: 3), "missing comma"),
      (
        "{\n  \"a\": [1, 2]\n", JSONPosition(line: 3, column: 1),
        "the object opened at 1:1 is never closed"
      ),
      ("{\"a\": 1} // note", JSONPosition(line: 1, column: 10), "JSON has no comments"),
      ("{\n  // note\n  \"a\": 1}", JSONPosition(line: 2, column: 3), "JSON has no comments"),
      ("{\"a\": 01}", JSONPosition(line: 1, column: 7), "leading zero"),
      ("{\"a\": 1.}", JSONPosition(line: 1, column: 9), "digits after the decimal point"),
      ("{'a': 1}", JSONPosition(line: 1, column: 2), "double quotes"),
      ("", JSONPosition(line: 1, column: 1), "empty"),
      ("{\"a\": \"x\ny\"}", JSONPosition(line: 1, column: 9), "line break inside a string"),
      ("{\"a\": \"\\ud800\"}", JSONPosition(line: 1, column: 8), "surrogate"),
      ("{\"a\" 1}", JSONPosition(line: 1, column: 6), "expected `:`"),
      ("\n  \"title\": \"x\"}", JSONPosition(line: 2, column: 10), "missing its opening `{`"),
      ("{\"a\": tru}", JSONPosition(line: 1, column: 7), "unquoted text `tru`"),
      ("[1] [2]", JSONPosition(line: 1, column: 5), "after the end of the JSON value"),
    ]
    for (text, position, says) in cases {
      guard let error = syntaxError(text) else {
        Issue.record("\(text.debugDescription) was accepted")
        continue
      }
      #expect(error.position == position, "\(text.debugDescription): \(error)")
      #expect(error.message.contains(says), "\(text.debugDescription): \(error)")
      #expect(error.description.hasPrefix("f.json:\(position.line):\(position.column): error: "))
    }
  }

  @Test("an unclosed object also points at its opening brace")
  func unclosedPointsAtOpening() throws {
    let error = try #require(syntaxError("{\n  \"a\": {\n    \"b\": 1\n  }\n"))
    #expect(error.related?.position == JSONPosition(line: 1, column: 1))
    #expect(error.description.contains("f.json:1:1: note: the object starts here"))
  }

  @Test("non-UTF-8 bytes give the place of the first bad byte and a Latin-1 hint")
  func latin1() throws {
    let bytes: [UInt8] = Array("{\n  \"name\": \"M".utf8) + [0xFC] + Array("ller\"\n}".utf8)
    do {
      _ = try JSONReader.parse(bytes, path: "x.json")
      Issue.record("Latin-1 bytes were accepted")
    } catch {
      #expect(error.position == JSONPosition(line: 2, column: 13))
      #expect(error.message.contains("re-save it as UTF-8"))
    }
  }

  @Test("a duplicate key keeps the last value, in the first key's place, with a warning")
  func duplicateKeys() throws {
    let document = try JSONReader.parse("{\"a\": 1, \"b\": 2, \"a\": 3}", path: "d.json")
    #expect(
      document.value
        == .object(JSONObject([("a", .number(JSONNumber(3))), ("b", .number(JSONNumber(2)))])))
    guard case .object(let object) = document.value else { return }
    #expect(object.keys == ["a", "b"])
    #expect(document.warnings.count == 1)
    #expect(document.warnings.first?.position == JSONPosition(line: 1, column: 18))
    #expect(document.warnings.first?.description.hasPrefix("d.json:1:18: warning: ") == true)
  }

  @Test("nesting is bounded, so deep input is an error and not a stack overflow")
  func depth() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let error = try #require(syntaxError(deep))
    #expect(error.message.contains("nested more than \(JSONReader.maximumDepth)"))
    let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
    #expect(syntaxError(fine) == nil)
  }

  @Test("the writer keeps order, Unicode and slashes, and reads back equal")
  func writer() throws {
    let text =
      #"{"z": [1, 2.50, {"k": "a/b \"q\" é\n\t\u0001"}], "a": {}, "e": [], "t": true, "n": null}"#
    let value = try JSONReader.parse(text).value
    let written = JSONWriter().write(value)
    #expect(
      written == """
        {
          "z": [
            1,
            2.50,
            {
              "k": "a/b \\"q\\" é\\n\\t\\u0001"
            }
          ],
          "a": {},
          "e": [],
          "t": true,
          "n": null
        }

        """)
    #expect(try JSONReader.parse(written).value == value)
  }

  @Test("random and mutated inputs never crash: each parses or gives an error with a place")
  func fuzz() throws {
    var generator = SplitMix64(seed: 0x5EED_2026)
    let seeds = try ConvertFixtures.corpusFiles().map(ConvertFixtures.bytes)
    let alphabet =
      Array("{}[]\":,\\ \n\r\tabenlrstu0123456789-+.eE/'*".utf8) + [0xC3, 0xA9, 0xFC, 0xEF]
    var tried = 0
    var accepted = 0
    for round in 0..<6_000 {
      var input: [UInt8]
      if round % 3 == 0 {
        let length = Int(generator.next() % 64)
        input = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      } else {
        input = seeds[Int(generator.next() % UInt64(seeds.count))]
        let mutations = 1 + Int(generator.next() % 4)
        for _ in 0..<mutations where !input.isEmpty {
          let at = Int(generator.next() % UInt64(input.count))
          switch generator.next() % 4 {
          case 0: input.remove(at: at)
          case 1: input.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: at)
          case 2: input[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
          default: input.removeSubrange(at..<min(input.count, at + Int(generator.next() % 40)))
          }
        }
      }
      tried += 1
      do {
        let document = try JSONReader.parse(input)
        accepted += 1
        #expect(try JSONReader.parse(JSONWriter().write(document.value)).value == document.value)
      } catch {
        #expect(error.position.line >= 1 && error.position.column >= 1)
        #expect(!error.message.isEmpty)
      }
    }
    print(
      "JSON reader fuzz: \(tried) inputs, \(accepted) valid, \(tried - accepted) rejected, 0 crashes"
    )
    #expect(tried == 6_000)
  }
}
