import Foundation
import TOML
import Testing

@Suite("toml-test conformance")
struct ConformanceTests {
  @Test("every valid toml-test file parses to the expected value")
  func validFiles() throws {
    let files = TOMLTestCorpus.files("valid")
    var failures: [String] = []
    for file in files {
      let expectedJSON = String(file.dropLast(".toml".count)) + ".json"
      let expected = try JSONSerialization.jsonObject(
        with: TOMLTestCorpus.data(expectedJSON), options: [.fragmentsAllowed])
      do {
        let table = try TOMLParser.parse(bytes: TOMLTestCorpus.bytes(file))
        if let problem = TaggedJSON.mismatch(.table(table), expected) {
          failures.append("\(file): \(problem)")
        }
      } catch {
        failures.append("\(file): \(error)")
      }
    }
    print("toml-test: valid \(files.count - failures.count)/\(files.count)")
    #expect(files.count >= 200, "the corpus went missing")
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test("every invalid toml-test file is rejected with a position inside the input")
  func invalidFiles() throws {
    let files = TOMLTestCorpus.files("invalid")
    var failures: [String] = []
    for file in files {
      let bytes = try TOMLTestCorpus.bytes(file)
      do {
        _ = try TOMLParser.parse(bytes: bytes)
        failures.append("\(file): accepted")
      } catch {
        if !isWithinInput(error.position, bytes) {
          failures.append("\(file): position \(error.position) is outside the input")
        }
        if error.message.isEmpty { failures.append("\(file): empty message") }
      }
    }
    print("toml-test: invalid \(files.count - failures.count)/\(files.count)")
    #expect(files.count >= 400, "the corpus went missing")
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test("every valid toml-test file reads back the same after parse, write, parse")
  func roundTrip() throws {
    let files = TOMLTestCorpus.files("valid")
    var failures: [String] = []
    for file in files {
      let table = try TOMLParser.parse(bytes: TOMLTestCorpus.bytes(file))
      let text = TOMLWriter().write(table)
      do {
        let again = try TOMLParser.parse(text)
        if !again.isSameValue(as: table) { failures.append("\(file): differs\n\(text)") }
      } catch {
        failures.append("\(file): written text does not parse: \(error)\n\(text)")
      }
    }
    print("toml-test: round trip \(files.count - failures.count)/\(files.count)")
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test("the String and the bytes entry points agree on every valid file")
  func stringAndBytesAgree() throws {
    for file in TOMLTestCorpus.files("valid") {
      let bytes = try TOMLTestCorpus.bytes(file)
      let fromBytes = try TOMLParser.parse(bytes: bytes)
      let fromString = try TOMLParser.parse(String(decoding: bytes, as: UTF8.self))
      // Same values and same positions (descriptions compare NaN as equal; == does not).
      #expect(fromBytes.isSameValue(as: fromString), "\(file)")
      #expect("\(fromBytes)" == "\(fromString)", "\(file)")
    }
  }
}
