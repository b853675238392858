/// One top-level metadata field whose local and remote values differ.
public struct FieldDifference: Sendable, Equatable {
  /// The metadata key.
  public var key: String
  /// What the `.zenodo.toml` says (nil: not set).
  public var local: JSONValue?
  /// What Zenodo holds (nil: not set).
  public var remote: JSONValue?

  /// Creates a difference.
  public init(key: String, local: JSONValue?, remote: JSONValue?) {
    self.key = key
    self.local = local
    self.remote = remote
  }
}

/// Compares metadata the way Zenodo stores it (zenodo-api.md §7), so that what Zenodo reads
/// back for an unchanged file compares equal to the file and causes no write.
public enum MetadataComparison {
  /// Keys Zenodo outputs but never takes as input.
  static let outputOnly: Set<String> = ["prereserve_doi"]

  /// Keys Zenodo fills in when the input leaves them out (defaults, output-only values):
  /// absent locally means "whatever Zenodo has".
  static let filledByZenodo: Set<String> = [
    "publication_date", "imprint_publisher", "license", "access_right", "doi", "communities",
    "custom",
  ]

  /// The fields that differ, in the order of the local metadata, then remote-only keys.
  public static func differences(local: JSONObject, remote: JSONObject) -> [FieldDifference] {
    let localNormal = normalize(local)
    let remoteNormal = normalize(remote)
    var keys = localNormal.keys
    for key in remoteNormal.keys where !keys.contains(key) { keys.append(key) }
    var result: [FieldDifference] = []
    for key in keys where !outputOnly.contains(key) {
      let mine = localNormal[key]
      let theirs = remoteNormal[key]
      if mine == nil, filledByZenodo.contains(key) { continue }
      if mine != theirs {
        result.append(FieldDifference(key: key, local: local[key], remote: remote[key]))
      }
    }
    return result
  }

  /// The metadata in the form Zenodo reads it back: empty values dropped, numbers by value,
  /// license ids canonical, `closed` as `restricted`, thesis supervisors inside contributors,
  /// 2-letter languages as 3-letter codes, related identifiers without the detected scheme.
  public static func normalize(_ metadata: JSONObject) -> JSONObject {
    var object = JSONObject()
    for member in metadata {
      if let value = pruned(member.value) { object[member.key] = value }
    }
    if let license = object["license"] {
      let id = license.objectValue?["id"]?.stringValue ?? license.stringValue
      if let id { object["license"] = .string(canonicalLicense(id)) }
    }
    if object["access_right"]?.stringValue == "closed" {
      object["access_right"] = .string("restricted")
    }
    if let supervisors = object["thesis_supervisors"]?.arrayValue {
      var contributors = object["contributors"]?.arrayValue ?? []
      for supervisor in supervisors {
        guard var person = supervisor.objectValue else { continue }
        person["type"] = .string("Supervisor")
        contributors.append(.object(person))
      }
      object["thesis_supervisors"] = nil
      object["contributors"] = .array(contributors)
    }
    if let language = object["language"]?.stringValue {
      object["language"] = .string(threeLetterLanguage(language))
    }
    if let related = object["related_identifiers"]?.arrayValue {
      object["related_identifiers"] = .array(
        related.map { item in
          guard var entry = item.objectValue else { return item }
          entry["scheme"] = nil
          if let identifier = entry["identifier"]?.stringValue {
            entry["identifier"] = .string(DepositIdentity.normalised(identifier))
          }
          if let relation = entry["relation"]?.stringValue {
            entry["relation"] = .string(relation.lowercased())
          }
          return .object(entry)
        })
    }
    if let grants = object["grants"]?.arrayValue {
      object["grants"] = .array(
        grants.map { item in
          guard var grant = item.objectValue, let id = grant["id"]?.stringValue else { return item }
          // A bare grant id means an EC FP7 grant; Zenodo reads it back with the funder DOI.
          if !id.contains("::") { grant["id"] = .string("10.13039/501100000780::" + id) }
          return .object(grant)
        })
    }
    return object
  }

  /// Drops nulls and empty strings, arrays and objects; strings compare without the white
  /// space at their ends, which Zenodo trims on save (its schema's strings are marshmallow-utils'
  /// trimmed strings: a description ending in a newline reads back without it); numbers compare
  /// by value.
  static func pruned(_ value: JSONValue) -> JSONValue? {
    switch value {
    case .null: return nil
    case .string(let text):
      let trimmed = text.trimmed
      return trimmed.isEmpty ? nil : .string(trimmed)
    case .number(let number):
      return .number(
        JSONNumber(text: number.int64Value.map(String.init) ?? "\(number.doubleValue)"))
    case .bool: return value
    case .array(let items):
      let kept = items.compactMap(pruned)
      return kept.isEmpty ? nil : .array(kept)
    case .object(let object):
      var kept = JSONObject()
      for member in object {
        if let inner = pruned(member.value) { kept[member.key] = inner }
      }
      return kept.isEmpty ? nil : .object(kept)
    }
  }

  /// The RDM license id for a legacy id or alias, lower-cased (zenodo-api.md §7.4).
  public static func canonicalLicense(_ id: String) -> String {
    let lowered = id.lowercased()
    let aliases: [String: String] = [
      "cc-by": "cc-by-4.0", "cc-by-sa": "cc-by-sa-4.0", "cc-by-nd": "cc-by-nd-4.0",
      "cc-by-nc": "cc-by-nc-4.0", "cc-zero": "cc0-1.0", "cc0": "cc0-1.0",
      "mit-license": "mit", "apache": "apache-2.0", "apache2.0": "apache-2.0",
      "apache-2": "apache-2.0", "gpl-3.0": "gpl-3.0-only", "gpl-2.0": "gpl-2.0-only",
      "lgpl-3.0": "lgpl-3.0-only", "agpl-3.0": "agpl-3.0-only",
    ]
    return aliases[lowered] ?? lowered
  }

  /// The ISO 639-3 code Zenodo reads back for an ISO 639-1 code (common ones); other values
  /// are returned lower-cased.
  public static func threeLetterLanguage(_ code: String) -> String {
    let lowered = code.lowercased()
    let map: [String: String] = [
      "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
      "da": "dan", "sv": "swe", "no": "nor", "nb": "nob", "nn": "nno", "fi": "fin", "pl": "pol",
      "cs": "ces", "sk": "slk", "hu": "hun", "ro": "ron", "el": "ell", "tr": "tur", "ru": "rus",
      "uk": "ukr", "zh": "zho", "ja": "jpn", "ko": "kor", "ar": "ara", "he": "heb", "hi": "hin",
      "is": "isl", "et": "est", "lv": "lav", "lt": "lit", "sl": "slv", "hr": "hrv", "sr": "srp",
      "bg": "bul", "ca": "cat", "eu": "eus", "gl": "glg", "ga": "gle", "cy": "cym", "la": "lat",
    ]
    return map[lowered] ?? lowered
  }
}
