import Foundation
import TOML
import Testing

@testable import ZenDo

/// The keys the records API adds: each valid and invalid, with line and column, and what
/// `--api legacy` says of them.
@Suite struct RecordKeysTests {
  /// A valid head (lines 1–12): each test appends its own lines from line 13 on.
  static let head = MetadataRulesTests.head

  /// Top-level keys (`line`, one line) go before the head, at line 1; the head then starts at
  /// line 2 (its `upload_type` at 3:1, its `license` at 5:1).
  func rootDiagnostics(_ line: String, api: ZenodoAPI = .records, head: String = Self.head)
    -> [String]
  {
    diagnostics("", api: api, head: line + head)
  }

  func diagnostics(_ tail: String, api: ZenodoAPI = .records, head: String = Self.head)
    -> [String]
  {
    let result = MetadataLoader.loadResult(
      data: Data((head + tail).utf8), url: URL(fileURLWithPath: "/nonexistent/x.toml"),
      displayPath: "x", api: api)
    return result.diagnostics.map(\.description)
  }

  @Test func everyKeyFixtureIsValidForTheRecordsAPI() throws {
    let url = Fixtures.root.appendingPathComponent("records/every-key.toml")
    let result = MetadataLoader.loadResult(url: url, displayPath: "every-key.toml")
    #expect(result.diagnostics.map(\.description) == [])
    #expect(result.file != nil)
  }

  @Test func everyKeyFixtureNamesEachRecordsOnlyKeyForTheLegacyAPI() throws {
    let url = Fixtures.root.appendingPathComponent("records/every-key.toml")
    let result = MetadataLoader.loadResult(url: url, displayPath: "e", api: .legacy)
    #expect(result.file == nil)
    let errors = result.diagnostics.filter(\.isError).map(\.keyPath)
    for key in [
      "resource_type", "publisher", "copyright", "license", "languages", "sizes", "formats",
      "embargo_reason", "journal_issn", "imprint_edition", "thesis_department",
      "code_repository", "programming_languages", "development_status", "creators[0].type",
      "creators[0].ror", "creators[1].given_name", "creators[1].family_name", "creators[1].isni",
      "creators[1].affiliations", "creators[2].identifiers", "contributors[1].type",
      "contributors[1].role", "additional_titles", "additional_descriptions", "funding",
    ] {
      #expect(errors.contains(key), "no error for \(key)")
    }
    #expect(!errors.contains("contributors[0].type"))
    #expect(!errors.contains("alternate_identifiers"))
    let warning = result.diagnostics.first { $0.keyPath == "access_conditions" }
    #expect(warning?.severity == .warning)
    #expect(warning?.message.contains("drops access_conditions") == true)
  }

  @Test func legacyErrorNamesTheKeyAndWhere() {
    #expect(
      rootDiagnostics("publisher = \"Zenodo\"\n", api: .legacy) == [
        "x:1:1: error: publisher: \"publisher\" in the file is understood only by Zenodo's "
          + "records API, and --api legacy cannot send it (Zenodo's legacy layer drops it); "
          + "remove it, or upload with --api records"
      ])
    #expect(rootDiagnostics("publisher = \"Zenodo\"\n") == [])
  }

  @Test func organisationNeedsANameAndNoFamilyName() {
    #expect(
      diagnostics("[[creators]]\ntype = \"organizational\"\nfamily_name = \"X\"\n") == [
        "x:13:1: error: creators[1]: missing required key \"name\" in a creator with type "
          + "\"organizational\"; expected the organisation's name",
        "x:15:1: error: creators[1].family_name: an organisation has a \"name\" only; expected no "
          + "\"family_name\" when type is \"organizational\"",
      ])
    #expect(
      diagnostics("[[creators]]\ntype = \"group\"\nname = \"X\"\n") == [
        "x:14:8: error: creators[1].type: expected one of the 23 values listed in "
          + "docs/metadata.md (such as \"personal\", \"organizational\", \"ContactPerson\"), found "
          + "\"group\""
      ])
  }

  @Test func aRoleOnACreatorWarnsAsZenodoIgnoresIt() {
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\ntype = \"ProjectLeader\"\n") == [
        "x:15:8: warning: creators[1].type: a creator has no role, so Zenodo ignores type "
          + "\"ProjectLeader\" here; expected \"personal\" or \"organizational\" (a role belongs "
          + "in [[contributors]])"
      ])
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\ntype = \"ProjectLeader\"\n", api: .legacy).count
        == 1)
  }

  @Test func personNames() {
    #expect(diagnostics("[[creators]]\nfamily_name = \"Doe\"\ngiven_name = \"Jo\"\n") == [])
    #expect(
      diagnostics("[[creators]]\ngiven_name = \"Jo\"\n") == [
        "x:13:1: error: creators[1]: missing required key \"name\" (or \"family_name\") in a "
          + "creator; expected a non-empty string such as \"Doe, Jane\"",
        "x:14:1: error: creators[1].given_name: \"given_name\" needs \"family_name\" beside it; "
          + "expected family_name = \"…\"",
      ])
    #expect(
      diagnostics("[[creators]]\nname = \"Doe, Jo\"\nfamily_name = \"Doe\"\n") == [
        "x:15:1: error: creators[1].family_name: \"name\" (at 14:1) and \"family_name\" both name "
          + "the person; keep \"name\" (\"Family, Given\") or \"family_name\" with \"given_name\""
      ])
  }

  @Test func identifierChecksums() {
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\nisni = \"0000 0001 2146 4381\"\n") == [
        "x:15:8: error: creators[1].isni: expected an ISNI with a valid check character, found "
          + "\"0000 0001 2146 4381\", whose last character should be \"X\"; copy it from isni.org"
      ])
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\nror = \"01ggx4158\"\n") == [
        "x:15:7: error: creators[1].ror: expected a ROR id with valid check digits, found "
          + "\"01ggx4158\", which should end in \"57\"; copy it from ror.org"
      ])
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\ngnd = \"118540239\"\n") == [
        "x:15:7: error: creators[1].gnd: expected a GND number with a valid check character, "
          + "found \"118540239\"; copy it from d-nb.info"
      ])
    #expect(
      rootDiagnostics("journal_issn = \"0317-8472\"\n") == [
        "x:1:16: error: journal_issn: expected an ISSN such as \"1234-5679\" (four digits, a "
          + "hyphen, four characters whose last is the check character), found \"0317-8472\""
      ])
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\nror = \"ror\"\n") == [
        "x:15:7: error: creators[1].ror: expected a ROR id such as \"05a28rw58\" or "
          + "\"https://ror.org/05a28rw58\" (0, six letters or digits, two check digits), found "
          + "\"ror\""
      ])
  }

  @Test func identifierGivenTwice() {
    #expect(
      diagnostics(
        "[[creators]]\nname = \"A\"\norcid = \"0000-0002-1825-0097\"\n"
          + "identifiers = { orcid = \"0000-0002-1825-0097\" }\n") == [
          "x:16:17: error: creators[1].identifiers.orcid: \"orcid\" is given twice, here and "
            + "at 15:1; keep one"
        ])
  }

  @Test func affiliations() {
    #expect(
      diagnostics(
        "[[creators]]\nname = \"A\"\naffiliations = [{ ror = \"01ggx4157\", name = \"CERN\" }, "
          + "{ name = \"B\" }]\n") == [])
    #expect(
      diagnostics("[[creators]]\nname = \"A\"\naffiliations = [{}]\n") == [
        "x:15:17: error: creators[1].affiliations[0]: expected \"ror\" or \"name\" or both in an "
          + "affiliation, found neither"
      ])
  }

  @Test func contributorRoles() {
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\nrole = \"translator\"\n") == [])
    #expect(
      diagnostics("[[contributors]]\ntype = \"organizational\"\nname = \"A\"\n") == [
        "x:13:1: error: contributors[0]: missing required key \"role\" in a contributor (or a "
          + "legacy contributor \"type\" such as \"ContactPerson\"); expected one of the roles "
          + "listed in docs/metadata.md, such as \"contactperson\""
      ])
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\ntype = \"Editor\"\nrole = \"editor\"\n") == [
        "x:16:1: error: contributors[0].role: \"role\" and the legacy contributor type \"Editor\" "
          + "both give the role; keep one"
      ])
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\nrole = \"boss\"\n").first?.hasPrefix(
        "x:15:8: error: contributors[0].role: expected one of the 22 values") == true)
  }

  @Test func funding() {
    #expect(
      diagnostics(
        "[[funding]]\nfunder = { ror = \"00k4n6c32\" }\naward = { id = \"00k4n6c32::283595\" }\n")
        == [])
    #expect(
      diagnostics("[[funding]]\nfunder = { ror = \"00k4n6c32\", name = \"EC\" }\n") == [
        "x:14:31: error: funding[0].funder.name: expected only one of \"ror\" and \"name\" in a "
          + "funder; keep one"
      ])
    #expect(
      diagnostics("[[funding]]\nfunder = { name = \"F\" }\naward = { acronym = \"X\" }\n") == [
        "x:15:9: error: funding[0].award: expected \"id\" (such as \"00k4n6c32::283595\"), or "
          + "\"number\" and/or \"title\", in an award, found neither"
      ])
    #expect(
      diagnostics(
        "[[funding]]\nfunder = { name = \"F\" }\naward = { id = \"x\", number = \"1\" }\n") == [
          "x:15:11: error: funding[0].award.id: expected either the award's vocabulary \"id\" or "
            + "its \"number\" and \"title\", found both kinds; keep one"
        ])
    #expect(
      diagnostics("[[funding]]\naward = { number = \"1\" }\n") == [
        "x:13:1: error: funding[0]: missing required key \"funder\" in a funding entry; expected "
          + "a non-empty string"
      ])
    #expect(
      diagnostics(
        "[[funding]]\nfunder = { name = \"F\" }\n"
          + "award = { number = \"1\", identifiers = [{ url = \"ftp:x\" }] }\n") == [
          "x:15:48: error: funding[0].award.identifiers[0].url: expected an http:// or "
            + "https:// URL such as \"https://github.com/owner/repo\", found \"ftp:x\""
        ])
  }

  @Test func resourceTypeInsteadOfUploadType() {
    let head = Self.head.replacingOccurrences(
      of: "upload_type = \"dataset\"", with: "resource_type = \"publication-article\"")
    #expect(diagnostics("", head: head) == [])
    #expect(
      rootDiagnostics("publication_type = \"article\"\n", head: head) == [
        "x:1:1: error: publication_type: \"publication_type\" belongs with upload_type; with "
          + "resource_type (at 3:1) write the subtype into it, such as \"publication-article\""
      ])
    #expect(
      rootDiagnostics("resource_type = \"dataset\"\n") == [
        "x:1:1: error: resource_type: \"upload_type\" (at 3:1) and \"resource_type\" say the "
          + "same thing; keep only one"
      ])
    let none = Self.head.replacingOccurrences(of: "upload_type = \"dataset\"\n", with: "")
    #expect(
      diagnostics("", head: none).first?.hasPrefix(
        "x:1:1: error: missing required key \"upload_type\" (or \"resource_type\")") == true)
  }

  @Test func licensesLanguagesAndTexts() {
    let head = Self.head.replacingOccurrences(
      of: "license = \"cc0-1.0\"", with: "license = [\"cc0-1.0\", { id = \"mit\" }]")
    #expect(rootDiagnostics("languages = [\"en\", \"nld\"]\n", head: head) == [])
    #expect(
      rootDiagnostics("languages = [\"EN\"]\n") == [
        "x:1:14: error: languages[0]: expected an ISO 639-1 (2 letters) or ISO 639-2/639-3 (3 "
          + "letters) language code in lower case, such as \"en\" or \"eng\", found \"EN\" (did "
          + "you mean \"en\"?)"
      ])
    #expect(
      diagnostics("", api: .legacy, head: head) == [
        "x:4:11: error: license: 2 licenses are understood only by Zenodo's records API; --api "
          + "legacy sends one license; keep one, or upload with --api records"
      ])
    #expect(
      diagnostics("[[additional_titles]]\ntitle = \"Another\"\ntype = \"sub\"\n") == [
        "x:15:8: error: additional_titles[0].type: expected one of \"alternative-title\", "
          + "\"subtitle\", \"translated-title\", \"other\", found \"sub\""
      ])
    #expect(
      diagnostics("[[additional_descriptions]]\ndescription = \"Long\"\n") == [
        "x:13:1: error: additional_descriptions[0]: missing required key \"type\" in an "
          + "additional description; expected one of \"abstract\", \"methods\", "
          + "\"series-information\", \"table-of-contents\", \"technical-info\", \"notes\", "
          + "\"other\""
      ])
    #expect(
      rootDiagnostics("code_repository = \"github.com/x\"\n") == [
        "x:1:19: error: code_repository: expected an http:// or https:// URL such as "
          + "\"https://github.com/owner/repo\", found \"github.com/x\""
      ])
  }

  @Test func embargoReasonWithoutEmbargoWarns() {
    #expect(
      rootDiagnostics("embargo_reason = \"Review\"\n") == [
        "x:1:1: warning: embargo_reason: embargo_reason is ignored because access_right is "
          + "\"open\", not \"embargoed\""
      ])
  }
}

/// `convert` back to `.zenodo.json` names what a `.zenodo.json` cannot carry.
@Suite struct ConvertRecordsOnlyTests {
  @Test func convertNamesTheRecordsOnlyKeys() throws {
    let text = """
      publisher = "Z"
      license = ["mit", "cc0-1.0"]
      [[creators]]
      type = "organizational"
      name = "Lab"
      affiliations = [{ name = "X" }]
      [[contributors]]
      name = "A"
      type = "Editor"

      """
    let (value, messages) = try ZenodoJSONConverter().json(
      fromTOML: try TOMLParser.parse(text), path: "p.toml")
    #expect(
      messages.map(\.description) == [
        "p.toml:1:1: warning: a .zenodo.json cannot carry these 4 keys, which only Zenodo's "
          + "records API understands (its legacy layer drops them): publisher, license, "
          + "creators[0].type, creators[0].affiliations; they are written as they are, and "
          + "zen-do upload sends them through the records API"
      ])
    guard case .object(let object) = value else {
      Issue.record("not an object")
      return
    }
    #expect(object["publisher"] == .string("Z"), "nothing the user wrote is dropped")
  }

  @Test func aLegacyFileConvertsWithoutWarning() throws {
    let (_, messages) = try ZenodoJSONConverter().json(
      fromTOML: try TOMLParser.parse(
        "title = \"T\"\nlicense = \"mit\"\n[[contributors]]\nname = \"A\"\ntype = \"Editor\"\n"),
      path: "p.toml")
    #expect(messages.isEmpty)
  }
}
