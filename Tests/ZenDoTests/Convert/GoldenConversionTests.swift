import Foundation
import Testing

@testable import ZenDo

/// Converted output of a few corpus files, compared with committed golden files so a change in
/// the output is a reviewable diff. Re-record with `ZEN_DO_RECORD_GOLDEN=1 swift test`.
@Suite("convert: golden files")
struct GoldenConversionTests {
  static let cases: [(input: String, golden: String, remote: String)] = [
    // The largest file: 268 creators, non-ASCII names.
    ("sunpy__sunpy.json", "sunpy.zenodo.toml", "git@github.com:sunpy/sunpy.git"),
    // CRLF line ends, HTML description, no final newline.
    (
      "08walkersj__SECpy_Plotting.json", "SECpy_Plotting.zenodo.toml",
      "https://github.com/08walkersj/SECpy_Plotting"
    ),
    // The {"metadata": {...}} wrapper.
    ("lgloege__zenodopy.json", "zenodopy.zenodo.toml", "https://github.com/lgloege/zenodopy.git"),
    // A key Zenodo does not know (programming_languages).
    (
      "carpentriesoffline__offlinedatasci.json", "offlinedatasci.zenodo.toml",
      "https://gitlab.com/carpentriesoffline/offlinedatasci"
    ),
    // Not deposit metadata at all: many unknown keys, a number, a nested object.
    ("AAROC__DevOps.json", "DevOps.zenodo.toml", "ssh://git@github.com/AAROC/DevOps.git"),
  ]

  @Test("converted corpus files match their golden .zenodo.toml", arguments: 0..<cases.count)
  func golden(index: Int) throws {
    let (input, goldenName, remote) = Self.cases[index]
    let file = URL(fileURLWithPath: "Tests/Fixtures/zenodo-json/" + input)
    let converted = try ConvertFixtures.converter(remote: remote)
      .convertFile(try ConvertFixtures.bytes(input), file: file)
    let actual =
      converted.text + "\n# --- messages ---\n"
      + converted.messages.map { "# \($0)\n" }.joined()
    let goldenURL = ConvertFixtures.golden.appendingPathComponent(goldenName)
    if ProcessInfo.processInfo.environment["ZEN_DO_RECORD_GOLDEN"] == "1" {
      try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: goldenURL, encoding: .utf8)
    #expect(actual == expected, "\(goldenName) differs; re-record with ZEN_DO_RECORD_GOLDEN=1")
  }
}

@Suite("convert: golden files, TOML back to JSON")
struct GoldenReverseConversionTests {
  @Test("the sunpy golden .zenodo.toml converts back to its golden .zenodo.json")
  func sunpyBack() throws {
    let toml = ConvertFixtures.golden.appendingPathComponent("sunpy.zenodo.toml")
    let converted = try ConvertFixtures.converter()
      .convertFile([UInt8](try Data(contentsOf: toml)), file: toml)
    #expect(converted.direction == .tomlToJSON)
    let goldenURL = ConvertFixtures.golden.appendingPathComponent("sunpy.zenodo.json")
    if ProcessInfo.processInfo.environment["ZEN_DO_RECORD_GOLDEN"] == "1" {
      try converted.text.write(to: goldenURL, atomically: true, encoding: .utf8)
    }
    #expect(converted.text == (try String(contentsOf: goldenURL, encoding: .utf8)))
  }
}
