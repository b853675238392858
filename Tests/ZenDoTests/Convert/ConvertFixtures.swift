import Foundation
import TOML

@testable import ZenDo

/// Where the test fixtures live, and helpers the conversion tests share.
enum ConvertFixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  static let corpus = root.appendingPathComponent("zenodo-json")
  static let golden = root.appendingPathComponent("convert-golden")

  /// The corpus files that are not valid JSON, with the line and column of the error, read off
  /// the files by hand (SOURCES.tsv says what is wrong with each).
  static let invalid: [String: (line: Int, column: Int, says: String)] = [
    // Latin-1 bytes: 0xFC (ü) in "Müller"-like names, first one on line 88.
    "0UmfHxcvx5J7JoaOhFSs5mncnisTJJ6q__mrcommons.json": (88, 17, "Latin-1"),
    // `"orcid": "0009-0007-8208-3020",` then `}` on line 35: the comma is on line 34.
    "3MAH__microgen.json": (34, 37, "remove the trailing comma"),
    // `"name": "Williams, Sam"` with no comma before `"orcid"` on line 72.
    "AMReX-Codes__amrex.json": (71, 36, "missing comma"),
    // `"affiliation": Télécom ParisTech, France,`
    "bids-standard__pybids.json": (68, 22, "unquoted text `Télécom ParisTech`"),
    // The file starts with `"description": ...` on line 2: no opening `{`.
    "CLIMADA-project__climada_papers.json": (2, 18, "missing its opening `{`"),
    // `Institute\'s` in the description.
    "softwaresaved__code-cite.json": (2, 183, "invalid escape `\\'`"),
  ]

  /// The repository column of SOURCES.tsv, by file name.
  static func repositories() throws -> [String: String] {
    let text = try String(contentsOf: corpus.appendingPathComponent("SOURCES.tsv"), encoding: .utf8)
    var out: [String: String] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      if fields.count > 1 { out[String(fields[0])] = String(fields[1]) }
    }
    return out
  }

  static func corpusFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: corpus.path)
      .filter { $0.hasSuffix(".json") }.sorted()
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
  }

  /// A converter with a fixed clock and no git.
  static func converter(remote: String? = nil) -> ZenodoJSONConverter {
    ZenodoJSONConverter(
      toolVersion: "0.1.0-test",
      now: { Date(timeIntervalSince1970: 1_798_761_600) },  // 2027-01-01
      gitRemote: FixedRemote(url: remote))
  }

  /// `value` without its `null`s (TOML has none), written independently of the converter.
  static func withoutNulls(_ value: JSONValue) -> JSONValue? {
    switch value {
    case .null: return nil
    case .array(let items): return .array(items.compactMap(withoutNulls))
    case .object(let object):
      var out = JSONObject()
      for (key, member) in object {
        if let kept = withoutNulls(member) { out[key] = kept }
      }
      return .object(out)
    default: return value
    }
  }
}

/// A git remote reader that answers a fixed URL (or none).
struct FixedRemote: GitRemoteReader {
  var url: String?
  func originURL(ofFolder folder: URL) -> String? { url }
}
