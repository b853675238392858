import Foundation

/// The vocabulary-backed ids of a record: checked when a draft is saved (a failure is a 400 and
/// nothing is saved) and dereferenced (titles, names) when it is dumped.
enum Relations {
  /// One vocabulary-backed place in `metadata`: a list key (or `nil` for the top level), the
  /// path to the id object inside each item, and the vocabulary.
  struct Place {
    var list: String?
    var path: [String]
    var vocabulary: String
    var tag: String?
  }

  static let places: [Place] = [
    Place(list: nil, path: ["resource_type"], vocabulary: "resourcetypes", tag: "depositable"),
    Place(list: "languages", path: [], vocabulary: "languages"),
    Place(list: "rights", path: [], vocabulary: "licenses"),
    Place(list: "creators", path: ["role"], vocabulary: "roles"),
    Place(list: "contributors", path: ["role"], vocabulary: "roles"),
    Place(list: "funding", path: ["funder"], vocabulary: "funders"),
    Place(list: "funding", path: ["award"], vocabulary: "awards"),
    Place(list: "subjects", path: [], vocabulary: "subjects"),
    Place(list: "related_identifiers", path: ["relation_type"], vocabulary: "relationtypes"),
    Place(
      list: "related_identifiers", path: ["resource_type"], vocabulary: "resourcetypes",
      tag: "linkable"),
    Place(list: "additional_titles", path: ["type"], vocabulary: "titletypes"),
    Place(list: "additional_titles", path: ["lang"], vocabulary: "languages"),
    Place(list: "additional_descriptions", path: ["type"], vocabulary: "descriptiontypes"),
    Place(list: "additional_descriptions", path: ["lang"], vocabulary: "languages"),
    Place(list: "dates", path: ["type"], vocabulary: "datetypes"),
  ]

  /// The id objects at `place` in `metadata`.
  static func ids(_ metadata: [String: JSON], _ place: Place) -> [String] {
    let items: [JSON]
    if let list = place.list {
      items = metadata[list]?.array ?? []
    } else {
      items = [.object(metadata)]
    }
    return items.compactMap { item in
      var current: JSON? = item
      for key in place.path { current = current?[key] }
      return current?["id"]?.string
    }
  }

  /// Throws the first unknown id (`Invalid value X.`) or wrongly tagged one (`Not a valid value.`).
  static func check(_ metadata: [String: JSON], _ vocabularies: Vocabularies) throws(APIError) {
    for place in places {
      for id in ids(metadata, place) {
        guard let entry = vocabularies.entry(place.vocabulary, id) else {
          throw .badRequest("Invalid value \(id).")
        }
        if let tag = place.tag, !entry.tags.contains(tag) {
          throw .badRequest("Not a valid value.")
        }
      }
    }
    for person in (metadata["creators"]?.array ?? []) + (metadata["contributors"]?.array ?? []) {
      try checkAffiliations(person, vocabularies)
    }
  }

  private static func checkAffiliations(_ person: JSON, _ vocabularies: Vocabularies)
    throws(APIError)
  {
    for affiliation in person["affiliations"]?.array ?? [] {
      if let id = affiliation["id"]?.string, vocabularies.entry("affiliations", id) == nil {
        throw .badRequest("Invalid value \(id).")
      }
    }
  }

  /// `metadata` with vocabulary titles and names filled in, as a read shows it.
  static func dereference(_ metadata: [String: JSON], _ vocabularies: Vocabularies) -> [String:
    JSON]
  {
    var out = metadata
    func titled(_ vocabulary: String, _ value: JSON) -> JSON {
      guard let id = value["id"]?.string, let entry = vocabularies.entry(vocabulary, id),
        var object = value.object
      else { return value }
      switch vocabulary {
      case "licenses":
        object["title"] = .object(["en": .string(entry.title)])
        object["description"] = .object(["en": .string(entry.extra["description"] ?? "")])
        if let icon = entry.extra["icon"], !icon.isEmpty { object["icon"] = .string(icon) }
        object["props"] = .object([
          "url": .string(entry.extra["url"] ?? ""), "scheme": .string(entry.extra["scheme"] ?? ""),
        ])
      case "affiliations", "funders":
        if !entry.title.isEmpty { object["name"] = .string(entry.extra["name"] ?? entry.title) }
      case "awards":
        object["title"] = .object(["en": .string(entry.title)])
        if let number = entry.extra["number"] { object["number"] = .string(number) }
      default:
        object["title"] = .object(["en": .string(entry.title)])
      }
      return .object(object)
    }
    func mapItems(_ key: String, _ transform: (JSON) -> JSON) {
      if let list = out[key]?.array { out[key] = .array(list.map(transform)) }
    }
    func mapMember(_ item: JSON, _ member: String, _ vocabulary: String) -> JSON {
      guard var object = item.object, let value = object[member] else { return item }
      object[member] = titled(vocabulary, value)
      return .object(object)
    }
    if let type = out["resource_type"] { out["resource_type"] = titled("resourcetypes", type) }
    mapItems("languages") { titled("languages", $0) }
    mapItems("rights") { titled("licenses", $0) }
    for key in ["creators", "contributors"] {
      mapItems(key) { person in
        var item = mapMember(person, "role", "roles")
        if var object = item.object, let list = object["affiliations"]?.array {
          object["affiliations"] = .array(list.map { titled("affiliations", $0) })
          item = .object(object)
        }
        return item
      }
    }
    mapItems("funding") { mapMember(mapMember($0, "funder", "funders"), "award", "awards") }
    mapItems("related_identifiers") {
      mapMember(mapMember($0, "relation_type", "relationtypes"), "resource_type", "resourcetypes")
    }
    mapItems("additional_titles") { mapMember($0, "type", "titletypes") }
    mapItems("additional_descriptions") { mapMember($0, "type", "descriptiontypes") }
    mapItems("dates") { mapMember($0, "type", "datetypes") }
    return out
  }
}
