/// The mapping from a `.zenodo.toml` to the records API's JSON (docs/metadata.md has it as a
/// table): zen-do's own, built from what Zenodo's legacy layer does with the legacy keys, and
/// keeping what that layer loses (organisations, ROR affiliations, ISNI and ROR identifiers,
/// several licences and languages, the journal's ISSN, access conditions).
public enum RecordMapping {
  /// The draft body to PUT to /api/records/{id}/draft: {"metadata", "custom_fields", "access", "files": {"enabled"}}.
  ///
  /// A file with a `doi` also gets `"pids"`: the DOI, registered by Zenodo (`10.5281/…`) or
  /// external.
  public static func draftBody(for file: MetadataFile) -> JSONObject {
    let source = file.metadata
    var body = JSONObject()
    body["metadata"] = .object(metadata(source))
    body["custom_fields"] = .object(customFields(source))
    body["access"] = .object(access(source))
    body["files"] = .object(JSONObject([("enabled", .bool(true))]))
    if let doi = MappingValue.string(source["doi"]) {
      let provider: JSONObject =
        doi.hasPrefix("10.5281/")
        ? JSONObject([
          ("identifier", .string(doi)), ("provider", .string("datacite")),
          ("client", .string("datacite")),
        ])
        : JSONObject([("identifier", .string(doi)), ("provider", .string("external"))])
      body["pids"] = .object(JSONObject([("doi", .object(provider))]))
    }
    return body
  }

  /// The community slugs/ids of the file, in order (the first gets the review request).
  public static func communities(for file: MetadataFile) -> [String] {
    MappingValue.objects(file.metadata["communities"]).compactMap {
      MappingValue.trimmed($0["identifier"])
    }
  }

  /// The parent access settings to PUT (access-request settings holding access_conditions), or nil.
  ///
  /// The body of `PUT /api/records/{id}/access`: requests from users and guests are allowed,
  /// and `accept_conditions_text` holds the conditions, as Zenodo's legacy records did.
  public static func parentAccess(for file: MetadataFile) -> JSONObject? {
    guard let conditions = MappingValue.trimmed(file.metadata["access_conditions"]) else {
      return nil
    }
    return JSONObject([
      ("allow_user_requests", .bool(true)), ("allow_guest_requests", .bool(true)),
      ("accept_conditions_text", .string(conditions)),
    ])
  }

  // MARK: metadata

  static func metadata(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let type = resourceType(source) {
      out["resource_type"] = MappingValue.id(type)
    }
    copy(source, "title", to: &out)
    copy(source, "publication_date", to: &out)
    let creators = MappingValue.objects(source["creators"]).map { person($0, role: nil) }
    if source["creators"] != nil { out["creators"] = .array(creators) }
    var contributors = MappingValue.objects(source["contributors"]).map {
      person($0, role: contributorRole($0))
    }
    contributors += MappingValue.objects(source["thesis_supervisors"]).map {
      person($0, role: "supervisor")
    }
    if !contributors.isEmpty { out["contributors"] = .array(contributors) }
    copy(source, "description", to: &out)
    let titles = MappingValue.objects(source["additional_titles"]).map {
      typedText($0, key: "title")
    }
    if !titles.isEmpty { out["additional_titles"] = .array(titles) }
    let descriptions = additionalDescriptions(source)
    if !descriptions.isEmpty { out["additional_descriptions"] = .array(descriptions) }
    let rights = rights(source["license"])
    if !rights.isEmpty { out["rights"] = .array(rights) }
    let subjects = MappingValue.strings(source["keywords"]).map {
      JSONValue.object(JSONObject([("subject", .string($0))]))
    }
    if !subjects.isEmpty { out["subjects"] = .array(subjects) }
    var languages = MappingValue.strings(source["languages"])
    if let language = MappingValue.string(source["language"]) { languages.insert(language, at: 0) }
    if !languages.isEmpty {
      out["languages"] = .array(languages.map { MappingValue.id(MappingLanguages.alpha3($0)) })
    }
    let dates = MappingValue.objects(source["dates"]).map(date)
    if !dates.isEmpty { out["dates"] = .array(dates) }
    copy(source, "version", to: &out)
    // Zenodo's deposit form and its legacy layer both default the publisher to "Zenodo", and
    // the records API refuses to publish (register a DataCite DOI) without one: a file that
    // names none keeps the meaning it had.
    out["publisher"] = source["publisher"] ?? source["imprint_publisher"] ?? .string("Zenodo")
    copy(source, "copyright", to: &out)
    let (alternate, related) = identifiers(source)
    if !alternate.isEmpty { out["identifiers"] = .array(alternate) }
    if !related.isEmpty { out["related_identifiers"] = .array(related) }
    for key in ["sizes", "formats"] { copy(source, key, to: &out) }
    let features = MappingValue.objects(source["locations"]).map(location)
    if !features.isEmpty {
      out["locations"] = .object(JSONObject([("features", .array(features))]))
    }
    let funding = MappingFunding.all(source)
    if !funding.isEmpty { out["funding"] = .array(funding) }
    let references = MappingValue.strings(source["references"]).map {
      JSONValue.object(JSONObject([("reference", .string($0))]))
    }
    if !references.isEmpty { out["references"] = .array(references) }
    return out
  }

  /// `resource_type` as written, else `upload_type` with its subtype (`publication-article`);
  /// `publication-thesis` as Zenodo stores it, `publication-dissertation`.
  static func resourceType(_ source: JSONObject) -> String? {
    var type = MappingValue.string(source["resource_type"])
    if type == nil, let upload = MappingValue.string(source["upload_type"]) {
      switch upload {
      case "publication":
        type = MappingValue.string(source["publication_type"]).map { "publication-\($0)" } ?? upload
      case "image":
        type = MappingValue.string(source["image_type"]).map { "image-\($0)" } ?? upload
      default:
        type = upload
      }
    }
    return type == "publication-thesis" ? "publication-dissertation" : type
  }

  /// A creator, contributor or supervisor.
  static func person(_ source: JSONObject, role: String?) -> JSONValue {
    var who = JSONObject()
    let kind = MappingValue.string(source["type"]).flatMap {
      Vocabulary.personTypes.contains($0) ? $0 : nil
    }
    if kind == "organizational" {
      who["type"] = .string("organizational")
      if let name = source["name"] { who["name"] = name }
    } else {
      who["type"] = .string("personal")
      if let family = source["family_name"] {
        if let given = source["given_name"] { who["given_name"] = given }
        who["family_name"] = family
      } else if let name = MappingValue.string(source["name"]) {
        let parts = name.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 2 {
          let given = parts[1].trimmingCharacters(in: .whitespaces)
          if !given.isEmpty { who["given_name"] = .string(given) }
          who["family_name"] = .string(parts[0].trimmingCharacters(in: .whitespaces))
        } else {
          who["family_name"] = .string(name)
        }
      }
    }
    let ids = personIdentifiers(source)
    if !ids.isEmpty { who["identifiers"] = .array(ids) }
    var out = JSONObject([("person_or_org", .object(who))])
    if let role { out["role"] = MappingValue.id(role) }
    var affiliations: [JSONValue] = []
    if let name = MappingValue.trimmed(source["affiliation"]) {
      affiliations.append(.object(JSONObject([("name", .string(name))])))
    }
    for entry in MappingValue.objects(source["affiliations"]) {
      var affiliation = JSONObject()
      if let ror = MappingValue.string(entry["ror"]).flatMap(IdentifierRules.rorID) {
        affiliation["id"] = .string(ror)
      }
      if let name = entry["name"] { affiliation["name"] = name }
      affiliations.append(.object(affiliation))
    }
    if !affiliations.isEmpty { out["affiliations"] = .array(affiliations) }
    return .object(out)
  }

  /// `orcid`, `gnd`, `isni` and `ror`, flat or in `identifiers`, in the forms Zenodo stores.
  static func personIdentifiers(_ source: JSONObject) -> [JSONValue] {
    let nested = source["identifiers"].flatMap(MappingValue.object) ?? JSONObject()
    var out: [JSONValue] = []
    for scheme in ["orcid", "gnd", "isni", "ror"] {
      guard let raw = MappingValue.string(source[scheme] ?? nested[scheme]) else { continue }
      let identifier: String
      switch scheme {
      case "orcid":
        let digits = IdentifierRules.orcidDigits(raw) ?? raw
        identifier = MappingValue.groupsOfFour(digits)
      case "isni":
        identifier = MappingValue.groupsOfFour(IdentifierRules.isniDigits(raw) ?? raw)
      case "gnd":
        identifier = "gnd:" + (IdentifierRules.gndNumber(raw) ?? raw)
      default:
        identifier = IdentifierRules.rorID(raw) ?? raw
      }
      out.append(
        .object(JSONObject([("scheme", .string(scheme)), ("identifier", .string(identifier))])))
    }
    return out
  }

  /// The role id of a contributor: `role`, or the legacy `type` lower-cased.
  static func contributorRole(_ source: JSONObject) -> String? {
    if let role = MappingValue.string(source["role"]) { return role.lowercased() }
    guard let type = MappingValue.string(source["type"]),
      !Vocabulary.personTypes.contains(type)
    else { return nil }
    return type.lowercased()
  }

  static func typedText(_ source: JSONObject, key: String) -> JSONValue {
    var out = JSONObject()
    if let text = source[key] { out[key] = text }
    if let type = MappingValue.string(source["type"]) { out["type"] = MappingValue.id(type) }
    if let lang = MappingValue.string(source["lang"]) {
      out["lang"] = MappingValue.id(MappingLanguages.alpha3(lang))
    }
    return .object(out)
  }

  /// `notes` and `method` as Zenodo's legacy layer stores them, then `additional_descriptions`.
  static func additionalDescriptions(_ source: JSONObject) -> [JSONValue] {
    var out: [JSONValue] = []
    for (key, type) in [("notes", "notes"), ("method", "methods")] {
      if let text = source[key] {
        out.append(.object(JSONObject([("description", text), ("type", MappingValue.id(type))])))
      }
    }
    out += MappingValue.objects(source["additional_descriptions"]).map {
      typedText($0, key: "description")
    }
    return out
  }

  /// `license`: one id, a table with an id, or an array of them.
  static func rights(_ value: JSONValue?) -> [JSONValue] {
    let items: [JSONValue]
    switch value {
    case .array(let list): items = list
    case .some(let one): items = [one]
    case .none: items = []
    }
    return items.compactMap { item in
      let id: String?
      if case .object(let table) = item {
        id = MappingValue.trimmed(table["id"])
      } else {
        id = MappingValue.trimmed(item)
      }
      return id.map { MappingValue.id(MappingLicenses.recordID($0)) }
    }
  }

  static func date(_ source: JSONObject) -> JSONValue {
    var out = JSONObject()
    let start = MappingValue.string(source["start"])
    let end = MappingValue.string(source["end"])
    switch (start, end) {
    case (let start?, let end?): out["date"] = .string(start == end ? start : "\(start)/\(end)")
    case (let start?, nil): out["date"] = .string(start)
    case (nil, let end?): out["date"] = .string(end)
    default: break
    }
    if let type = MappingValue.string(source["type"]) {
      out["type"] = MappingValue.id(type.lowercased())
    }
    if let description = source["description"] { out["description"] = description }
    return .object(out)
  }

  /// Alternate identifiers (with the related identifiers whose relation is
  /// `isAlternateIdentifier`, as Zenodo moves them) and related identifiers.
  static func identifiers(_ source: JSONObject) -> (alternate: [JSONValue], related: [JSONValue]) {
    var alternate: [JSONValue] = []
    var related: [JSONValue] = []
    for entry in MappingValue.objects(source["alternate_identifiers"]) {
      alternate.append(.object(identifier(entry)))
    }
    for entry in MappingValue.objects(source["related_identifiers"]) {
      var relation = MappingValue.string(entry["relation"]) ?? ""
      if relation.lowercased() == "isalternateidentifier" {
        alternate.append(.object(identifier(entry)))
        continue
      }
      if relation == "isOrignialFormOf" { relation = "isOriginalFormOf" }
      var out = identifier(entry)
      out["relation_type"] = MappingValue.id(relation.lowercased())
      if let type = MappingValue.string(entry["resource_type"]) {
        out["resource_type"] = MappingValue.id(type)
      }
      related.append(.object(out))
    }
    return (alternate, related)
  }

  /// `identifier` and, when the records API knows it, `scheme` (else Zenodo detects it).
  static func identifier(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let identifier = source["identifier"] { out["identifier"] = identifier }
    if let scheme = MappingValue.string(source["scheme"])?.lowercased(),
      MappingValue.identifierSchemes.contains(scheme)
    {
      out["scheme"] = .string(scheme)
    }
    return out
  }

  static func location(_ source: JSONObject) -> JSONValue {
    var out = JSONObject()
    if let place = source["place"] { out["place"] = place }
    if let lat = source["lat"], let lon = source["lon"] {
      out["geometry"] = .object(
        JSONObject([("type", .string("Point")), ("coordinates", .array([lon, lat]))]))
    }
    if let description = source["description"] { out["description"] = description }
    return .object(out)
  }

  // MARK: custom_fields

  /// The groups of legacy keys that become one custom field, and each key's name inside it.
  static let customGroups: [(field: String, members: [(key: String, name: String)])] = [
    (
      "journal:journal",
      [
        ("journal_title", "title"), ("journal_volume", "volume"), ("journal_issue", "issue"),
        ("journal_pages", "pages"), ("journal_issn", "issn"),
      ]
    ),
    (
      "meeting:meeting",
      [
        ("conference_title", "title"), ("conference_acronym", "acronym"),
        ("conference_dates", "dates"), ("conference_place", "place"),
        ("conference_url", "url"), ("conference_session", "session"),
        ("conference_session_part", "session_part"),
      ]
    ),
    (
      "imprint:imprint",
      [
        ("partof_title", "title"), ("partof_pages", "pages"), ("imprint_isbn", "isbn"),
        ("imprint_place", "place"), ("imprint_edition", "edition"),
      ]
    ),
    (
      "thesis:thesis",
      [
        ("thesis_university", "university"), ("thesis_department", "department"),
        ("thesis_type", "type"), ("thesis_date_submitted", "date_submitted"),
        ("thesis_date_defended", "date_defended"),
      ]
    ),
  ]

  static func customFields(_ source: JSONObject) -> JSONObject {
    var out = JSONObject()
    for group in customGroups {
      var field = JSONObject()
      for member in group.members {
        if let value = source[member.key] { field[member.name] = value }
      }
      if !field.isEmpty { out[group.field] = .object(field) }
    }
    if let repository = source["code_repository"] { out["code:codeRepository"] = repository }
    let languages = MappingValue.strings(source["programming_languages"])
    if !languages.isEmpty {
      out["code:programmingLanguage"] = .array(languages.map { MappingValue.id($0.lowercased()) })
    }
    if let status = MappingValue.string(source["development_status"]) {
      out["code:developmentStatus"] = MappingValue.id(status)
    }
    if let subjects = source["subjects"], case .array(let list) = subjects, !list.isEmpty {
      out["legacy:subjects"] = subjects
    }
    if case .object(let custom)? = source["custom"] {
      for member in custom { out[member.key] = member.value }
    }
    return out
  }

  // MARK: access

  static func access(_ source: JSONObject) -> JSONObject {
    let right = MappingValue.string(source["access_right"]) ?? "open"
    var out = JSONObject([
      ("record", .string("public")), ("files", .string(right == "open" ? "public" : "restricted")),
    ])
    if right == "embargoed", let until = MappingValue.string(source["embargo_date"]) {
      var embargo = JSONObject([("active", .bool(true)), ("until", .string(until))])
      if let reason = source["embargo_reason"] { embargo["reason"] = reason }
      out["embargo"] = .object(embargo)
    }
    return out
  }

  static func copy(_ source: JSONObject, _ key: String, to out: inout JSONObject) {
    if let value = source[key] { out[key] = value }
  }
}
