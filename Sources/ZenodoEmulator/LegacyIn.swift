import Foundation

/// The legacy deposit API's tables: licence aliases and ids, funder DOIs to ROR ids
/// (`Resources/legacy.json`, built by `scripts/bundle-vocabularies`).
enum LegacyTables {
  struct Tables {
    var aliases: [String: String] = [:]
    var legacyToRDM: [String: String] = [:]
    var rdmToLegacy: [String: String] = [:]
    var legacyTitles: [String: String] = [:]
    var funderDOIToROR: [String: String] = [:]
    var funderRORToDOI: [String: String] = [:]
  }

  static let shared: Tables = {
    var tables = Tables()
    guard let url = Bundle.module.url(forResource: "legacy", withExtension: "json"),
      let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return tables }
    tables.aliases = object["aliases"] as? [String: String] ?? [:]
    tables.legacyTitles = object["legacy_titles"] as? [String: String] ?? [:]
    tables.funderDOIToROR = object["funder_doi_to_ror"] as? [String: String] ?? [:]
    for (doi, ror) in tables.funderDOIToROR where tables.funderRORToDOI[ror] == nil {
      tables.funderRORToDOI[ror] = doi
    }
    // Pairs in the source file's order: the inverse keeps the last legacy id of each RDM id, as
    // zenodo-rdm's dict comprehension does.
    for pair in object["legacy_to_rdm"] as? [[String]] ?? [] where pair.count == 2 {
      tables.legacyToRDM[pair[0]] = pair[1]
      tables.rdmToLegacy[pair[1]] = pair[0]
    }
    return tables
  }()

  /// `legacy_to_rdm`: the RDM licence id for a legacy one, if any.
  static func rdmLicense(_ legacy: String) -> String? {
    let normalised = legacy.lowercased().trimmingCharacters(in: .whitespaces)
    let aliased = (shared.aliases[normalised] ?? normalised).lowercased()
    return shared.legacyToRDM[aliased]
  }
}

/// The legacy deserializer (`LegacySchema` in, `docs/zenodo-rdm-api.md` §9): maps a deposit's
/// `metadata` to a records API body, failing at once (400) where zenodo-rdm's deserializer does.
enum LegacyIn {
  /// Maps a whole legacy body (`{"metadata": {...}}`; other top-level keys are a 400).
  static func map(_ body: JSON, today: String) throws(APIError) -> JSON {
    guard let members = body.object else {
      throw APIError.validation([FieldError(field: "_schema", messages: ["Invalid input type."])])
    }
    let unknown = members.keys.filter { $0 != "metadata" }.sorted()
    if !unknown.isEmpty {
      throw APIError.validation(unknown.map { FieldError(field: $0, messages: ["Unknown field."]) })
    }
    guard let value = members["metadata"], value != .null else {
      return .object(["access": publicAccess, "files": .object(["enabled": .bool(true)])])
    }
    guard let input = value.object else {
      throw APIError.validation([FieldError(field: "metadata", messages: ["Invalid input type."])])
    }
    var errors: [FieldError] = []
    var metadata = mapMetadata(input, today: today, errors: &errors)
    let custom = customFields(input, errors: &errors)
    let access = self.access(input, errors: &errors)
    if let license = rights(input, errors: &errors) { metadata["rights"] = license }
    if !errors.isEmpty { throw .validation(errors) }
    var out: [String: JSON] = [
      "metadata": .object(metadata), "custom_fields": .object(custom), "access": access,
      "files": .object(["enabled": .bool(true)]),
    ]
    if let doi = input["doi"]?.string, !doi.isEmpty, !doi.hasPrefix("10.5281/") {
      out["pids"] = .object(["doi": .object(["identifier": .string(doi), "provider": "external"])])
    }
    return .object(out)
  }

  static let publicAccess: JSON = .object(["record": "public", "files": "public"])

  static func mapMetadata(_ input: [String: JSON], today: String, errors: inout [FieldError])
    -> [String: JSON]
  {
    var out: [String: JSON] = [:]
    for key in ["title", "description", "version"] where input[key]?.string != nil {
      out[key] = input[key]
    }
    out["publication_date"] =
      input["publication_date"].flatMap { $0 == .null ? nil : $0 } ?? .string(today)
    if let type = input["upload_type"]?.string, !type.isEmpty {
      let subtype = input["\(type)_type"]?.string
      out["resource_type"] = .object(["id": .string(subtype.map { "\(type)-\($0)" } ?? type)])
    }
    out["publisher"] = input["imprint_publisher"]?.string.map(JSON.string) ?? "Zenodo"
    if let creators = input["creators"]?.array { out["creators"] = .array(creators.map(person)) }
    let contributors = self.contributors(input)
    if !contributors.isEmpty { out["contributors"] = .array(contributors) }
    if let keywords = input["keywords"]?.array, !keywords.isEmpty {
      out["subjects"] = .array(
        keywords.compactMap { $0.string.map { .object(["subject": .string($0)]) } })
    }
    if let references = input["references"]?.array {
      out["references"] = .array(references.map { .object(["reference": $0]) })
    }
    var descriptions: [JSON] = []
    if let notes = input["notes"]?.string, !notes.isEmpty {
      descriptions.append(
        .object(["description": .string(notes), "type": .object(["id": "notes"])]))
    }
    if let method = input["method"]?.string, !method.isEmpty {
      descriptions.append(
        .object(["description": .string(method), "type": .object(["id": "methods"])]))
    }
    if !descriptions.isEmpty { out["additional_descriptions"] = .array(descriptions) }
    mapIdentifiers(input, into: &out, errors: &errors)
    mapLanguage(input, into: &out, errors: &errors)
    mapDatesAndPlaces(input, into: &out, errors: &errors)
    if let grants = input["grants"]?.array, !grants.isEmpty {
      out["funding"] = .array(grants.compactMap(funding))
    }
    return out
  }

  static func person(_ value: JSON) -> JSON {
    var person: [String: JSON] = ["type": "personal"]
    let name = value["name"]?.string ?? ""
    if name.filter({ $0 == "," }).count == 1 {
      let parts = name.split(separator: ",", omittingEmptySubsequences: false)
      person["family_name"] = .string(parts[0].trimmingCharacters(in: .whitespaces))
      person["given_name"] = .string(parts[1].trimmingCharacters(in: .whitespaces))
    } else if !name.isEmpty {
      person["family_name"] = .string(name)
    }
    var identifiers: [JSON] = []
    if let orcid = value["orcid"]?.string, !orcid.isEmpty {
      identifiers.append(
        .object([
          "scheme": "orcid", "identifier": .string(Identifier.normalise(orcid, scheme: "orcid")),
        ]))
    }
    if let gnd = value["gnd"]?.string, !gnd.isEmpty {
      identifiers.append(
        .object(["scheme": "gnd", "identifier": .string(Identifier.normalise(gnd, scheme: "gnd"))]))
    }
    if !identifiers.isEmpty { person["identifiers"] = .array(identifiers) }
    var out: [String: JSON] = ["person_or_org": .object(person)]
    if let affiliation = value["affiliation"]?.string, !affiliation.isEmpty {
      out["affiliations"] = .array([.object(["name": .string(affiliation)])])
    }
    return .object(out)
  }

  /// Thesis supervisors first (role `supervisor`), then contributors with their type lower-cased.
  static func contributors(_ input: [String: JSON]) -> [JSON] {
    var out: [JSON] = []
    for supervisor in input["thesis_supervisors"]?.array ?? [] {
      guard var entry = person(supervisor).object else { continue }
      entry["role"] = .object(["id": "supervisor"])
      out.append(.object(entry))
    }
    for contributor in input["contributors"]?.array ?? [] {
      guard var entry = person(contributor).object else { continue }
      if let type = contributor["type"]?.string, !type.isEmpty {
        entry["role"] = .object(["id": .string(type.lowercased())])
      }
      out.append(.object(entry))
    }
    return out
  }

  static func funding(_ grant: JSON) -> JSON? {
    guard var id = grant["id"]?.string else { return nil }
    if !id.contains("::") { id = "10.13039/501100000780::" + id }
    let parts = id.components(separatedBy: "::")
    let funder = LegacyTables.shared.funderDOIToROR[parts[0]] ?? parts[0]
    let number = parts.dropFirst().joined(separator: "::")
    return .object([
      "funder": .object(["id": .string(funder)]),
      "award": .object(["id": .string("\(funder)::\(number)")]),
    ])
  }

  static func mapIdentifiers(
    _ input: [String: JSON], into out: inout [String: JSON], errors: inout [FieldError]
  ) {
    guard let value = input["related_identifiers"], value != .null else { return }
    guard let list = value.array else {
      errors.append(
        FieldError(
          field: "metadata.related_identifiers", messages: ["related_identifiers must be a list"]))
      return
    }
    var related: [JSON] = []
    var alternate: [JSON] = []
    for (index, item) in list.enumerated() {
      let field = "metadata.related_identifiers.\(index)"
      guard let entry = item.object else {
        errors.append(
          FieldError(field: field, messages: ["Each related identifier must be an object"]))
        continue
      }
      if let relation = entry["relation"], relation.string == nil {
        errors.append(
          FieldError(field: field + ".relation", messages: ["relation must be a string"]))
        continue
      }
      var relation = entry["relation"]?.string ?? ""
      if relation == "isOrignialFormOf" { relation = "isOriginalFormOf" }
      let raw = entry["identifier"]?.string ?? ""
      guard let (identifier, scheme) = Identifier.detect(raw) else {
        errors.append(
          FieldError(field: field + ".identifier", messages: ["Invalid value for identifier."]))
        continue
      }
      var mapped: [String: JSON] = ["identifier": .string(identifier), "scheme": .string(scheme)]
      if relation == "isAlternateIdentifier" {
        alternate.append(.object(mapped))
        continue
      }
      mapped["relation_type"] = .object(["id": .string(relation.lowercased())])
      if let type = entry["resource_type"]?.string, !type.isEmpty {
        mapped["resource_type"] = .object(["id": .string(type)])
      }
      related.append(.object(mapped))
    }
    if !related.isEmpty { out["related_identifiers"] = .array(related) }
    if !alternate.isEmpty { out["identifiers"] = .array(alternate) }
  }

  static func mapLanguage(
    _ input: [String: JSON], into out: inout [String: JSON], errors: inout [FieldError]
  ) {
    guard let value = input["language"], value != .null else { return }
    let code = value.string ?? ""
    var id: String?
    if code.count == 3 {
      id = code
    } else if code.count == 2 {
      id = Vocabularies.alpha3[code.lowercased()]
    } else {
      errors.append(
        FieldError(
          field: "metadata.language",
          messages: ["Language must be either ISO-639-1 or 639-2 compatible."]))
      return
    }
    out["languages"] = .array([id.map { .object(["id": .string($0)]) } ?? .object(["id": .null])])
  }

  static func mapDatesAndPlaces(
    _ input: [String: JSON], into out: inout [String: JSON], errors: inout [FieldError]
  ) {
    if let dates = input["dates"]?.array {
      var mapped: [JSON] = []
      for (index, date) in dates.enumerated() {
        let start = date["start"]?.string
        let end = date["end"]?.string
        let value: String
        switch (start, end) {
        case (let start?, let end?): value = start == end ? start : "\(start)/\(end)"
        case (let start?, nil): value = start
        case (nil, let end?): value = end
        default:
          errors.append(
            FieldError(field: "metadata.dates.\(index)", messages: ["Invalid date provided."]))
          continue
        }
        var entry: [String: JSON] = [
          "date": .string(value),
          "type": .object(["id": .string((date["type"]?.string ?? "").lowercased())]),
        ]
        if let description = date["description"]?.string, !description.isEmpty {
          entry["description"] = .string(description)
        }
        mapped.append(.object(entry))
      }
      out["dates"] = .array(mapped)
    }
    if let locations = input["locations"]?.array {
      let features: [JSON] = locations.map { location in
        var feature: [String: JSON] = ["place": location["place"] ?? .null]
        if let lat = location["lat"], let lon = location["lon"], lat != .null, lon != .null {
          feature["geometry"] = .object(["type": "Point", "coordinates": .array([lon, lat])])
        }
        if let description = location["description"]?.string, !description.isEmpty {
          feature["description"] = .string(description)
        }
        return .object(feature)
      }
      out["locations"] = .object(["features": .array(features)])
    }
  }

  static func customFields(_ input: [String: JSON], errors: inout [FieldError]) -> [String: JSON] {
    var out: [String: JSON] = [:]
    func group(_ name: String, _ keys: [(String, String)]) {
      var members: [String: JSON] = [:]
      for (legacy, key) in keys {
        if let value = input[legacy], value != .null { members[key] = value }
      }
      if !members.isEmpty { out[name] = .object(members) }
    }
    group(
      "journal:journal",
      [
        ("journal_title", "title"), ("journal_volume", "volume"), ("journal_issue", "issue"),
        ("journal_pages", "pages"),
      ])
    group(
      "meeting:meeting",
      [
        ("conference_title", "title"), ("conference_acronym", "acronym"),
        ("conference_dates", "dates"), ("conference_place", "place"), ("conference_url", "url"),
        ("conference_session", "session"), ("conference_session_part", "session_part"),
      ])
    group(
      "imprint:imprint",
      [
        ("partof_title", "title"), ("partof_pages", "pages"), ("imprint_isbn", "isbn"),
        ("imprint_place", "place"),
      ])
    group("thesis:thesis", [("thesis_university", "university")])
    for (key, value) in input["custom"]?.object ?? [:] { out[key] = value }
    if let communities = input["communities"], communities != .null, communities != .array([]) {
      let list = communities.array ?? []
      guard communities.array != nil,
        list.allSatisfy({ $0["identifier"] != nil && $0.object != nil })
      else {
        errors.append(
          FieldError(
            field: "communities",
            messages: ["Communities must be an array of objects with an 'identifier' key."]))
        return out
      }
      out["legacy:communities"] = .array(list.compactMap { $0["identifier"] })
    }
    if let subjects = input["subjects"]?.array, !subjects.isEmpty {
      out["legacy:subjects"] = .array(
        subjects.map { subject in
          .object([
            "term": subject["term"] ?? .null, "identifier": subject["identifier"] ?? .null,
            "scheme": subject["scheme"] ?? .null,
          ])
        })
    }
    return out
  }

  static func access(_ input: [String: JSON], errors: inout [FieldError]) -> JSON {
    let right = input["access_right"]?.string
    switch right {
    case nil, "open": return publicAccess
    case "restricted", "closed": return .object(["record": "public", "files": "restricted"])
    case "embargoed" where input["embargo_date"]?.string != nil:
      return .object([
        "record": "public", "files": "restricted",
        "embargo": .object(["active": .bool(true), "until": input["embargo_date"] ?? .null]),
      ])
    default:
      errors.append(FieldError(field: "_schema", messages: ["Unknown access type."]))
      return publicAccess
    }
  }

  /// `license` → `rights`, with the default licence when it is absent and access is open.
  static func rights(_ input: [String: JSON], errors: inout [FieldError]) -> JSON? {
    var value = input["license"]
    if value == nil || value == .null {
      let right = input["access_right"]?.string ?? "open"
      guard right == "open" || right == "embargoed" else { return nil }
      value = .string(input["upload_type"]?.string == "dataset" ? "CC0-1.0" : "CC-BY-4.0")
    }
    let id: String
    switch value {
    case .string(let text)?: id = text
    case .object(let members)?:
      guard let text = members["id"]?.string else {
        errors.append(
          FieldError(
            field: "metadata.license",
            messages: ["Invalid license object provided (missing 'id' key): \(members)"]))
        return nil
      }
      id = text
    default:
      errors.append(
        FieldError(
          field: "metadata.license",
          messages: [
            "Invalid license value provided (expected string, or object with 'id' key): \(value ?? .null)"
          ]))
      return nil
    }
    if let rdm = LegacyTables.rdmLicense(id) { return .array([.object(["id": .string(rdm)])]) }
    if let title = LegacyTables.shared.legacyTitles[id] {
      return .array([.object(["title": .object(["en": .string(title)])])])
    }
    errors.append(
      FieldError(field: "metadata.license", messages: ["Invalid license provided: \(id)"]))
    return nil
  }
}
