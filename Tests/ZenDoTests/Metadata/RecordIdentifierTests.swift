import Testing

@testable import ZenDo

/// The check characters of the identifiers the records API adds: ISNI, ROR, GND, ISSN.
@Suite struct RecordIdentifierTests {
  @Test(arguments: [
    ("0000 0001 2146 438X", true), ("000000012146438X", true), ("0000-0001-2146-438X", true),
    ("https://isni.org/isni/0000000351249044", true), ("0000 0001 2146 4381", false),
    ("0000000351249045", false),
  ])
  func isni(text: String, valid: Bool) throws {
    let digits = try #require(IdentifierRules.isniDigits(text))
    #expect(IdentifierRules.isValidORCIDChecksum(digits) == valid)
  }

  @Test(arguments: ["0000 0001 2146", "0000 0001 2146 438Y", "00000001 2146438X", "x"])
  func isniShape(text: String) {
    #expect(IdentifierRules.isniDigits(text) == nil)
  }

  @Test(arguments: [
    ("01ggx4157", true), ("https://ror.org/05a28rw58", true), ("00K4N6C32", true),
    ("01ggx4158", false), ("05a28rw85", false),
  ])
  func ror(text: String, valid: Bool) throws {
    let id = try #require(IdentifierRules.rorID(text))
    #expect(IdentifierRules.isValidRORChecksum(id) == valid)
  }

  @Test(arguments: ["11ggx4157", "0iggx4157", "01ggx415", "01ggx41a7", ""])
  func rorShape(text: String) {
    #expect(IdentifierRules.rorID(text) == nil)
  }

  @Test(arguments: [
    ("118540238", true), ("gnd:118540238", true), ("https://d-nb.info/gnd/118540238", true),
    ("4005728-8", true), ("118540239", false), ("4005728-9", false),
  ])
  func gnd(text: String, valid: Bool) throws {
    let number = try #require(IdentifierRules.gndNumber(text))
    #expect(IdentifierRules.isValidGNDChecksum(number) == valid)
  }

  @Test(arguments: ["4005728-88", "abc", "-1", "11854023A"])
  func gndShape(text: String) {
    #expect(IdentifierRules.gndNumber(text) == nil)
  }

  @Test(arguments: [
    ("0317-8471", true), ("2049-3630", true), ("0000-006X", true), ("0000-0061", false),
    ("0317-8472", false),
    ("03178471", false), ("0317-847", false),
  ])
  func issn(text: String, valid: Bool) {
    #expect(IdentifierRules.isValidISSN(text) == valid)
  }
}
