import Foundation
import TOML
import Testing

@testable import ZenDo

/// The fixtures in Tests/Fixtures, found from this file's path.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Metadata
    .deletingLastPathComponent()  // ZenDoTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures")

  static func broken(_ name: String) -> URL { root.appendingPathComponent("broken/\(name)") }
  static func valid(_ name: String) -> URL { root.appendingPathComponent("valid/\(name)") }
}

/// One broken `.zenodo.toml` per kind of mistake: each gives exactly the expected errors.
@Suite struct BrokenFixtureTests {
  static let upload = Vocabulary.uploadTypes.map { "\"\($0)\"" }.joined(separator: ", ")

  /// File name → the exact errors `check` prints, `name:line:col: error: ...`.
  static let expected: [(String, [String])] = [
    (
      "wrong-type.toml",
      ["wrong-type.toml:2:9: error: title: expected a string, found an integer (42)"]
    ),
    (
      "bad-enum.toml",
      [
        "bad-enum.toml:3:15: error: upload_type: expected one of \(upload), found \"datset\" "
          + "(did you mean \"dataset\"?)"
      ]
    ),
    (
      "bad-date.toml",
      [
        "bad-date.toml:4:20: error: publication_date: expected a date such as 2026-11-21 (a TOML "
          + "date or a \"YYYY-MM-DD\" string that is a real calendar date), found \"2026-02-30\""
      ]
    ),
    (
      "bad-orcid.toml",
      [
        "bad-orcid.toml:11:9: error: creators[0].orcid: expected an ORCID iD with a valid check "
          + "digit, found \"0000-0002-1825-0098\", whose last character should be \"7\"; copy the "
          + "iD from orcid.org"
      ]
    ),
    (
      "missing-conditional.toml",
      [
        "missing-conditional.toml:3:15: error: publication_type: missing \"publication_type\", "
          + "required when upload_type is \"publication\"; expected one of "
          + Vocabulary.publicationTypes.map { "\"\($0)\"" }.joined(separator: ", ")
      ]
    ),
    (
      "embargo-without-date.toml",
      [
        "embargo-without-date.toml:6:16: error: embargo_date: missing \"embargo_date\", required "
          + "when access_right is \"embargoed\"; expected the date the files open, such as "
          + "2027-01-01"
      ]
    ),
    (
      "identity-missing.toml",
      [
        "identity-missing.toml:13:3: error: related_identifiers: missing the deposit's identity; "
          + "expected exactly one [[related_identifiers]] entry with identifier = "
          + "\"urn:zenodo:<owner>:<repo>[:<output>]\", relation = \"isIdenticalTo\" and scheme = "
          + "\"urn\""
      ]
    ),
    (
      "identity-duplicated.toml",
      [
        "identity-duplicated.toml:13:1: error: related_identifiers: the identity "
          + "\"urn:zenodo:seedcase-project:zen-do:fixture\" has 1 more urn:zenodo entry besides "
          + "it; expected exactly one",
        "identity-duplicated.toml:18:1: error: related_identifiers: a second identity "
          + "\"urn:zenodo:seedcase-project:zen-do:other\"; expected exactly one urn:zenodo "
          + "identifier, and the first is \"urn:zenodo:seedcase-project:zen-do:fixture\" at 13:1",
      ]
    ),
    (
      "identity-malformed.toml",
      [
        "identity-malformed.toml:14:14: error: related_identifiers[0].identifier: expected an "
          + "identity URN matching urn:zenodo(:[^/:\\s]+)+, such as "
          + "\"urn:zenodo:owner:repo:paper\", found \"urn:zenodo:seedcase-project/zen-do\""
      ]
    ),
    (
      "kebab-snake.toml",
      [
        "kebab-snake.toml:4:1: error: upload_type: \"upload_type\" (at 3:1) and \"upload-type\" "
          + "are the same key in two spellings; keep only \"upload_type\""
      ]
    ),
    (
      "bad-language.toml",
      [
        "bad-language.toml:8:12: error: language: expected an ISO 639-1 (2 letters) or ISO "
          + "639-2/639-3 (3 letters) language code in lower case, such as \"en\" or \"eng\", "
          + "found \"english\""
      ]
    ),
    (
      "missing-file.toml",
      [
        "missing-file.toml:19:28: error: zen-do.files[1]: expected an existing file, found no "
          + "file at \"files/missing.csv\""
      ]
    ),
    (
      "duplicate-name.toml",
      [
        "duplicate-name.toml:19:31: error: zen-do.files[1]: expected unique file names (Zenodo "
          + "has no folders), found \"files/b/table.csv\" and \"files/a/table.csv\" (at 19:10) "
          + "both named \"table.csv\""
      ]
    ),
    (
      "empty-file.toml",
      [
        "empty-file.toml:19:28: error: zen-do.files[1]: expected a non-empty file, found an "
          + "empty file at \"files/empty.txt\"; Zenodo rejects empty files"
      ]
    ),
  ]

  @Test(arguments: expected.map(\.0))
  func brokenFileGivesItsError(name: String) throws {
    let expected = try #require(Self.expected.first { $0.0 == name }?.1)
    let result = MetadataLoader.check(url: Fixtures.broken(name), displayPath: name)
    #expect(result.diagnostics.filter(\.isError).map(\.description) == expected)
    #expect(result.hasErrors)
    #expect(result.file == nil)
  }

  @Test func syntaxErrorHasItsPosition() throws {
    let result = MetadataLoader.check(
      url: Fixtures.broken("syntax.toml"), displayPath: "syntax.toml")
    let error = try #require(result.diagnostics.first)
    #expect(result.diagnostics.count == 1)
    #expect(error.isError)
    #expect(error.position == SourcePosition(line: 2, column: 32))
    #expect(
      error.description.hasPrefix(
        "syntax.toml:2:32: error: invalid TOML: expected '\"' to close the string opened at 2:9"))
  }

  @Test func everyBrokenFixtureIsCovered() throws {
    let names = try FileManager.default.contentsOfDirectory(
      atPath: Fixtures.root.appendingPathComponent("broken").path
    ).filter { $0.hasSuffix(".toml") }
    #expect(names.count >= 10)
    #expect(Set(names) == Set(Self.expected.map(\.0) + ["syntax.toml"]))
  }
}

/// Valid files load with no error.
@Suite struct ValidFixtureTests {
  @Test(arguments: ["minimal.toml", "kebab.toml", "unknown-key.toml"])
  func validFileHasNoError(name: String) throws {
    let result = MetadataLoader.check(url: Fixtures.valid(name), displayPath: name)
    #expect(result.diagnostics.filter(\.isError).map(\.description) == [])
    #expect(result.file != nil)
    #expect(result.files.map(\.name) == ["files-data.csv"])
  }

  @Test func unknownKeyWarnsAndIsSent() throws {
    let result = MetadataLoader.check(url: Fixtures.valid("unknown-key.toml"), displayPath: "u")
    #expect(
      result.diagnostics.map(\.description) == [
        "u:7:1: warning: funding_note: unknown key \"funding_note\" in the file; it is sent to "
          + "Zenodo as written"
      ])
    let file = try #require(result.file)
    #expect(file.metadata["funding_note"] == .string("Thanks to the Rose Trust."))
  }

  @Test func kebabFileMapsToSnakeCaseAndRendersMarkdown() throws {
    let result = MetadataLoader.check(url: Fixtures.valid("kebab.toml"), displayPath: "k")
    #expect(result.diagnostics == [])
    let file = try #require(result.file)
    #expect(
      file.metadata.keys == [
        "title", "upload_type", "publication_type", "publication_date", "access_right",
        "license", "creators", "related_identifiers", "description",
      ])
    #expect(file.metadata["license"] == .object(JSONObject([("id", .string("cc-by-4.0"))])))
    #expect(
      file.metadata["description"]
        == .string(
          "<h1>Rose scent</h1>\n<p>Paper and <strong>supplementary</strong> tables.</p>\n"))
    guard case .array(let related) = file.metadata["related_identifiers"],
      case .object(let identity) = related.first
    else {
      Issue.record("related_identifiers is not an array of objects")
      return
    }
    #expect(identity["resource_type"] == .string("publication-article"))
    #expect(file.urn == "urn:zenodo:seedcase-project:zen-do:kebab")
    #expect(file.settings.descriptionFile == "description.md")
  }

  @Test func exampleAtTheRepositoryRootPasses() throws {
    let example = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(".zenodo.toml.example")
    let result = MetadataLoader.check(url: example, displayPath: ".zenodo.toml.example")
    #expect(result.diagnostics.filter(\.isError).map(\.description) == [])
    #expect(result.file != nil)
    #expect(!result.files.isEmpty)
  }

  @Test func initTemplatePasses() throws {
    let template = InitTemplate(
      urn: "urn:zenodo:o:r", title: "zen-do", creator: "Doe, Jane",
      date: .init(year: 2026, month: 11, day: 21))
    let result = MetadataLoader.loadResult(
      data: Data(template.text.utf8), url: URL(fileURLWithPath: "/tmp/none/.zenodo.toml"))
    #expect(result.diagnostics.filter(\.isError).map(\.description) == [])
    #expect(result.file?.urn == "urn:zenodo:o:r")
    #expect(result.file?.metadata["publication_date"] == .string("2026-11-21"))
  }
}

/// A file with every legacy field passes without a single diagnostic, and sends every field.
@Suite struct FullFixtureTests {
  @Test func everyFieldIsKnownAndValid() throws {
    let result = MetadataLoader.check(url: Fixtures.valid("full.toml"), displayPath: "full.toml")
    #expect(result.diagnostics.map(\.description) == [])
    let file = try #require(result.file)
    // Every legacy key but the two that only make sense for other values (restricted,
    // image); the records API's keys are in records/every-key.toml (RecordMappingTests).
    let legacyKeys = MetadataSchema.root.fields.map(\.name).filter {
      !MetadataSchema.root.recordsOnly.contains($0)
    }
    let schemaKeys = legacyKeys.filter {
      $0 != "access_conditions" && $0 != "image_type" && $0 != "alternate_identifiers"
    }
    #expect(file.metadata.keys.sorted() == schemaKeys.sorted())
    #expect(file.metadata["embargo_date"] == .string("2027-06-01"))
    #expect(file.metadata["prereserve_doi"] == .bool(false))
    #expect(
      file.metadata["custom"]
        == .object(JSONObject([("dwc:basisOfRecord", .array([.string("PreservedSpecimen")]))])))
    #expect(result.files.map(\.name) == ["files-data.csv", "description.md"])
  }
}
