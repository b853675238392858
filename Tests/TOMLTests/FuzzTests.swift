import TOML
import TestSupport
import Testing

/// Makes random and mutated TOML inputs from seed documents.
typealias TOMLInputMutator = InputMutator

extension InputMutator {
  /// Fragments that matter to TOML's grammar, inserted at random places.
  static let tomlFragments: [[UInt8]] = [
    "[", "]", "[[", "]]", "{", "}", "\"", "'", "\"\"\"", "'''", "=", ".", ",", "\n", "\r\n", "\r",
    "\\", "\\u", "\\U0010FFFF", "#", " ", "\t", "a", "b.c", "\"k\"", "1", "-", "+", "_", "0x",
    "0o7", "0b1", "1e", "3.14", "nan", "inf", "true", "false", "1979-05-27", "T07:32:00", "Z",
    "+01:00", ".999", "é", "😀", "\u{0}", "\u{7F}", "\u{FEFF}",
  ].map { Array($0.utf8) }
}

@Suite("TOML fuzzing")
struct FuzzTests {
  @Test("random and mutated inputs parse or fail with a position; what parses round-trips")
  func mutatedInputs() throws {
    let files = TOMLTestCorpus.files("valid") + TOMLTestCorpus.files("invalid")
    var mutator = TOMLInputMutator(
      random: SplitMix64(seed: 0x7A65_6E2D_646F), seeds: try files.map(TOMLTestCorpus.bytes),
      fragments: InputMutator.tomlFragments)
    let count = 20_000
    var parsed = 0
    var rejected = 0
    var problems: [String] = []
    for _ in 0..<count {
      let input = mutator.next()
      do {
        let table = try TOMLParser.parse(bytes: input)
        parsed += 1
        let text = TOMLWriter().write(table)
        do {
          let again = try TOMLParser.parse(text)
          if !again.isSameValue(as: table) { problems.append("round trip differs for \(input)") }
        } catch {
          problems.append("written text does not parse (\(error)) for \(input):\n\(text)")
        }
      } catch {
        rejected += 1
        if !isWithinInput(error.position, input) {
          problems.append("position \(error.position) outside the input \(input)")
        }
      }
      // The String entry point sees the same text with invalid bytes replaced.
      _ = try? TOMLParser.parse(String(decoding: input, as: UTF8.self))
    }
    print("toml fuzz: \(count) inputs, \(parsed) parsed and round-tripped, \(rejected) rejected")
    #expect(parsed + rejected == count)
    #expect(parsed > count / 20, "the mutator should leave a fair share of inputs valid")
    #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
  }
}
