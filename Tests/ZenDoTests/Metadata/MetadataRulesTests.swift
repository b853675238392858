import Foundation
import TOML
import Testing

@testable import ZenDo

/// Rules checked on small documents parsed from text.
@Suite struct MetadataRulesTests {
  /// A valid head: each test appends its own lines (from line 13 on).
  static let head = """
    title = "Rose scent"
    upload_type = "dataset"
    publication_date = 2026-11-21
    license = "cc0-1.0"
    [[creators]]
    name = "Doe, Jane"
    [[related_identifiers]]
    identifier = "urn:zenodo:o:r"
    relation = "isIdenticalTo"
    scheme = "urn"
    # line 11
    # line 12

    """

  func diagnostics(_ tail: String) -> [String] {
    let result = MetadataLoader.loadResult(
      data: Data((Self.head + tail).utf8), url: URL(fileURLWithPath: "/nonexistent/x.toml"),
      displayPath: "x")
    return result.diagnostics.map(\.description)
  }

  @Test func validHeadHasNoDiagnostic() {
    #expect(diagnostics("") == [])
  }

  @Test func locationNeedsLatAndLonTogether() {
    #expect(
      diagnostics("[[locations]]\nplace = \"Oxford\"\nlat = 51.7\n") == [
        "x:15:1: error: locations[0]: expected \"lat\" and \"lon\" together, found only \"lat\""
      ])
    #expect(
      diagnostics("[[locations]]\nplace = \"Oxford\"\nlat = 91\nlon = 0\n") == [
        "x:15:7: error: locations[0].lat: expected a number from -90 to 90, found an integer (91)"
      ])
  }

  @Test func datesNeedAStartOrAnEndInOrder() {
    #expect(
      diagnostics("[[dates]]\ntype = \"Valid\"\n") == [
        "x:13:1: error: dates[0]: expected \"start\", \"end\" or both in a date, found neither"
      ])
    #expect(
      diagnostics("[[dates]]\ntype = \"Valid\"\nstart = 2026-05-02\nend = 2026-05-01\n") == [
        "x:16:7: error: dates[0].end: expected an end on or after the start (2026-05-02), found "
          + "2026-05-01"
      ])
  }

  @Test func letterCaseOfRelationsAndContributorTypesWarns() {
    #expect(
      diagnostics(
        "[[related_identifiers]]\nidentifier = \"10.1/x\"\nrelation = \"IsCitedBy\"\n") == [
          "x:15:12: warning: related_identifiers[1].relation: expected \"isCitedBy\", found "
            + "\"IsCitedBy\"; Zenodo accepts it, but write \"isCitedBy\""
        ])
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\ntype = \"editor\"\n") == [
        "x:15:8: warning: contributors[0].type: expected \"Editor\", found \"editor\"; Zenodo "
          + "accepts it, but write \"Editor\""
      ])
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\ntype = \"Boss\"\n").first?.hasPrefix(
        "x:15:8: error: contributors[0].type: expected one of the 23 values listed in "
          + "docs/metadata.md (such as \"ContactPerson\"") == true)
  }

  @Test func missingNestedRequiredKeys() {
    #expect(
      diagnostics("[[contributors]]\nname = \"A\"\n") == [
        "x:13:1: error: contributors[0]: missing required key \"role\" in a contributor (or a "
          + "legacy contributor \"type\" such as \"ContactPerson\"); expected one of the roles "
          + "listed in docs/metadata.md, such as \"contactperson\""
      ])
    #expect(
      diagnostics("[[grants]]\n") == [
        "x:13:1: error: grants[0]: missing required key \"id\" in a grant; expected a non-empty "
          + "string"
      ])
  }

  @Test func oddButAcceptedValuesWarn() {
    #expect(
      diagnostics("access_right = \"closed\"\n".replacingOccurrences(of: "", with: "")).isEmpty
        == false)
    #expect(
      diagnostics("[[creators]]\nname = \"Doe, Jane, Dr, PhD\"\n") == [
        "x:14:8: warning: creators[1].name: expected \"Family, Given\" with one comma, found "
          + "\"Doe, Jane, Dr, PhD\"; Zenodo splits the name at its comma, so it keeps the whole "
          + "name as the family name"
      ])
  }

  @Test func dateTimeIsNotADate() {
    let result = MetadataLoader.loadResult(
      data: Data(
        Self.head.replacingOccurrences(of: "2026-11-21", with: "2026-11-21T10:00:00Z").utf8),
      url: URL(fileURLWithPath: "/nonexistent/x.toml"), displayPath: "x")
    #expect(
      result.diagnostics.map(\.description) == [
        "x:3:20: error: publication_date: expected a date such as 2026-11-21 (a TOML date or a "
          + "\"YYYY-MM-DD\" string), found a date-time (2026-11-21T10:00:00Z)"
      ])
  }

  @Test func everyProblemIsReportedAtOnceInOrder() {
    let text = """
      title = 1
      upload_type = "nope"
      language = "xx"
      [[creators]]
      orcid = "1234"
      [zen-do]
      files = "all"
      """
    let result = MetadataLoader.loadResult(
      data: Data(text.utf8), url: URL(fileURLWithPath: "/nonexistent/x.toml"), displayPath: "x")
    let positions = result.diagnostics.map(\.position)
    #expect(positions == positions.sorted())
    #expect(result.diagnostics.filter(\.isError).count == 8)
    #expect(result.file == nil)
  }
}
