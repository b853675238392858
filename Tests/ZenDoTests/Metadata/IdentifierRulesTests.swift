import TOML
import Testing

@testable import ZenDo

@Suite struct IdentifierRulesTests {
  @Test(arguments: [
    ("urn:zenodo:a", true), ("urn:zenodo:owner:repo:paper", true), ("urn:zenodo", false),
    ("urn:zenodo:", false), ("urn:zenodo:a:", false), ("urn:zenodo:a/b", false),
    ("urn:zenodo:a b", false), ("urn:zenodo::a", false), ("urn:zenodoa:b", false),
    ("URN:zenodo:a", false),
  ])
  func zenodoURN(text: String, valid: Bool) {
    #expect(DepositIdentity.isValid(text) == valid)
  }

  @Test(arguments: [
    ("0000-0002-1825-0097", true), ("https://orcid.org/0000-0002-1825-0097", true),
    ("0000-0001-5109-3700", true), ("0000-0002-1694-233X", true),
    ("0000-0002-1825-0098", false), ("0000-0002-1694-2339", false),
  ])
  func orcidChecksum(text: String, valid: Bool) throws {
    let digits = try #require(IdentifierRules.orcidDigits(text))
    #expect(IdentifierRules.isValidORCIDChecksum(digits) == valid)
  }

  @Test(arguments: [
    "0000000218250097", "0000-0002-1825-009", "0000-0002-1825-00977", "0000_0002_1825_0097",
    "orcid.org/0000-0002-1825-0097x", "0000-0002-1825-009Y",
  ])
  func orcidShape(text: String) {
    #expect(IdentifierRules.orcidDigits(text) == nil)
  }

  @Test func orcidCheckCharacter() {
    #expect(IdentifierRules.orcidCheckCharacter("000000021825009") == "7")
    #expect(IdentifierRules.orcidCheckCharacter("000000021694233") == "X")
  }

  @Test(arguments: [
    ("2026-11-21", true), ("2024-02-29", true), ("2000-02-29", true), ("1900-02-29", false),
    ("2026-02-29", false), ("2026-04-31", false), ("2026-13-01", false), ("2026-00-10", false),
    ("2026-1-01", false), ("26-01-01", false), ("2026-01-01T00:00", false), ("today", false),
  ])
  func dates(text: String, valid: Bool) {
    #expect((IdentifierRules.parseDate(text) != nil) == valid)
  }

  @Test(arguments: [
    ("10.5281/zenodo.1234", true), ("10.1038/s41588-018-0110-3", true),
    ("https://doi.org/10.5281/zenodo.1234", false), ("10.5281", false), ("10./x", false),
    ("10.5281/a b", false),
  ])
  func dois(text: String, valid: Bool) {
    #expect(IdentifierRules.isDOI(text) == valid)
  }

  @Test func languageCodes() {
    for code in ["en", "de", "eng", "deu", "ger", "fra", "fre", "gsw", "qaa", "zxx"] {
      #expect(Vocabulary.isLanguageCode(code), "\(code)")
    }
    for code in ["EN", "english", "xx", "e", "zzz", "en-GB"] {
      #expect(!Vocabulary.isLanguageCode(code), "\(code)")
    }
  }

  @Test func resourceTypesIncludeSubtypes() {
    #expect(Vocabulary.resourceTypes.contains("publication-article"))
    #expect(Vocabulary.resourceTypes.contains("image-photo"))
    #expect(Vocabulary.resourceTypes.contains("software"))
    #expect(!Vocabulary.resourceTypes.contains("software-code"))
  }
}
