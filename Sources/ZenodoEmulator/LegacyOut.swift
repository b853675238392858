import Foundation

/// The Zenodo-JSON projection of a native record (`docs/zenodo-rdm-api.md` §9, reverse
/// direction): the metadata both the legacy deposit API and `Accept: application/json` show.
enum LegacyOut {
  /// Maps RDM relation type ids to the legacy camelCase names.
  static let relations: [String: String] = {
    let names = [
      "isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
      "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "hasVersion", "isVersionOf",
      "isNewVersionOf", "isPreviousVersionOf", "isPartOf", "hasPart", "isPublishedIn",
      "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy", "compiles",
      "isVariantFormOf", "isOriginalFormOf", "isIdenticalTo", "isReviewedBy", "reviews",
      "isDerivedFrom", "isSourceOf", "isRequiredBy", "requires", "isObsoletedBy", "obsoletes",
      "isAlternateIdentifier",
    ]
    return Dictionary(uniqueKeysWithValues: names.map { ($0.lowercased(), $0) })
  }()

  /// Maps RDM role ids to the legacy contributor types.
  static let roles: [String: String] = {
    let names = [
      "ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor", "Editor",
      "HostingInstitution", "Producer", "ProjectLeader", "ProjectManager", "ProjectMember",
      "RegistrationAgency", "RegistrationAuthority", "RelatedPerson", "Researcher",
      "ResearchGroup", "RightsHolder", "Sponsor", "Supervisor", "WorkPackageLeader", "Other",
    ]
    return Dictionary(uniqueKeysWithValues: names.map { ($0.lowercased(), $0) })
  }()

  /// `common.MetadataSchema`: the metadata both projections share.
  static func common(_ record: [String: JSON]) -> [String: JSON] {
    let metadata = record["metadata"]?.object ?? [:]
    var out: [String: JSON] = [:]
    for key in ["title", "publication_date", "description", "version"] {
      if let value = metadata[key] { out[key] = value }
    }
    if let doi = record["pids"]?["doi"]?["identifier"] { out["doi"] = doi }
    let access = record["access"]?.object ?? [:]
    out["access_right"] = .string(accessRight(access))
    if let until = access["embargo"]?["until"], until != .null { out["embargo_date"] = until }
    if let creators = metadata["creators"]?.array { out["creators"] = .array(creators.map(person)) }
    if let contributors = metadata["contributors"]?.array {
      out["contributors"] = .array(
        contributors.map { contributor in
          var entry = person(contributor).object ?? [:]
          if let role = contributor["role"]?["id"]?.string, let type = roles[role] {
            entry["type"] = .string(type)
          }
          return .object(entry)
        })
    }
    let keywords = (metadata["subjects"]?.array ?? []).compactMap { subject -> JSON? in
      subject["id"] == nil ? subject["subject"] : nil
    }
    if !keywords.isEmpty { out["keywords"] = .array(keywords) }
    if let subjects = record["custom_fields"]?["legacy:subjects"] { out["subjects"] = subjects }
    if let related = metadata["related_identifiers"]?.array {
      out["related_identifiers"] = .array(related.map(relatedIdentifier))
    }
    if let locations = metadata["locations"]?["features"]?.array {
      out["locations"] = .array(locations.map(location))
    }
    if let dates = metadata["dates"]?.array { out["dates"] = .array(dates.map(date)) }
    if let references = metadata["references"]?.array, !references.isEmpty {
      out["references"] = .array(references.compactMap { $0["reference"] })
    }
    if let language = metadata["languages"]?.array?.first?["id"] { out["language"] = language }
    let custom = (record["custom_fields"]?.object ?? [:]).filter { key, _ in
      !["legacy:", "thesis:", "imprint:", "meeting:", "journal:", "part_of:"].contains {
        key.hasPrefix($0)
      }
    }
    if !custom.isEmpty { out["custom"] = .object(custom) }
    for description in metadata["additional_descriptions"]?.array ?? [] {
      let type = description["type"]?["id"]?.string
      if type == "notes", out["notes"] == nil { out["notes"] = description["description"] }
      if type == "methods" { out["method"] = description["description"] }
    }
    return out
  }

  static func accessRight(_ access: [String: JSON]) -> String {
    if access["files"]?.string == "public" { return "open" }
    if access["embargo"]?["active"] == .bool(true) { return "embargoed" }
    return "restricted"
  }

  static func person(_ value: JSON) -> JSON {
    var out: [String: JSON] = ["name": value["person_or_org"]?["name"] ?? .null]
    if let affiliation = value["affiliations"]?.array?.first?["name"] {
      out["affiliation"] = affiliation
    }
    for identifier in value["person_or_org"]?["identifiers"]?.array ?? [] {
      guard let id = identifier["identifier"]?.string else { continue }
      switch identifier["scheme"]?.string {
      case "orcid": out["orcid"] = .string(id.replacingOccurrences(of: "orcid:", with: ""))
      case "gnd": out["gnd"] = .string(id.replacingOccurrences(of: "gnd:", with: ""))
      default: break
      }
    }
    return .object(out)
  }

  static func relatedIdentifier(_ value: JSON) -> JSON {
    var out: [String: JSON] = [:]
    out["identifier"] = value["identifier"]
    out["scheme"] = value["scheme"]
    if let type = value["resource_type"]?["id"] { out["resource_type"] = type }
    if let relation = value["relation_type"]?["id"]?.string, let name = relations[relation] {
      out["relation"] = .string(name)
    }
    return .object(out.filter { $0.value != .null })
  }

  static func location(_ value: JSON) -> JSON {
    var out: [String: JSON] = [:]
    if let place = value["place"], place != .null { out["place"] = place }
    if let description = value["description"], description != .null {
      out["description"] = description
    }
    if let coordinates = value["geometry"]?["coordinates"]?.array, coordinates.count >= 2 {
      out["lon"] = coordinates[0]
      out["lat"] = coordinates[1]
    }
    return .object(out)
  }

  static func date(_ value: JSON) -> JSON {
    var out: [String: JSON] = [:]
    if let type = value["type"]?["id"] { out["type"] = type }
    if let description = value["description"] { out["description"] = description }
    let parts = (value["date"]?.string ?? "").split(separator: "/").map { JSON.string(String($0)) }
    if parts.count == 2 {
      out["start"] = parts[0]
      out["end"] = parts[1]
    }
    return .object(out)
  }

  /// One legacy grant from an RDM funding entry, or `nil` when award or funder is incomplete.
  static func grant(_ funding: JSON) -> [String: JSON]? {
    guard let award = funding["award"]?.object, let funder = funding["funder"]?.object,
      let funderID = funder["id"]?.string
    else { return nil }
    let doi = LegacyTables.shared.funderRORToDOI[funderID] ?? funderID
    let number =
      award["number"]?.string
      ?? award["id"]?.string?.components(separatedBy: "::").dropFirst().joined(separator: "::")
    guard let number, !number.isEmpty else { return nil }
    var out: [String: JSON] = [
      "code": .string(number), "internal_id": .string("\(doi)::\(number)"),
      "funder": .object(["name": funder["name"] ?? .string("")]),
    ]
    if let title = award["title"]?["en"] { out["title"] = title }
    return out
  }

  /// The deposit API's `metadata` (`legacyjson.MetadataSchema`).
  static func deposition(_ record: [String: JSON], communities: [String]) -> [String: JSON] {
    var out = common(record)
    let metadata = record["metadata"]?.object ?? [:]
    let custom = record["custom_fields"]?.object ?? [:]
    let grants = (metadata["funding"]?.array ?? []).compactMap(grant).compactMap {
      $0["internal_id"].map { JSON.object(["id": $0]) }
    }
    if !grants.isEmpty { out["grants"] = .array(grants) }
    if let id = metadata["rights"]?.array?.first?["id"]?.string {
      out["license"] = LegacyTables.shared.rdmToLegacy[id].map(JSON.string)
    }
    let groups: [(String, [(String, String)])] = [
      (
        "journal:journal",
        [
          ("title", "journal_title"), ("volume", "journal_volume"), ("issue", "journal_issue"),
          ("pages", "journal_pages"),
        ]
      ),
      (
        "meeting:meeting",
        [
          ("title", "conference_title"), ("acronym", "conference_acronym"),
          ("dates", "conference_dates"), ("place", "conference_place"), ("url", "conference_url"),
          ("session", "conference_session"), ("session_part", "conference_session_part"),
        ]
      ),
      (
        "imprint:imprint",
        [
          ("isbn", "imprint_isbn"), ("place", "imprint_place"), ("pages", "partof_pages"),
          ("title", "partof_title"),
        ]
      ),
      ("thesis:thesis", [("university", "thesis_university")]),
    ]
    for (name, keys) in groups {
      for (key, legacy) in keys { if let value = custom[name]?[key] { out[legacy] = value } }
    }
    if let publisher = metadata["publisher"] { out["imprint_publisher"] = publisher }
    let slugs = Set((custom["legacy:communities"]?.array ?? []).compactMap(\.string) + communities)
    if !slugs.isEmpty {
      out["communities"] = .array(slugs.sorted().map { .object(["identifier": .string($0)]) })
    }
    var related = out["related_identifiers"]?.array ?? []
    for identifier in metadata["identifiers"]?.array ?? [] {
      related.append(
        .object([
          "identifier": identifier["identifier"] ?? .null, "scheme": identifier["scheme"] ?? .null,
          "relation": "isAlternateIdentifier",
        ]))
    }
    if !related.isEmpty { out["related_identifiers"] = .array(related) }
    if let type = metadata["resource_type"]?["id"]?.string {
      let parts = type.split(separator: "-", maxSplits: 1).map(String.init)
      out["upload_type"] = .string(parts[0])
      if parts.count == 2 {
        out["\(parts[0])_type"] = .string(type.split(separator: "-").last.map(String.init) ?? "")
      }
    }
    return out
  }

  /// The records API's Zenodo-JSON `metadata` (`zenodojson.MetadataSchema`).
  static func zenodo(_ record: [String: JSON], communities: [String]) -> [String: JSON] {
    var out = common(record)
    let metadata = record["metadata"]?.object ?? [:]
    let custom = record["custom_fields"]?.object ?? [:]
    if let type = metadata["resource_type"], let id = type["id"]?.string {
      var entry: [String: JSON] = ["type": .string(String(id.split(separator: "-")[0]))]
      if id.contains("-") {
        entry["subtype"] = .string(id.split(separator: "-").last.map(String.init) ?? "")
      }
      if let title = type["title"]?["en"] { entry["title"] = title }
      out["resource_type"] = .object(entry)
    }
    for (name, key) in [
      ("journal:journal", "journal"), ("meeting:meeting", "meeting"),
      ("imprint:imprint", "imprint"), ("thesis:thesis", "thesis"),
    ] {
      if let value = custom[name] { out[key] = value }
    }
    let alternate = (metadata["identifiers"]?.array ?? []).map { identifier -> JSON in
      .object([
        "identifier": identifier["identifier"] ?? .null, "scheme": identifier["scheme"] ?? .null,
      ])
    }
    if !alternate.isEmpty { out["alternate_identifiers"] = .array(alternate) }
    if let id = metadata["rights"]?.array?.first?["id"] { out["license"] = .object(["id": id]) }
    let grants = (metadata["funding"]?.array ?? []).compactMap(grant).map(JSON.object)
    if !grants.isEmpty { out["grants"] = .array(grants) }
    let slugs = Set((custom["legacy:communities"]?.array ?? []).compactMap(\.string) + communities)
    if !slugs.isEmpty {
      out["communities"] = .array(slugs.sorted().map { .object(["id": .string($0)]) })
    }
    let versions = record["versions"]?.object ?? [:]
    out["relations"] = .object([
      "version": .array([
        .object([
          "index": .int((versions["index"]?.int ?? 1) - 1),
          "is_last": versions["is_latest"] ?? .bool(false),
          "parent": .object(["pid_type": "recid", "pid_value": record["parent"]?["id"] ?? .null]),
        ])
      ])
    ])
    return out
  }
}
