import Foundation

/// Identifier scheme detection and normalisation in the way of `idutils`, limited to the schemes
/// the records API allows for alternate and related identifiers (`docs/zenodo-rdm-api.md` §8.1).
enum Identifier {
  /// The schemes the records API accepts for `identifiers` and `related_identifiers`.
  static let schemes: Set<String> = [
    "ark", "arxiv", "ads", "crossreffunderid", "cstr", "doi", "ean13", "eissn", "grid", "handle",
    "igsn", "isbn", "isni", "issn", "istc", "lissn", "lsid", "pmid", "purl", "rrid", "upc", "url",
    "urn", "wikidata", "w3id", "other",
  ]

  private static func matches(_ pattern: String, _ text: String) -> Bool {
    text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) != nil
  }

  /// Tests in `idutils`' order; the first allowed scheme that matches wins.
  private static let tests: [(String, @Sendable (String) -> Bool)] = [
    ("ark", { matches(#"^ark:/[0-9bcdfghjkmnpqrstvwxz]+/.+$"#, $0) }),
    (
      "arxiv",
      {
        matches(#"^(arxiv:)?\d{4}\.\d{4,5}(v\d+)?$"#, $0)
          || matches(#"^(arxiv:)?[a-z-]+(\.[a-z]{2})?/\d{7}(v\d+)?$"#, $0)
      }
    ),
    ("ads", { matches(#"^(ads:)?\d{4}[a-z&.]{5}[\w.]{4}[a-z.][\d.]{4}[a-z]$"#, $0) }),
    ("doi", { doi($0) != nil }),
    ("ean13", { isEAN13($0) }),
    ("handle", { matches(#"^(hdl:\s*|(https?://)?hdl\.handle\.net/)[^/.]+(\.[^/.]+)*/.+$"#, $0) }),
    ("isbn", { isISBN($0) }),
    ("issn", { isISSN($0) }),
    ("isni", { isISNI($0) }),
    ("purl", { matches(#"^https?://purl\.(org|oclc\.org)/"#, $0) }),
    ("w3id", { matches(#"^https?://w3id\.org/"#, $0) }),
    ("pmid", { matches(#"^(pmid:)?\d+$"#, $0) }),
    (
      "wikidata", { matches(#"^(wikidata:|https?://www\.wikidata\.org/(wiki|entity)/)?Q\d+$"#, $0) }
    ),
    ("grid", { matches(#"^grid\.\d+\.[0-9a-f]+$"#, $0) }),
    ("rrid", { matches(#"^RRID:\S+$"#, $0) }),
    ("urn", { matches(#"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$"#, $0) }),
    ("url", { matches(#"^(https?|ftp)://[^\s/$.?#].[^\s]*$"#, $0) }),
    ("handle", { matches(#"^[^/.\s]+(\.[^/.\s]+)*/\S+$"#, $0) }),
  ]

  /// The normalised identifier and its detected scheme, or `nil` when no allowed scheme matches.
  static func detect(_ raw: String) -> (String, String)? {
    let value = raw.trimmingCharacters(in: .whitespaces)
    for (scheme, test) in tests where test(value) {
      return (normalise(value, scheme: scheme), scheme)
    }
    return nil
  }

  /// The identifier in the form `idutils.normalize_pid` gives for `scheme`.
  static func normalise(_ raw: String, scheme: String) -> String {
    let value = raw.trimmingCharacters(in: .whitespaces)
    switch scheme {
    case "doi": return doi(value) ?? value
    case "urn": return "urn:" + value.dropFirst(4)
    case "arxiv":
      let bare = value.lowercased().hasPrefix("arxiv:") ? String(value.dropFirst(6)) : value
      return "arXiv:" + bare
    case "ads": return value.lowercased().hasPrefix("ads:") ? String(value.dropFirst(4)) : value
    case "orcid", "isni":
      let digits = bareORCID(value).filter { $0.isNumber || $0 == "X" || $0 == "x" }.uppercased()
      guard digits.count == 16 else { return bareORCID(value) }
      let chars = Array(digits)
      return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(
        separator: "-")
    case "gnd": return value.hasPrefix("gnd:") ? value : "gnd:" + value
    case "pmid": return value.lowercased().hasPrefix("pmid:") ? String(value.dropFirst(5)) : value
    case "handle":
      for prefix in ["hdl:", "https://hdl.handle.net/", "http://hdl.handle.net/"]
      where value.lowercased().hasPrefix(prefix) {
        return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
      }
      return value
    case "wikidata":
      return value.range(of: #"Q\d+$"#, options: .regularExpression).map { String(value[$0]) }
        ?? value
    default: return value
    }
  }

  /// The bare DOI of `value` (`10.x/y`), from a bare, `doi:` or resolver form.
  static func doi(_ value: String) -> String? {
    var text = value
    for prefix in [
      "doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
    ]
    where text.lowercased().hasPrefix(prefix) {
      text = String(text.dropFirst(prefix.count))
      break
    }
    return matches(#"^10\.\d{4,}(\.\d+)*/\S+$"#, text) ? text : nil
  }

  static func isEAN13(_ value: String) -> Bool {
    let digits = value.compactMap(\.wholeNumberValue)
    guard value.count == 13, digits.count == 13 else { return false }
    let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
    return sum % 10 == 0
  }

  static func isISBN(_ value: String) -> Bool {
    let text = value.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: " ", with: "")
    if text.count == 13 { return isEAN13(text) && (text.hasPrefix("978") || text.hasPrefix("979")) }
    guard text.count == 10 else { return false }
    var sum = 0
    for (index, character) in text.enumerated() {
      let digit = character == "X" && index == 9 ? 10 : character.wholeNumberValue
      guard let digit else { return false }
      sum += digit * (10 - index)
    }
    return sum % 11 == 0
  }

  static func isISSN(_ value: String) -> Bool {
    guard matches(#"^\d{4}-?\d{3}[\dX]$"#, value) else { return false }
    let text = value.replacingOccurrences(of: "-", with: "").uppercased()
    var sum = 0
    for (index, character) in text.enumerated() {
      let digit = character == "X" ? 10 : character.wholeNumberValue ?? 0
      sum += digit * (8 - index)
    }
    return sum % 11 == 0
  }

  /// ISNI and ORCID share a shape: 16 digits (last may be X) with an ISO 7064 mod 11-2 check.
  static func isISNI(_ value: String) -> Bool {
    let bare = bareORCID(value)
    guard matches(#"^(\d{4}[- ]?){3}\d{3}[\dX]$"#, bare) else { return false }
    let digits = Array(bare.filter { $0.isNumber || $0 == "X" || $0 == "x" })
    var total = 0
    for character in digits.dropLast() { total = (total + (character.wholeNumberValue ?? 0)) * 2 }
    let check = (12 - total % 11) % 11
    let expected: Character = check == 10 ? "X" : Character(String(check))
    return digits.last.map { Character($0.uppercased()) } == expected
  }

  static func bareORCID(_ value: String) -> String {
    for prefix in ["https://orcid.org/", "http://orcid.org/", "orcid:"]
    where value.lowercased().hasPrefix(prefix) {
      return String(value.dropFirst(prefix.count))
    }
    return value
  }
}
