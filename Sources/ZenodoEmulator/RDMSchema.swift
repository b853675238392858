import Foundation

/// Collects field errors while a record body is loaded.
struct ErrorList {
  private(set) var items: [FieldError] = []

  mutating func add(_ field: String, _ message: String) {
    if let index = items.firstIndex(where: { $0.field == field }) {
      if !items[index].messages.contains(message) { items[index].messages.append(message) }
    } else {
      items.append(FieldError(field: field, messages: [message]))
    }
  }

  /// Adds an entry of its own, as components report errors (not merged with the field's others).
  mutating func addEntry(_ field: String, _ message: String) {
    items.append(FieldError(field: field, messages: [message]))
  }

  mutating func append(contentsOf other: ErrorList) {
    for item in other.items { for message in item.messages { add(item.field, message) } }
  }
}

/// The records API's metadata schema (`docs/zenodo-rdm-api.md` §8): a lax load that keeps what
/// is valid and reports the rest, then the vocabulary checks that fail the whole request.
enum RDMSchema {
  static let missing = "Missing data for required field."
  static let unknown = "Unknown field."
  static let invalidType = "Invalid input type."

  typealias FieldLoader = @Sendable (JSON, String, inout ErrorList) -> JSON?

  static let loaders: [String: FieldLoader] = [
    "resource_type": { value, path, errors in idObject(value, path, &errors) },
    "title": { value, path, errors in text(value, path, &errors, minimum: 3) },
    "additional_titles": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        typedText(item, path, &errors, key: "title", minimum: 3)
      }
    },
    "publication_date": { value, path, errors in edtf(value, path, &errors) },
    "creators": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        Person.creator(item, path, &errors, roleRequired: false)
      }
    },
    "contributors": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        Person.creator(item, path, &errors, roleRequired: true)
      }
    },
    "description": { value, path, errors in text(value, path, &errors, minimum: 3) },
    "additional_descriptions": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        typedText(item, path, &errors, key: "description", minimum: 3)
      }
    },
    "rights": { value, path, errors in list(value, path, &errors, item: right) },
    "subjects": { value, path, errors in list(value, path, &errors, item: subject) },
    "languages": { value, path, errors in
      list(value, path, &errors) { item, path, errors in idObject(item, path, &errors) }
    },
    "dates": { value, path, errors in list(value, path, &errors, item: date) },
    "version": { value, path, errors in text(value, path, &errors, minimum: 0) },
    "publisher": { value, path, errors in text(value, path, &errors, minimum: 0) },
    "copyright": { value, path, errors in text(value, path, &errors, minimum: 1) },
    "identifiers": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        identifier(item, path, &errors, related: false)
      }
    },
    "related_identifiers": { value, path, errors in
      list(value, path, &errors) { item, path, errors in
        identifier(item, path, &errors, related: true)
      }
    },
    "sizes": { value, path, errors in
      list(value, path, &errors) { item, path, errors in text(item, path, &errors, minimum: 1) }
    },
    "formats": { value, path, errors in
      list(value, path, &errors) { item, path, errors in text(item, path, &errors, minimum: 1) }
    },
    "locations": { value, path, errors in locations(value, path, &errors) },
    "funding": { value, path, errors in list(value, path, &errors, item: funding) },
    "references": { value, path, errors in list(value, path, &errors, item: reference) },
  ]

  /// Loads `metadata` laxly: valid fields are kept, invalid ones are dropped into `errors`.
  static func loadMetadata(_ input: JSON?, errors: inout ErrorList) -> [String: JSON] {
    guard let input, input != .null else { return [:] }
    guard let object = input.object else {
      errors.add("metadata", invalidType)
      return [:]
    }
    var out: [String: JSON] = [:]
    for (key, value) in object {
      let path = "metadata." + key
      guard let loader = loaders[key] else {
        errors.add(path, unknown)
        continue
      }
      if let loaded = loader(value, path, &errors) { out[key] = loaded }
    }
    if case .object(var type)? = out["resource_type"], type["id"]?.string == "publication-thesis" {
      type["id"] = .string("publication-dissertation")
      out["resource_type"] = .object(type)
    }
    return out
  }

  /// The schema run strictly at publish: what a lax save kept but is invalid, and the required
  /// fields.
  static func requiredErrors(_ metadata: [String: JSON]) -> ErrorList {
    var errors = ErrorList()
    _ = loadMetadata(.object(metadata), errors: &errors)
    for key in ["resource_type", "title", "publication_date"] where metadata[key] == nil {
      errors.add("metadata." + key, missing)
    }
    if (metadata["creators"]?.array ?? []).isEmpty {
      errors.add("metadata.creators", missing)
    }
    return errors
  }

  // MARK: Field shapes

  static func text(_ value: JSON, _ path: String, _ errors: inout ErrorList, minimum: Int)
    -> JSON?
  {
    guard let string = value.string else {
      errors.add(path, "Not a valid string.")
      return nil
    }
    let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.count < minimum {
      errors.add(path, "Shorter than minimum length \(minimum).")
      return nil
    }
    return .string(trimmed)
  }

  static func idObject(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let object = value.object else {
      errors.add(path, invalidType)
      return nil
    }
    guard let id = object["id"]?.string, !id.isEmpty else {
      errors.add(path + ".id", missing)
      return nil
    }
    return .object(["id": .string(id)])
  }

  static func list(
    _ value: JSON, _ path: String, _ errors: inout ErrorList, item: FieldLoader
  ) -> JSON? {
    guard let array = value.array else {
      errors.add(path, "Not a valid list.")
      return nil
    }
    var kept: [JSON] = []
    for (index, element) in array.enumerated() {
      if let loaded = item(element, "\(path).\(index)", &errors) { kept.append(loaded) }
    }
    return .array(kept)
  }

  /// Checks that an object has only `allowed` keys, reporting the others as unknown.
  static func members(
    _ value: JSON, _ path: String, _ errors: inout ErrorList, allowed: Set<String>
  ) -> [String: JSON]? {
    guard let object = value.object else {
      errors.add(path, invalidType)
      return nil
    }
    var ok = true
    for key in object.keys where !allowed.contains(key) {
      errors.add("\(path).\(key)", unknown)
      ok = false
    }
    return ok ? object : nil
  }

  static func typedText(
    _ value: JSON, _ path: String, _ errors: inout ErrorList, key: String, minimum: Int
  ) -> JSON? {
    guard let object = members(value, path, &errors, allowed: [key, "type", "lang"]) else {
      return nil
    }
    var out: [String: JSON] = [:]
    guard let text = object[key].flatMap({ text($0, "\(path).\(key)", &errors, minimum: minimum) })
    else {
      if object[key] == nil { errors.add("\(path).\(key)", missing) }
      return nil
    }
    out[key] = text
    guard let type = object["type"].flatMap({ idObject($0, "\(path).type", &errors) }) else {
      if object["type"] == nil { errors.add("\(path).type", missing) }
      return nil
    }
    out["type"] = type
    if let lang = object["lang"] {
      guard let loaded = idObject(lang, "\(path).lang", &errors) else { return nil }
      out["lang"] = loaded
    }
    return .object(out)
  }

  static func edtf(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let string = value.string, EDTF.isValid(string) else {
      errors.add(path, "Please provide a valid date or interval.")
      return nil
    }
    return .string(string)
  }

  static func right(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard
      let object = members(
        value, path, &errors, allowed: ["id", "title", "description", "link", "icon", "props"])
    else { return nil }
    let hasID = object["id"] != nil
    let hasText = object["title"] != nil || object["description"] != nil || object["link"] != nil
    if hasID == hasText {
      errors.add(
        path,
        "Only an existing id or free text title/description/link is accepted, but not both cases at the same time"
      )
      return nil
    }
    if let id = object["id"] {
      guard let id = id.string else {
        errors.add(path + ".id", "Not a valid string.")
        return nil
      }
      return .object(["id": .string(id)])
    }
    var out: [String: JSON] = [:]
    for key in ["title", "description"] {
      guard let field = object[key] else { continue }
      guard let locales = field.object, locales.count == 1, locales.values.first?.string != nil
      else {
        errors.add("\(path).\(key)", invalidType)
        return nil
      }
      out[key] = field
    }
    if let link = object["link"] {
      guard let url = link.string, url.hasPrefix("http://") || url.hasPrefix("https://") else {
        errors.add(path + ".link", "Not a valid URL.")
        return nil
      }
      out["link"] = .string(url)
    }
    return .object(out)
  }

  static func subject(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let object = members(value, path, &errors, allowed: ["id", "subject", "scheme"]) else {
      return nil
    }
    if let id = object["id"]?.string { return .object(["id": .string(id)]) }
    guard let text = object["subject"]?.string, !text.isEmpty else {
      errors.add(path, "An existing id or a free text subject must be present.")
      return nil
    }
    return .object(["subject": .string(text)])
  }

  static func date(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let object = members(value, path, &errors, allowed: ["date", "type", "description"])
    else { return nil }
    guard let date = object["date"] else {
      errors.add(path + ".date", missing)
      return nil
    }
    guard let loaded = edtf(date, path + ".date", &errors) else { return nil }
    guard let type = object["type"].flatMap({ idObject($0, path + ".type", &errors) }) else {
      if object["type"] == nil { errors.add(path + ".type", missing) }
      return nil
    }
    var out: [String: JSON] = ["date": loaded, "type": type]
    if let description = object["description"]?.string { out["description"] = .string(description) }
    return .object(out)
  }

  static func identifier(
    _ value: JSON, _ path: String, _ errors: inout ErrorList, related: Bool
  ) -> JSON? {
    let allowed: Set<String> =
      related
      ? ["identifier", "scheme", "relation_type", "resource_type"] : ["identifier", "scheme"]
    guard let object = members(value, path, &errors, allowed: allowed) else { return nil }
    guard let raw = object["identifier"]?.string, !raw.isEmpty else {
      errors.add(path + ".identifier", missing)
      return nil
    }
    var out: [String: JSON] = [:]
    if let scheme = object["scheme"]?.string {
      guard Identifier.schemes.contains(scheme) else {
        errors.add(path + ".scheme", "Invalid scheme.")
        return nil
      }
      out["identifier"] = .string(Identifier.normalise(raw, scheme: scheme))
      out["scheme"] = .string(scheme)
    } else if let detected = Identifier.detect(raw) {
      out["identifier"] = .string(detected.0)
      out["scheme"] = .string(detected.1)
    } else {
      errors.add(path + ".scheme", "Missing or invalid scheme.")
      return nil
    }
    if related {
      guard let relation = object["relation_type"] else {
        errors.add(path + ".relation_type", missing)
        return nil
      }
      guard let loaded = idObject(relation, path + ".relation_type", &errors) else { return nil }
      out["relation_type"] = loaded
      if let type = object["resource_type"] {
        guard let loaded = idObject(type, path + ".resource_type", &errors) else { return nil }
        out["resource_type"] = loaded
      }
    }
    return .object(out)
  }

  static func locations(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let object = members(value, path, &errors, allowed: ["features"]),
      let features = object["features"]?.array
    else {
      if value.object != nil { errors.add(path + ".features", missing) }
      return nil
    }
    var kept: [JSON] = []
    for (index, feature) in features.enumerated() {
      let itemPath = "\(path).features.\(index)"
      guard
        let members = members(
          feature, itemPath, &errors, allowed: ["geometry", "place", "identifiers", "description"]),
        !members.isEmpty
      else {
        if feature.object?.isEmpty == true {
          errors.add(
            itemPath,
            "At least one of ['geometry', 'place', 'identifiers', 'description'] shold be present.")
        }
        continue
      }
      kept.append(feature)
    }
    return .object(["features": .array(kept)])
  }

  static func funding(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let object = members(value, path, &errors, allowed: ["funder", "award"]) else {
      return nil
    }
    guard let funder = object["funder"]?.object else {
      errors.add(path + ".funder", missing)
      return nil
    }
    var out: [String: JSON] = [:]
    if let id = funder["id"]?.string {
      out["funder"] = .object(["id": .string(id)])
    } else if let name = funder["name"]?.string {
      out["funder"] = .object(["name": .string(name)])
    } else {
      errors.add(path + ".funder", "An existing id or a free text name must be present.")
      return nil
    }
    if let award = object["award"]?.object {
      if let id = award["id"]?.string {
        out["award"] = .object(["id": .string(id)])
      } else if award["number"] != nil || award["title"] != nil {
        out["award"] = .object(award)
      } else {
        errors.add(path + ".award", "An existing id or either number or title must be present.")
        return nil
      }
    }
    return .object(out)
  }

  static func reference(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard
      let object = members(value, path, &errors, allowed: ["reference", "identifier", "scheme"])
    else { return nil }
    guard let text = object["reference"]?.string, !text.isEmpty else {
      errors.add(path + ".reference", missing)
      return nil
    }
    return .object(object.merging(["reference": .string(text)]) { _, new in new })
  }
}

/// EDTF level 0 dates and intervals, as the records schema accepts them.
enum EDTF {
  /// Whether `text` is `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an ordered interval of two of them.
  static func isValid(_ text: String) -> Bool {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if parts.count == 1 { return date(parts[0]) != nil }
    guard parts.count == 2, let start = date(parts[0]), let end = date(parts[1]) else {
      return false
    }
    return !end.lexicographicallyPrecedes(start)
  }

  /// The date as a sortable triple, missing month and day counted as 0.
  static func date(_ text: String) -> [Int]? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]) else {
      return nil
    }
    var out = [year, 0, 0]
    if parts.count >= 2 {
      guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else {
        return nil
      }
      out[1] = month
    }
    if parts.count == 3 {
      guard parts[2].count == 2, let day = Int(parts[2]), day >= 1 else { return nil }
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
      guard day <= days[out[1] - 1] else { return nil }
      out[2] = day
    }
    return out
  }
}
