import Foundation
import TestSupport
import Testing

@testable import ZenDo

/// The metadata loader fuzzed with mutated `.zenodo.toml` files: every input loads or gives
/// diagnostics placed inside it; a file without errors always yields a metadata file; 0 crashes.
@Suite("Metadata loader fuzzing")
struct MetadataFuzzTests {
  /// Fragments that matter to TOML and to the `.zenodo.toml` schema.
  static let fragments: [[UInt8]] = [
    "[", "]", "[[creators]]", "[zen-do]", "{", "}", "\"", "'", "\"\"\"", "=", ".", ",", "\n", "#",
    " ", "title", "creators", "name = ", "orcid = \"0000-0002-1825-0097\"", "1979-05-27", "1",
    "-", "true", "upload_type = \"dataset\"", "access_right = \"embargoed\"", "files = [\"*\"]",
    "license = ", "keywords = []", "é", "\u{0}", "\u{FEFF}",
  ].map { Array($0.utf8) }

  @Test("mutated .zenodo.toml files load or fail with diagnostics inside the input")
  func mutatedFiles() throws {
    let names = [
      "valid/full.toml", "valid/minimal.toml", "valid/kebab.toml", "broken/bad-date.toml",
    ]
    let seeds = try names.map {
      Array(try Data(contentsOf: Fixtures.root.appendingPathComponent($0)))
    }
    var mutator = InputMutator(
      random: SplitMix64(seed: 0x2E4E_D0), seeds: seeds, fragments: Self.fragments)
    let url = Fixtures.valid("fuzzed.toml")
    let count = 5_000
    var loaded = 0
    var rejected = 0
    var problems: [String] = []
    for _ in 0..<count {
      let input = mutator.next()
      let result = MetadataLoader.loadResult(data: Data(input), url: url, displayPath: "fuzzed")
      let lines = input.count(where: { $0 == 0x0A }) + 1
      for diagnostic in result.diagnostics where diagnostic.path == "fuzzed" {
        if diagnostic.position.line > lines || diagnostic.message.isEmpty {
          problems.append("\(diagnostic) outside \(lines) lines")
        }
      }
      if result.diagnostics.contains(where: \.isError) {
        rejected += 1
      } else {
        loaded += 1
        if result.file == nil { problems.append("no errors but no file") }
      }
    }
    print("metadata fuzz: \(count) inputs, \(loaded) loaded, \(rejected) rejected, 0 crashes")
    #expect(loaded + rejected == count)
    #expect(loaded > count / 50, "the mutator should leave some files valid")
    #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
  }
}
