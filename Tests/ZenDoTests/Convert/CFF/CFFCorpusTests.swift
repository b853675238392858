import Foundation
import TOML
import Testing

@testable import ZenDo

/// The CITATION.cff corpus (Tests/Fixtures/cff, sources in SOURCES.tsv): every valid file
/// validates and converts both ways; every broken file fails at a known line and column.
@Suite("CITATION.cff corpus")
struct CFFCorpusTests {
  static let root = ConvertFixtures.root.appendingPathComponent("cff")

  static func files(_ folder: String) -> [String] {
    let names =
      (try? FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent(folder).path)) ?? []
    return names.filter { $0.hasSuffix(".cff") }.sorted()
  }

  static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name)))
  }

  /// The first error of each broken file: line, column, key path and a phrase of the message,
  /// read off the files by hand.
  static let broken: [String: (line: Int, column: Int, keyPath: String, says: String)] = [
    // Real files from the CFF project's fail examples.
    // `extra: value` on line 8 is not a CFF key.
    "cffexample-additional-key.cff": (8, 1, "extra", "the key `extra` is not allowed here"),
    // `author:` (singular) on line 14: no `authors` at all, reported at the root mapping.
    "cffexample-ls1mardyn-ls1-mardyn-invalid-author-array.cff": (
      1, 1, "authors", "missing the required key `authors`"
    ),
    // `date-released: 2018-09-05T00:00:00.000Z`, a timestamp, not a date.
    "cffexample-ls1mardyn-ls1-mardyn.cff": (10, 16, "date-released", "expected a date YYYY-MM-DD"),
    // `date-released: 2020-05-xx`.
    "cffexample-tue-excellent-buildings-bso-toolbox-invalid-date.cff": (
      12, 16, "date-released", "expected a date YYYY-MM-DD"
    ),
    // Real files from other repositories.
    // Line 20 opens a quote it never closes, so line 21 is read into the string; libyaml
    // notices at 21:13.
    "ImperialCollegeLondon--SWMManywhere.cff": (21, 13, "", "expected valid YAML"),
    // `cff-version: 2.0.0` (and bare ORCIDs further down).
    "ImperialCollegeLondon--champ.cff": (1, 14, "cff-version", "found \"2.0.0\""),
    // `doi: https://doi.org/10.5281/zenodo.14988676`: a resolver URL, not a DOI.
    "ImpedanCEI--Wakis.cff": (9, 6, "doi", "found \"https://doi.org/10.5281/zenodo.14988676\""),
    // Hand-broken ones.
    "hand-yaml-tab.cff": (5, 1, "", "found character that cannot start any token"),
    "hand-authors-string.cff": (4, 10, "authors", "expected a list"),
    "hand-bare-orcid-and-email.cff": (7, 12, "authors[0].email", "found \"not-an-email\""),
    "hand-missing-title-bad-license.cff": (1, 1, "title", "missing the required key `title`"),
    // Line 7 of the extension block: `# upload_type = "publication` (no closing quote).
    "hand-extension-bad-toml.cff": (
      7, 29, "zen-do-extension", "to close the string opened at 7:17"
    ),
  ]

  @Test func theCorpusIsLargeEnough() {
    #expect(Self.files("valid").count + Self.files("broken").count >= 30)
    #expect(Set(Self.files("broken")) == Set(Self.broken.keys))
  }

  @Test(arguments: files("valid"))
  func validFileValidates(_ name: String) throws {
    let result = CFFConverter.load(try Self.bytes("valid", name), path: name)
    if case .failure(let errors) = result { Issue.record("\(errors)") }
  }

  @Test(arguments: files("broken"))
  func brokenFileFailsAtItsLineAndColumn(_ name: String) throws {
    let expected = try #require(Self.broken[name])
    let converter = CFFConverter(zenodo: ZenodoJSONConverter(gitRemote: FixedRemote(url: nil)))
    let bytes = try Self.bytes("broken", name)
    let result = Result { () throws(CFFConvertError) in
      try converter.convertCFF(
        bytes, file: URL(fileURLWithPath: name), urn: "urn:zenodo:t:t")
    }
    guard case .failure(.invalidCFF(let errors)) = result else {
      Issue.record("expected invalidCFF, got \(result)")
      return
    }
    let first = try #require(errors.diagnostics.first)
    #expect(first.position == SourcePosition(line: expected.line, column: expected.column))
    #expect(first.keyPath == expected.keyPath)
    #expect(first.message.contains(expected.says))
    #expect(first.description.hasPrefix("\(name):\(expected.line):\(expected.column): error: "))
  }

  /// CFF → TOML → CFF keeps every mapped field: both CFF files map to the same Zenodo metadata
  /// (the identity URN the TOML gained aside).
  @Test(arguments: files("valid"))
  func roundTripKeepsTheMappedFields(_ name: String) throws {
    let converter = CFFConverter(zenodo: ZenodoJSONConverter(gitRemote: FixedRemote(url: nil)))
    let original = try Self.bytes("valid", name)
    let toml = try converter.convertCFF(
      original, file: URL(fileURLWithPath: "CITATION.cff"), urn: "urn:zenodo:test:corpus")
    let table = try TOMLParser.parse(toml.text)
    #expect(table["title"] != nil)
    let back = try converter.convertToCFF(
      Array(toml.text.utf8), file: URL(fileURLWithPath: ".zenodo.toml"))
    for message in back.messages { #expect(message.severity != .warning, "\(message)") }
    let before = try converter.metadata(fromCFF: original, path: name).0
    let after = try converter.metadata(fromCFF: Array(back.text.utf8), path: "CITATION.cff").0
    for key in [
      "upload_type", "title", "version", "publication_date", "license", "keywords", "creators",
      "contributors",
    ] {
      #expect(before[key] == after[key], "\(name): \(key)")
    }
    #expect(
      before["description"].map(Self.words) == after["description"].map(Self.words),
      "\(name): description")
    #expect(
      Self.related(before) == Self.related(after).filter { !$0.hasPrefix("urn:zenodo:") },
      "\(name): related_identifiers")
  }

  static func words(_ value: JSONValue) -> String {
    guard case .string(let s) = value else { return "" }
    return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  static func related(_ metadata: JSONObject) -> Set<String> {
    guard case .array(let items)? = metadata["related_identifiers"] else { return [] }
    return Set(
      items.compactMap {
        guard case .object(let o) = $0, case .string(let id)? = o["identifier"],
          case .string(let relation)? = o["relation"]
        else { return nil }
        return "\(id) \(relation)"
      })
  }
}
