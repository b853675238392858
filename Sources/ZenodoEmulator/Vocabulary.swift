import Foundation

/// One vocabulary entry: its English title and tags (`depositable`, `linkable`).
struct VocabularyEntry: Sendable, Equatable {
  var title: String
  var tags: [String] = []
  /// Extra fields kept for dumps (licences: `description`, `icon`, `url`, `scheme`).
  var extra: [String: String] = [:]
}

/// The controlled vocabularies the emulator checks ids against.
///
/// The bundled set is `Resources/vocabularies.json`, built by `scripts/bundle-vocabularies` from
/// the fixtures zenodo.org loads (see `docs/zenodo-rdm-api.md`, "Vocabularies"). It is parsed on
/// first use, so that start-up stays fast. `--vocabulary FILE` adds entries in the same shape.
struct Vocabularies: Sendable {
  private var tables: [String: [String: VocabularyEntry]]

  /// The bundled vocabularies plus the entries of `extraFiles`.
  init(extraFiles: [String]) throws(EmulatorError) {
    tables = Self.bundled
    for path in extraFiles {
      guard let data = FileManager.default.contents(atPath: path),
        let object = JSON.parse(data)?.object
      else { throw EmulatorError.badVocabulary(path) }
      for (name, table) in Self.tables(object) {
        tables[name, default: [:]].merge(table) { _, new in new }
      }
    }
  }

  /// The entry `id` of vocabulary `name`, if it exists.
  func entry(_ name: String, _ id: String) -> VocabularyEntry? {
    if let entry = tables[name]?[id] { return entry }
    switch name {
    case "affiliations", "funders":
      return ROR.isValid(id) ? VocabularyEntry(title: "") : nil
    case "awards":
      let parts = id.components(separatedBy: "::")
      return parts.count == 2 && ROR.isValid(parts[0]) && !parts[1].isEmpty
        ? VocabularyEntry(title: "") : nil
    default:
      return nil
    }
  }

  /// ISO 639-3 ids by their ISO 639-1 code, from the bundled languages.
  static let alpha3: [String: String] = {
    var table: [String: String] = [:]
    for (id, entry) in bundled["languages"] ?? [:] {
      if let code = entry.extra["alpha_2"], !code.isEmpty { table[code] = id }
    }
    return table
  }()

  private static let bundled: [String: [String: VocabularyEntry]] = {
    guard let url = Bundle.module.url(forResource: "vocabularies", withExtension: "json"),
      let data = try? Data(contentsOf: url), let object = JSON.parse(data)?.object
    else { return [:] }
    return tables(object)
  }()

  private static func tables(_ object: [String: JSON]) -> [String: [String: VocabularyEntry]] {
    var out: [String: [String: VocabularyEntry]] = [:]
    for (name, table) in object {
      var entries: [String: VocabularyEntry] = [:]
      for (id, value) in table.object ?? [:] {
        var entry = VocabularyEntry(
          title: value["title"]?.string ?? "",
          tags: (value["tags"]?.array ?? []).compactMap(\.string))
        for (key, field) in value.object ?? [:] where key != "title" && key != "tags" {
          if let text = field.string { entry.extra[key] = text }
          for (inner, member) in field.object ?? [:] {
            if let text = member.string { entry.extra[inner] = text }
          }
        }
        entries[id] = entry
      }
      out[name] = entries
    }
    return out
  }
}

/// ROR identifiers: `0` + six Crockford base-32 digits + a two-digit ISO 7064 mod 97-10 checksum.
enum ROR {
  static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

  /// Whether `id` is a well-formed ROR id whose checksum matches.
  static func isValid(_ id: String) -> Bool {
    let characters = Array(id.lowercased())
    guard characters.count == 9, characters[0] == "0",
      let checksum = Int(String(characters[7...8]))
    else { return false }
    var number = 0
    for character in characters[1...6] {
      guard let digit = alphabet.firstIndex(of: character) else { return false }
      number = number * 32 + digit
    }
    return 98 - ((number * 100) % 97) == checksum
  }
}
