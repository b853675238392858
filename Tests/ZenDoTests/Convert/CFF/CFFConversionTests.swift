import Foundation
import TOML
import Testing

@testable import ZenDo

/// The CFF ⇄ Zenodo mapping field by field, the zen-do extension block, and `check`'s
/// comparison of a CITATION.cff with a .zenodo.toml.
@Suite("CITATION.cff conversion")
struct CFFConversionTests {
  let converter = CFFConverter(zenodo: ZenodoJSONConverter(gitRemote: FixedRemote(url: nil)))

  static let cff = """
    cff-version: 1.2.0
    message: Cite it.
    title: "Tool: a thing"
    version: '1.10'
    date-released: 2024-03-05
    doi: 10.5281/zenodo.123
    abstract: "First <para> & more.\\n\\nSecond."
    authors:
      - given-names: Maaike
        name-particle: de
        family-names: Jong
        affiliation: eScience
        orcid: https://orcid.org/0000-0002-1825-0097
      - name: The Tool Team
    contact:
      - name: Help Desk
    keywords: [a, b]
    license: [Apache-2.0, MIT]
    repository-code: https://github.com/o/r
    url: https://o.github.io/r
    identifiers:
      - type: swh
        value: swh:1:dir:bc286860f423ea7ced246ba7458eef4b4541cf2d

    """

  @Test func mapsEveryField() throws {
    let (metadata, messages) = try converter.metadata(fromCFF: Array(Self.cff.utf8), path: "C.cff")
    #expect(metadata["upload_type"] == .string("software"))
    #expect(metadata["title"] == .string("Tool: a thing"))
    #expect(metadata["version"] == .string("1.10"))
    #expect(metadata["publication_date"] == .string("2024-03-05"))
    #expect(
      metadata["description"] == .string("<p>First &lt;para&gt; &amp; more.</p><p>Second.</p>"))
    #expect(metadata["license"] == .string("apache-2.0"))
    #expect(metadata["keywords"] == .array([.string("a"), .string("b")]))
    guard case .array(let creators)? = metadata["creators"], creators.count == 2,
      case .object(let first) = creators[0], case .object(let second) = creators[1]
    else {
      Issue.record("creators: \(String(describing: metadata["creators"]))")
      return
    }
    #expect(first["name"] == .string("de Jong, Maaike"))
    #expect(first["affiliation"] == .string("eScience"))
    #expect(first["orcid"] == .string("0000-0002-1825-0097"))
    #expect(second["name"] == .string("The Tool Team"))
    let related = CFFCorpusTests.related(metadata)
    #expect(
      related == [
        "10.5281/zenodo.123 isVersionOf", "https://github.com/o/r isSupplementTo",
        "https://o.github.io/r isDocumentedBy",
        "swh:1:dir:bc286860f423ea7ced246ba7458eef4b4541cf2d isIdenticalTo",
      ])
    guard case .array(let contributors)? = metadata["contributors"],
      case .object(let contact)? = contributors.first
    else {
      Issue.record("contributors")
      return
    }
    #expect(contact["type"] == .string("ContactPerson"))
    #expect(messages.contains { $0.message.contains("left out MIT") })
  }

  /// Zenodo metadata CFF has no key for survives TOML → CFF → TOML through the extension block.
  @Test func zenodoOnlyMetadataRoundTripsThroughTheExtension() throws {
    let toml = """
      title = "A paper"
      upload_type = "publication"
      publication_type = "article"
      description = "<p>Some <em>rich</em> HTML</p>"
      version = "2.0"
      publication_date = 2024-01-02
      access_right = "open"
      license = "cc-by-4.0"
      keywords = ["x"]
      communities = [{ identifier = "zenodo" }]
      grants = [{ id = "10.13039/501100000780::283595" }]
      subjects = [{ term = "Physics", identifier = "http://id.loc.gov/x", scheme = "url" }]

      [[creators]]
      name = "Doe, Jane"
      orcid = "0000-0002-1825-0097"
      gnd = "170118215"

      [[contributors]]
      name = "Roe, Rick"
      type = "Editor"

      [[related_identifiers]]
      identifier = "urn:zenodo:o:r"
      relation = "isIdenticalTo"
      scheme = "urn"

      [[related_identifiers]]
      identifier = "10.1000/cites"
      relation = "cites"
      scheme = "doi"

      [zen-do]
      files = ["paper.pdf"]

      """
    let cff = try converter.convertToCFF(
      Array(toml.utf8), file: URL(fileURLWithPath: "x.zenodo.toml"))
    #expect(cff.text.contains(CFFExtension.begin))
    #expect(cff.text.contains("# upload_type = \"publication\""))
    #expect(cff.text.contains("license: CC-BY-4.0"))
    // The written file is valid CFF 1.2.0.
    if case .failure(let errors) = CFFConverter.load(Array(cff.text.utf8), path: "CITATION.cff") {
      Issue.record("\(errors)\n\(cff.text)")
    }
    let back = try converter.convertCFF(
      Array(cff.text.utf8), file: URL(fileURLWithPath: "CITATION.cff"))
    let original = try converter.zenodo.json(fromTOML: try TOMLParser.parse(toml), path: "x").value
    let restored = try converter.zenodo.json(fromTOML: try TOMLParser.parse(back.text), path: "y")
      .value
    guard case .object(let a) = original, case .object(let b) = restored else {
      Issue.record("not objects")
      return
    }
    #expect(Set(a.keys) == Set(b.keys))
    for key in a.keys where key != "publication_date" && key != "related_identifiers" {
      #expect(
        a[key] == b[key], "\(key): \(String(describing: a[key])) vs \(String(describing: b[key]))")
    }
    #expect(b["publication_date"] == .string("2024-01-02"))
    #expect(CFFCorpusTests.related(a) == CFFCorpusTests.related(b))
    let restoredTable = try TOMLParser.parse(back.text)
    #expect(restoredTable["zen-do"] != nil)
  }

  @Test func aDuplicateKeyIsAnErrorAtItsLine() {
    let text = "cff-version: 1.2.0\nmessage: m\ntitle: One\nauthors:\n  - name: X\ntitle: Two\n"
    guard case .failure(let errors) = CFFConverter.load(Array(text.utf8), path: "C.cff") else {
      Issue.record("a duplicate key was accepted")
      return
    }
    let first = errors.diagnostics.first
    // Yams reports the mapping's first occurrence of the key (line 3).
    #expect(first?.description.hasPrefix("C.cff:3:1: error: the key(s) \"title\" appear") == true)
  }

  @Test func checkWarnsWhereCitationCFFDisagrees() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-cff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let sub = folder.appendingPathComponent("paper")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    try """
    cff-version: 1.2.0
    message: Cite it.
    title: The CFF title
    version: 1.0.0
    license: MIT
    authors:
      - family-names: Doe
        given-names: Jane

    """.write(to: folder.appendingPathComponent("CITATION.cff"), atomically: true, encoding: .utf8)
    try """
    title = "The TOML title"
    upload_type = "software"
    version = "1.0.0"
    license = "apache-2.0"
    publication_date = 2024-01-01

    [[creators]]
    name = "Doe, Jane"

    [[related_identifiers]]
    identifier = "urn:zenodo:o:r"
    relation = "isIdenticalTo"
    scheme = "urn"

    """.write(to: sub.appendingPathComponent(".zenodo.toml"), atomically: true, encoding: .utf8)
    let result = MetadataLoader.check(
      url: sub.appendingPathComponent(".zenodo.toml"), displayPath: "paper/.zenodo.toml")
    let warnings = result.diagnostics.filter {
      $0.severity == .warning && $0.message.contains("CITATION.cff")
    }
    #expect(Set(warnings.map(\.keyPath)) == ["title", "license"])
    let title = try #require(warnings.first { $0.keyPath == "title" })
    #expect(title.position == SourcePosition(line: 1, column: 9))
    #expect(title.message.contains("\"The CFF title\""))
    #expect(title.message.contains("\"The TOML title\""))
  }
}
