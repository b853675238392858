import TOML

extension RecordMapping {
  /// The `.zenodo.toml` table of a record or draft as read back (native JSON), in the keys of
  /// the records API: the reverse of ``draftBody(for:)``, so that the table's draft body holds
  /// what the record holds.
  ///
  /// Left out: what the file has no key for (free-text licences, vocabulary subjects, a DOI
  /// Zenodo registered), and what is not part of the record (`[zen-do]`, communities).
  public static func table(fromRecord record: JSONObject) -> TOMLTable {
    var file = JSONObject()
    let metadata = record["metadata"].flatMap(MappingValue.object) ?? JSONObject()
    let custom = record["custom_fields"].flatMap(MappingValue.object) ?? JSONObject()
    MappingReverse.metadata(metadata, into: &file)
    MappingReverse.customFields(custom, into: &file)
    MappingReverse.access(record, into: &file)
    var ordered = JSONObject()
    for key in ZenodoKeyOrder.sorted(file.keys) { ordered[key] = file[key] }
    guard case .table(let table)? = TOMLNode.fromJSON(.object(ordered)).node?.value else {
      return TOMLTable()
    }
    return ZenodoJSONConverter.shaped(table)
  }
}

/// The pieces of ``RecordMapping/table(fromRecord:)``.
enum MappingReverse {
  static func metadata(_ source: JSONObject, into file: inout JSONObject) {
    if let type = id(source["resource_type"]) { file["resource_type"] = .string(type) }
    for key in ["title", "publication_date", "description", "version", "publisher", "copyright"] {
      if let value = source[key] { file[key] = value }
    }
    let creators = MappingValue.objects(source["creators"]).map { person($0, role: false) }
    if !creators.isEmpty { file["creators"] = .array(creators.map(JSONValue.object)) }
    let contributors = MappingValue.objects(source["contributors"]).map { person($0, role: true) }
    if !contributors.isEmpty {
      file["contributors"] = .array(contributors.map(JSONValue.object))
    }
    list(source["additional_titles"], as: "additional_titles", into: &file) {
      typedText($0, key: "title")
    }
    list(source["additional_descriptions"], as: "additional_descriptions", into: &file) {
      typedText($0, key: "description")
    }
    let licenses = MappingValue.objects(source["rights"]).compactMap { id(.object($0)) }
    if licenses.count == 1 {
      file["license"] = .string(licenses[0])
    } else if !licenses.isEmpty {
      file["license"] = .array(licenses.map(JSONValue.string))
    }
    let keywords = MappingValue.objects(source["subjects"]).compactMap { $0["subject"] }
    if !keywords.isEmpty { file["keywords"] = .array(keywords) }
    let languages = MappingValue.objects(source["languages"]).compactMap { id(.object($0)) }
    if !languages.isEmpty { file["languages"] = .array(languages.map(JSONValue.string)) }
    list(source["dates"], as: "dates", into: &file, date)
    list(source["identifiers"], as: "alternate_identifiers", into: &file) {
      identifier($0)
    }
    list(source["related_identifiers"], as: "related_identifiers", into: &file, related)
    for key in ["sizes", "formats"] {
      if let value = source[key] { file[key] = value }
    }
    let features = MappingValue.objects(
      source["locations"].flatMap(MappingValue.object)?["features"])
    if !features.isEmpty { file["locations"] = .array(features.map(location)) }
    list(source["funding"], as: "funding", into: &file, funding)
    let references = MappingValue.objects(source["references"]).compactMap { $0["reference"] }
    if !references.isEmpty { file["references"] = .array(references) }
  }

  static func list(
    _ value: JSONValue?, as key: String, into file: inout JSONObject,
    _ transform: (JSONObject) -> JSONObject
  ) {
    let items = MappingValue.objects(value).map { JSONValue.object(transform($0)) }
    if !items.isEmpty { file[key] = .array(items) }
  }

  static func id(_ value: JSONValue?) -> String? {
    guard case .object(let object)? = value else { return nil }
    return MappingValue.string(object["id"])
  }

  static func person(_ source: JSONObject, role: Bool) -> JSONObject {
    var out = JSONObject()
    let who = source["person_or_org"].flatMap(MappingValue.object) ?? JSONObject()
    if MappingValue.string(who["type"]) == "organizational" {
      out["type"] = .string("organizational")
      if let name = who["name"] { out["name"] = name }
    } else {
      if let given = who["given_name"] { out["given_name"] = given }
      if let family = who["family_name"] { out["family_name"] = family }
    }
    for identifier in MappingValue.objects(who["identifiers"]) {
      guard let scheme = MappingValue.string(identifier["scheme"]),
        var value = MappingValue.string(identifier["identifier"])
      else { continue }
      if scheme == "gnd", value.hasPrefix("gnd:") { value = String(value.dropFirst(4)) }
      out[scheme] = .string(value)
    }
    let affiliations = MappingValue.objects(source["affiliations"]).map { affiliation in
      // With an id, Zenodo shows the vocabulary's name: the id says it all.
      if let ror = MappingValue.string(affiliation["id"]) {
        return JSONValue.object(JSONObject([("ror", .string(ror))]))
      }
      return .object(JSONObject([("name", affiliation["name"] ?? .string(""))]))
    }
    if !affiliations.isEmpty { out["affiliations"] = .array(affiliations) }
    if role, let role = id(source["role"]) { out["role"] = .string(role) }
    return out
  }

  static func typedText(_ source: JSONObject, key: String) -> JSONObject {
    var out = JSONObject()
    if let text = source[key] { out[key] = text }
    if let type = id(source["type"]) { out["type"] = .string(type) }
    if let lang = id(source["lang"]) { out["lang"] = .string(lang) }
    return out
  }

  static func date(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let date = MappingValue.string(source["date"]) {
      let parts = date.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      out["start"] = .string(parts[0])
      if parts.count == 2 { out["end"] = .string(parts[1]) }
    }
    if let type = id(source["type"]) { out["type"] = .string(type) }
    if let description = source["description"] { out["description"] = description }
    return out
  }

  static func identifier(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let identifier = source["identifier"] { out["identifier"] = identifier }
    if let scheme = source["scheme"] { out["scheme"] = scheme }
    return out
  }

  /// A related identifier, its relation in the legacy spelling (`isCitedBy`).
  static func related(_ source: JSONObject) -> JSONObject {
    var out = identifier(source)
    if let relation = id(source["relation_type"]) {
      out["relation"] = .string(
        Vocabulary.relationTypes.first { $0.lowercased() == relation } ?? relation)
    }
    if let type = id(source["resource_type"]) { out["resource_type"] = .string(type) }
    return out
  }

  static func location(_ feature: JSONObject) -> JSONValue {
    var out = JSONObject()
    if let place = feature["place"] { out["place"] = place }
    let geometry = feature["geometry"].flatMap(MappingValue.object)
    if case .array(let coordinates)? = geometry?["coordinates"], coordinates.count == 2 {
      out["lat"] = coordinates[1]
      out["lon"] = coordinates[0]
    }
    if let description = feature["description"] { out["description"] = description }
    return .object(out)
  }

  static func funding(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let funder = source["funder"].flatMap(MappingValue.object) {
      if let ror = MappingValue.string(funder["id"]) {
        out["funder"] = .object(JSONObject([("ror", .string(ror))]))
      } else if let name = funder["name"] {
        out["funder"] = .object(JSONObject([("name", name)]))
      }
    }
    if let award = source["award"].flatMap(MappingValue.object) {
      var mapped = JSONObject()
      if let id = award["id"] {
        // Zenodo adds the vocabulary's number and title to an award given by id.
        mapped["id"] = id
      } else {
        if let number = award["number"] { mapped["number"] = number }
        if let title = award["title"].flatMap(MappingValue.object)?["en"] {
          mapped["title"] = title
        }
        for key in ["acronym", "program"] {
          if let value = award[key] { mapped[key] = value }
        }
        let identifiers = MappingValue.objects(award["identifiers"]).compactMap {
          identifier -> JSONValue? in
          guard let scheme = MappingValue.string(identifier["scheme"]),
            let value = identifier["identifier"]
          else { return nil }
          return .object(JSONObject([(scheme, value)]))
        }
        if !identifiers.isEmpty { mapped["identifiers"] = .array(identifiers) }
      }
      out["award"] = .object(mapped)
    }
    return out
  }

  static func customFields(_ source: JSONObject, into file: inout JSONObject) {
    var rest = source
    for group in RecordMapping.customGroups {
      guard let field = source[group.field].flatMap(MappingValue.object) else { continue }
      rest[group.field] = nil
      for member in group.members {
        if let value = field[member.name] { file[member.key] = value }
      }
    }
    if let repository = source["code:codeRepository"] { file["code_repository"] = repository }
    let languages = MappingValue.objects(source["code:programmingLanguage"]).compactMap {
      id(.object($0))
    }
    if !languages.isEmpty {
      file["programming_languages"] = .array(languages.map(JSONValue.string))
    }
    if let status = id(source["code:developmentStatus"]) {
      file["development_status"] = .string(status)
    }
    if let subjects = source["legacy:subjects"] { file["subjects"] = subjects }
    for key in [
      "code:codeRepository", "code:programmingLanguage", "code:developmentStatus",
      "legacy:subjects", "legacy:communities",
    ] {
      rest[key] = nil
    }
    if !rest.isEmpty { file["custom"] = .object(rest) }
  }

  static func access(_ record: JSONObject, into file: inout JSONObject) {
    let access = record["access"].flatMap(MappingValue.object) ?? JSONObject()
    let embargo = access["embargo"].flatMap(MappingValue.object)
    if embargo?["active"] == .bool(true), let until = embargo?["until"] {
      file["access_right"] = .string("embargoed")
      file["embargo_date"] = until
      if let reason = MappingValue.trimmed(embargo?["reason"]) {
        file["embargo_reason"] = .string(reason)
      }
    } else if MappingValue.string(access["files"]) == "restricted" {
      file["access_right"] = .string("restricted")
    } else {
      file["access_right"] = .string("open")
    }
    let parent = record["parent"].flatMap(MappingValue.object)
    let parentAccess = parent?["access"].flatMap(MappingValue.object)
    let settings = parentAccess?["settings"].flatMap(MappingValue.object)
    if let conditions = MappingValue.trimmed(settings?["accept_conditions_text"]) {
      file["access_conditions"] = .string(conditions)
    }
    let pids = record["pids"].flatMap(MappingValue.object)
    if let doi = pids?["doi"].flatMap(MappingValue.object),
      MappingValue.string(doi["provider"]) == "external", let identifier = doi["identifier"]
    {
      file["doi"] = identifier
    }
  }
}
