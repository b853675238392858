import TOML

/// Checks of identifier and date formats used by the metadata validation.
public enum IdentifierRules {
  /// The 16-character ORCID iD in `text` (`0000-0002-1825-0097`), accepting the bare form and
  /// the `https://orcid.org/` (or `http://`) form; nil when the shape is wrong.
  ///
  /// The check digit
  /// is not checked here: see ``isValidORCIDChecksum(_:)``.
  public static func orcidDigits(_ text: String) -> String? {
    var bare = Substring(text)
    for prefix in ["https://orcid.org/", "http://orcid.org/"] where bare.hasPrefix(prefix) {
      bare = bare.dropFirst(prefix.count)
    }
    let characters = Array(bare)
    guard characters.count == 19 else { return nil }
    var digits = ""
    for (index, character) in characters.enumerated() {
      if index % 5 == 4 {
        guard character == "-" else { return nil }
      } else if index == 18 {
        guard character.isASCII && (character.isNumber || character == "X") else { return nil }
        digits.append(character)
      } else {
        guard character.isASCII && character.isNumber else { return nil }
        digits.append(character)
      }
    }
    return digits
  }

  /// The ISO 7064 11,2 check character for the first 15 digits of an ORCID iD.
  public static func orcidCheckCharacter(_ first15: some Sequence<Character>) -> Character {
    var total = 0
    for character in first15 {
      total = (total + (character.wholeNumberValue ?? 0)) * 2
    }
    let result = (12 - total % 11) % 11
    return result == 10 ? "X" : Character(String(result))
  }

  /// Whether the 16 characters from ``orcidDigits(_:)`` end in the right check character.
  public static func isValidORCIDChecksum(_ digits: String) -> Bool {
    guard digits.count == 16, let last = digits.last else { return false }
    return orcidCheckCharacter(digits.prefix(15)) == last
  }

  /// The date in a `YYYY-MM-DD` string, when it is one and a real calendar date.
  public static func parseDate(_ text: String) -> TOMLDate? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    let date = TOMLDate(year: year, month: month, day: day)
    return isRealDate(date) ? date : nil
  }

  /// Whether a date exists in the proleptic Gregorian calendar (no 2026-02-30).
  public static func isRealDate(_ date: TOMLDate) -> Bool {
    guard (1...12).contains(date.month), date.day >= 1 else { return false }
    let leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return date.day <= lengths[date.month - 1]
  }

  /// Whether `text` looks like a bare DOI (`10.<registrant>/<suffix>`).
  public static func isDOI(_ text: String) -> Bool {
    guard text.hasPrefix("10."), let slash = text.firstIndex(of: "/") else { return false }
    let registrant = text[text.index(text.startIndex, offsetBy: 3)..<slash]
    let suffix = text[text.index(after: slash)...]
    return !registrant.isEmpty && registrant.allSatisfy { $0.isNumber || $0 == "." }
      && !suffix.isEmpty && !suffix.contains(where: \.isWhitespace)
  }
}
