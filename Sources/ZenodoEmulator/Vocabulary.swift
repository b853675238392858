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
/// The bundled set is `Resources/vocabularies/NAME.json`, built by `scripts/bundle-vocabularies`
/// from the fixtures zenodo.org loads (see `docs/emulator.md`, "Vocabularies"). Each file is parsed
/// the first time one of its ids is looked up, so that start-up stays fast. `--vocabulary FILE`
/// adds entries in the same shape, under the vocabulary's name.
struct Vocabularies: Sendable {
  private var extra: [String: [String: VocabularyEntry]] = [:]

  /// The bundled vocabularies plus the entries of `extraFiles`.
  init(extraFiles: [String]) throws(EmulatorError) {
    for path in extraFiles {
      guard let data = FileManager.default.contents(atPath: path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { throw EmulatorError.badVocabulary(path) }
      for (name, table) in object {
        guard let table = table as? [String: Any] else { throw EmulatorError.badVocabulary(path) }
        extra[name, default: [:]].merge(Self.entries(table)) { _, new in new }
      }
    }
  }

  /// The entry `id` of vocabulary `name`, if it exists.
  func entry(_ name: String, _ id: String) -> VocabularyEntry? {
    if let entry = extra[name]?[id] ?? Self.bundled(name)[id] { return entry }
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
    for (id, entry) in bundled("languages") {
      if let code = entry.extra["alpha_2"], !code.isEmpty { table[code] = id }
    }
    return table
  }()

  private static let cache = Locked<[String: [String: VocabularyEntry]]>([:])

  /// One bundled vocabulary, parsed on first use.
  static func bundled(_ name: String) -> [String: VocabularyEntry] {
    if let table = cache.withLock({ $0[name] }) { return table }
    var table: [String: VocabularyEntry] = [:]
    if let url = Bundle.module.url(
      forResource: name, withExtension: "json", subdirectory: "vocabularies"),
      let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    {
      table = entries(object)
    }
    cache.withLock { $0[name] = table }
    return table
  }

  private static func entries(_ object: [String: Any]) -> [String: VocabularyEntry] {
    var entries: [String: VocabularyEntry] = [:]
    for (id, value) in object {
      let members = value as? [String: Any] ?? [:]
      var entry = VocabularyEntry(
        title: members["title"] as? String ?? "", tags: members["tags"] as? [String] ?? [])
      for (key, field) in members where key != "title" && key != "tags" {
        if let text = field as? String { entry.extra[key] = text }
        for (inner, member) in field as? [String: Any] ?? [:] {
          if let text = member as? String { entry.extra[inner] = text }
        }
      }
      entries[id] = entry
    }
    return entries
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
