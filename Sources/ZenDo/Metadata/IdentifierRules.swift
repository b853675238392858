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

extension IdentifierRules {
  /// The 16 characters of an ISNI, or nil when the shape is wrong.
  ///
  /// Accepted: `0000 0003 5124 9044`, `0000000351249044`, with dashes, or as
  /// `https://isni.org/isni/...`. The check character is not checked here: see
  /// ``isValidORCIDChecksum(_:)``, which ISNI shares (ISO 7064 mod 11-2).
  public static func isniDigits(_ text: String) -> String? {
    var bare = Substring(text.trimmingCharacters(in: .whitespaces))
    for prefix in ["https://isni.org/isni/", "http://isni.org/isni/", "isni:"]
    where bare.lowercased().hasPrefix(prefix) {
      bare = bare.dropFirst(prefix.count)
    }
    let groups = bare.split(whereSeparator: { $0 == " " || $0 == "-" })
    let digits = groups.joined()
    guard groups.count == 1 || groups.count == 4, digits.count == 16 else { return nil }
    for (index, character) in digits.enumerated() {
      let ok =
        character.isASCII && (character.isNumber || (index == 15 && character == "X"))
      guard ok else { return nil }
    }
    return String(digits)
  }

  /// The bare ROR id of `text` (`05a28rw58`, also from `https://ror.org/05a28rw58`), lower-cased,
  /// when it has the shape `0` + six Crockford base-32 characters + two check digits; nil
  /// otherwise.
  public static func rorID(_ text: String) -> String? {
    var bare = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
    for prefix in ["https://ror.org/", "http://ror.org/"] where bare.hasPrefix(prefix) {
      bare = bare.dropFirst(prefix.count)
    }
    let characters = Array(bare)
    guard characters.count == 9, characters[0] == "0",
      characters[1...6].allSatisfy({ rorAlphabet.contains($0) }),
      characters[7...8].allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return String(bare)
  }

  /// The two check digits a ROR id should end in (ISO 7064 mod 97-10 over the base-32 number).
  public static func rorCheckDigits(_ id: String) -> String {
    var number = 0
    for character in Array(id)[1...6] {
      number = number * 32 + (rorAlphabet.firstIndex(of: character) ?? 0)
    }
    let check = 98 - (number * 100) % 97
    return check < 10 ? "0\(check)" : String(check)
  }

  /// Whether a ROR id from ``rorID(_:)`` ends in the right check digits.
  public static func isValidRORChecksum(_ id: String) -> Bool {
    id.count == 9 && rorCheckDigits(id) == String(id.suffix(2))
  }

  private static let rorAlphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

  /// The bare GND number of `text` (`118540238`, `4005728-8`, also with a `gnd:` or
  /// `https://d-nb.info/gnd/` prefix), without its hyphen; nil when the shape is wrong.
  public static func gndNumber(_ text: String) -> String? {
    var bare = Substring(text.trimmingCharacters(in: .whitespaces))
    for prefix in ["https://d-nb.info/gnd/", "http://d-nb.info/gnd/", "gnd:"]
    where bare.lowercased().hasPrefix(prefix) {
      bare = bare.dropFirst(prefix.count)
    }
    let parts = bare.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    if parts.count == 2, parts[1].count != 1 { return nil }
    let number = parts.joined()
    guard (2...11).contains(number.count),
      number.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
      let last = number.last, last.isASCII, last.isNumber || last == "X"
    else { return nil }
    return String(number)
  }

  /// Whether a GND number from ``gndNumber(_:)`` has a right check character.
  ///
  /// The GND keeps
  /// numbers from two sources with two methods (weights 2, 3, 4, … from the right, modulo 11):
  /// the check is `(11 − sum mod 11) mod 11` for person numbers and `sum mod 11` for the former
  /// subject and corporate-body files; either is accepted, 10 written `X`.
  public static func isValidGNDChecksum(_ number: String) -> Bool {
    guard let last = number.last else { return false }
    let check = last == "X" ? 10 : last.wholeNumberValue ?? -1
    var sum = 0
    for (offset, character) in number.dropLast().reversed().enumerated() {
      sum += (character.wholeNumberValue ?? 0) * (offset + 2)
    }
    let remainder = sum % 11
    return check == (11 - remainder) % 11 || check == remainder
  }

  /// Whether `text` is an ISSN (`1234-5679`) with a right check character (weights 8 … 2,
  /// modulo 11, 10 written `X`).
  public static func isValidISSN(_ text: String) -> Bool {
    let characters = Array(text)
    guard characters.count == 9, characters[4] == "-" else { return false }
    let digits = Array(characters[0...3] + characters[5...8])
    var sum = 0
    for (index, character) in digits.enumerated() {
      guard character.isASCII else { return false }
      let value: Int
      if index == 7, character == "X" {
        value = 10
      } else if let digit = character.wholeNumberValue {
        value = digit
      } else {
        return false
      }
      sum += value * (8 - index)
    }
    return sum % 11 == 0
  }
}
