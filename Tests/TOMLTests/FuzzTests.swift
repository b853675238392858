import TOML
import Testing

/// A small deterministic random number generator (SplitMix64), so every run tries the same inputs.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Makes random and mutated TOML inputs from seed documents.
struct TOMLInputMutator {
  /// Fragments that matter to TOML's grammar, inserted at random places.
  static let fragments: [[UInt8]] = [
    "[", "]", "[[", "]]", "{", "}", "\"", "'", "\"\"\"", "'''", "=", ".", ",", "\n", "\r\n", "\r",
    "\\", "\\u", "\\U0010FFFF", "#", " ", "\t", "a", "b.c", "\"k\"", "1", "-", "+", "_", "0x",
    "0o7", "0b1", "1e", "3.14", "nan", "inf", "true", "false", "1979-05-27", "T07:32:00", "Z",
    "+01:00", ".999", "é", "😀", "\u{0}", "\u{7F}", "\u{FEFF}",
  ].map { Array($0.utf8) }

  var random: SplitMix64
  let seeds: [[UInt8]]

  mutating func index(_ upperBound: Int) -> Int {
    upperBound <= 0 ? 0 : Int(random.next() % UInt64(upperBound))
  }

  mutating func next() -> [UInt8] {
    if seeds.isEmpty || index(10) == 0 {
      var soup: [UInt8] = []
      for _ in 0..<(1 + index(40)) { soup += Self.fragments[index(Self.fragments.count)] }
      return soup
    }
    var bytes = seeds[index(seeds.count)]
    for _ in 0..<(1 + index(4)) {
      let at = index(bytes.count + 1)
      switch index(5) {
      case 0 where !bytes.isEmpty:
        bytes[index(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
      case 1:
        bytes.insert(contentsOf: Self.fragments[index(Self.fragments.count)], at: at)
      case 2:
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + index(8)))
      case 3:
        bytes.removeSubrange(at..<bytes.count)
      default:
        let end = min(bytes.count, at + index(64))
        bytes.insert(contentsOf: bytes[at..<end], at: index(bytes.count + 1))
      }
    }
    return bytes
  }
}

@Suite("TOML fuzzing")
struct FuzzTests {
  @Test("random and mutated inputs parse or fail with a position; what parses round-trips")
  func mutatedInputs() throws {
    let files = TOMLTestCorpus.files("valid") + TOMLTestCorpus.files("invalid")
    var mutator = TOMLInputMutator(
      random: SplitMix64(seed: 0x7A65_6E2D_646F), seeds: try files.map(TOMLTestCorpus.bytes))
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
