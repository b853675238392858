import Foundation
import TOML
import Testing

@testable import ZenDo

/// The validation rules, on tables built in code (the fixture tests parse real files).
@Suite struct MetadataCheckerTests {
  let url = URL(fileURLWithPath: "/nonexistent/project/.zenodo.toml")

  func load(_ table: TOMLTable) -> MetadataLoader.Result {
    MetadataLoader.loadResult(table: table, url: url, displayPath: "p/.zenodo.toml")
  }

  func errors(_ result: MetadataLoader.Result) -> [String] {
    result.diagnostics.filter(\.isError).map(\.description)
  }

  @Test func validTableLoads() throws {
    let result = load(validTable())
    #expect(errors(result) == [])
    let file = try #require(result.file)
    #expect(file.urn == "urn:zenodo:owner:repo:paper")
    #expect(file.metadata["publication_date"] == .string("2026-11-21"))
    #expect(file.metadata["title"] == .string("Rose scent metabolites"))
    #expect(file.metadata["zen-do"] == nil)
    #expect(
      file.metadata.keys == [
        "title", "upload_type", "publication_date", "description", "access_right", "license",
        "keywords", "creators", "related_identifiers",
      ])
  }

  @Test func kebabCaseIsReadAsSnakeCase() throws {
    let table = validTable { b in
      b.remove("upload_type")
      b.add("upload-type", .string("software"), line: 2)
    }
    let file = try #require(load(table).file)
    #expect(file.metadata["upload_type"] == .string("software"))
    #expect(file.metadata["upload-type"] == nil)
  }

  @Test func sameKeyInBothSpellingsIsAnError() {
    let table = validTable { b in b.add("upload-type", .string("software"), line: 20) }
    #expect(
      errors(load(table)) == [
        "p/.zenodo.toml:20:1: error: upload_type: \"upload_type\" (at 2:1) and \"upload-type\" "
          + "are the same key in two spellings; keep only \"upload_type\""
      ])
  }

  @Test func unknownKeyIsKeptWithAWarning() throws {
    let table = validTable { b in b.add("funding_note", .string("x"), line: 20) }
    let result = load(table)
    let file = try #require(result.file)
    #expect(file.metadata["funding_note"] == .string("x"))
    #expect(
      result.diagnostics.map(\.description) == [
        "p/.zenodo.toml:20:1: warning: funding_note: unknown key \"funding_note\" in the file; "
          + "it is sent to Zenodo as written"
      ])
  }

  @Test func typoGetsASuggestion() {
    let table = validTable { b in b.add("keywrods", .array([]), line: 20) }
    let warning = load(table).diagnostics.first { $0.keyPath == "keywrods" }
    #expect(warning?.message.contains("(did you mean \"keywords\"?)") == true)
  }

  @Test func wrongTypeQuotesTheValue() {
    let table = validTable { b in
      b.remove("title")
      b.add("title", .integer(42), line: 1)
    }
    #expect(
      errors(load(table)) == [
        "p/.zenodo.toml:1:9: error: title: expected a string, found an integer (42)"
      ])
  }

  @Test func badEnumerationListsTheValues() {
    let table = validTable { b in
      b.remove("access_right")
      b.add("access_right", .string("opne"), line: 5)
    }
    #expect(
      errors(load(table)) == [
        "p/.zenodo.toml:5:16: error: access_right: expected one of \"open\", \"embargoed\", "
          + "\"restricted\", \"closed\", found \"opne\" (did you mean \"open\"?)"
      ])
  }

  @Test func conditionalRequirements() {
    let publication = validTable { b in
      b.remove("upload_type")
      b.add("upload_type", .string("publication"), line: 2)
    }
    #expect(
      errors(load(publication)).first?.hasPrefix(
        "p/.zenodo.toml:2:15: error: publication_type: missing \"publication_type\", required when "
          + "upload_type is \"publication\"") == true)

    let embargoed = validTable { b in
      b.remove("access_right")
      b.add("access_right", .string("embargoed"), line: 5)
    }
    #expect(errors(load(embargoed)).count == 1)
    #expect(errors(load(embargoed)).first?.contains("missing \"embargo_date\"") == true)

    let restricted = validTable { b in
      b.remove("access_right")
      b.remove("license")
      b.add("access_right", .string("restricted"), line: 5)
    }
    #expect(errors(load(restricted)).count == 1)
    #expect(errors(load(restricted)).first?.contains("missing \"access_conditions\"") == true)

    let noLicense = validTable { b in b.remove("license") }
    #expect(
      errors(load(noLicense)) == [
        "p/.zenodo.toml:5:16: error: license: missing \"license\", required when access_right is "
          + "\"open\"; expected a license id such as \"cc-by-4.0\""
      ])
  }

  @Test func requiredKeysAreReportedAtTheStart() {
    var builder = TableBuilder()
    builder.add("description", .string("<p>x</p>"), line: 1)
    let messages = errors(load(builder.table))
    #expect(
      messages.contains {
        $0.hasPrefix("p/.zenodo.toml:1:1: error: missing required key \"upload_type\"")
      })
    #expect(
      messages.contains {
        $0.hasPrefix("p/.zenodo.toml:1:1: error: missing required key \"title\"")
      })
    #expect(
      messages.contains {
        $0.hasPrefix("p/.zenodo.toml:1:1: error: missing required key \"creators\"")
      })
    #expect(messages.contains { $0.contains("missing the deposit's identity") })
  }

  @Test func identityMissingDuplicatedMalformed() {
    let missing = errors(load(validTable(identity: [])))
    #expect(missing.count == 1)
    #expect(
      missing.first?.hasPrefix(
        "p/.zenodo.toml:1:1: error: related_identifiers: missing the deposit's identity") == true)

    let twice = errors(
      load(
        validTable(identity: [
          (13, "urn:zenodo:o:r:a", "isIdenticalTo", "urn"),
          (18, "urn:zenodo:o:r:b", "isIdenticalTo", "urn"),
        ])))
    #expect(twice.count == 2)
    #expect(
      twice.first?.hasPrefix(
        "p/.zenodo.toml:13:1: error: related_identifiers: the identity \"urn:zenodo:o:r:a\"")
        == true)
    #expect(
      twice.last?.hasPrefix(
        "p/.zenodo.toml:18:1: error: related_identifiers: a second identity \"urn:zenodo:o:r:b\"")
        == true)

    let malformed = errors(
      load(validTable(identity: [(13, "urn:zenodo:o/r", "isIdenticalTo", "urn")])))
    #expect(malformed.count == 1)
    #expect(
      malformed.first?.hasPrefix(
        "p/.zenodo.toml:14:14: error: related_identifiers[0].identifier: expected an identity URN")
        == true)

    let wrongRelation = errors(
      load(validTable(identity: [(13, "urn:zenodo:o:r", "isSupplementTo", "urn")])))
    #expect(wrongRelation.count == 1)
    #expect(wrongRelation.first?.contains("expected relation \"isIdenticalTo\"") == true)
  }

  @Test func orcidCheckDigit() {
    let table = validTable { b in
      b.remove("creators")
      b.add(
        "creators",
        node: arrayOfTables([
          (
            9,
            {
              $0.add("name", .string("Doe, Jane"), line: 10)
              $0.add("orcid", .string("0000-0002-1825-0098"), line: 11)
            }
          )
        ]),
        keyAt: SourcePosition(line: 9, column: 3))
    }
    #expect(
      errors(load(table)) == [
        "p/.zenodo.toml:11:9: error: creators[0].orcid: expected an ORCID iD with a valid check digit, "
          + "found \"0000-0002-1825-0098\", whose last character should be \"7\"; copy the iD from orcid.org"
      ])
  }

  @Test func datesAreChecked() {
    let table = validTable { b in
      b.remove("publication_date")
      b.add("publication_date", .string("2026-02-30"), line: 3)
    }
    #expect(
      errors(load(table)).first?.hasPrefix(
        "p/.zenodo.toml:3:20: error: publication_date: expected a date") == true)
  }

  @Test func numericVersionWarns() throws {
    let table = validTable { b in b.add("version", .float(4.0), line: 20) }
    let result = load(table)
    let file = try #require(result.file)
    #expect(file.metadata["version"] == .number(JSONNumber(text: "4.0")))
    #expect(result.diagnostics.map(\.severity) == [.warning])
  }

  @Test func descriptionAndDescriptionFileConflict() {
    let table = validTable { b in
      var settings = TableBuilder()
      settings.add("description_file", .string("README.md"), line: 31)
      b.add(
        "zen-do", node: TOMLNode(.table(settings.table), at: SourcePosition(line: 30, column: 1)),
        keyAt: SourcePosition(line: 30, column: 2))
    }
    let messages = errors(load(table))
    #expect(
      messages.contains {
        $0.hasPrefix(
          "p/.zenodo.toml:4:1: error: description: \"description\" and [zen-do].description_file")
      })
  }

  @Test func diagnosticsAreSortedByPosition() {
    let table = validTable { b in
      b.add("language", .string("english"), line: 25)
      b.remove("title")
      b.add("title", .string("ab"), line: 1)
    }
    let lines = load(table).diagnostics.map(\.position.line)
    #expect(lines == lines.sorted())
    #expect(lines.count == 2)
  }
}
