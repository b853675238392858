import Foundation

/// One field error in Zenodo's RDM validation shape (`{"field": ..., "messages": [...]}`).
struct FieldError: Sendable, Equatable {
  var field: String
  var messages: [String]

  var json: JSON {
    .object(["field": .string(field), "messages": .array(messages.map(JSON.string))])
  }
}

/// Zenodo's legacy metadata rules (zenodo-api.md §7): lenient normalisation on save, strict
/// validation at publish.
enum LegacyMetadata {
  static let uploadTypes: Set<String> = [
    "publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
    "physicalobject", "other",
  ]
  static let publicationTypes: Set<String> = [
    "annotationcollection", "book", "section", "conferencepaper", "datamanagementplan", "article",
    "patent", "preprint", "deliverable", "milestone", "proposal", "report",
    "softwaredocumentation", "taxonomictreatment", "technicalnote", "thesis", "workingpaper",
    "other",
  ]
  static let imageTypes: Set<String> = ["figure", "plot", "drawing", "diagram", "photo", "other"]
  static let contributorTypes: Set<String> = [
    "ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor", "Editor",
    "HostingInstitution", "Producer", "ProjectLeader", "ProjectManager", "ProjectMember",
    "RegistrationAgency", "RegistrationAuthority", "RelatedPerson", "Researcher", "ResearchGroup",
    "RightsHolder", "Supervisor", "Sponsor", "WorkPackageLeader", "Other",
  ]
  static let stringFields = [
    "title", "description", "notes", "method", "version", "journal_title", "journal_volume",
    "journal_issue", "journal_pages", "conference_title", "conference_acronym", "conference_dates",
    "conference_place", "conference_url", "conference_session", "conference_session_part",
    "imprint_publisher", "imprint_isbn", "imprint_place", "partof_title", "partof_pages",
    "thesis_university", "doi",
  ]

  /// Legacy licence ids, lower-cased input → the id Zenodo reads back (§7.4: the last legacy key
  /// of the inverse map wins).
  static let licenses: [String: String] = {
    var table: [String: String] = [
      "cc-by": "cc-by-4.0", "cc-by-4.0": "cc-by-4.0", "cc-by-sa": "cc-by-sa-4.0",
      "cc-by-sa-4.0": "cc-by-sa-4.0", "cc-by-nc-4.0": "cc-by-nc-4.0",
      "cc-by-nd-4.0": "cc-by-nd-4.0",
      "cc-by-nc-sa-4.0": "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0": "cc-by-nc-nd-4.0",
      "cc-by-3.0": "cc-by-3.0", "cc-by-sa-3.0": "cc-by-sa-3.0", "cc-zero": "cc-zero",
      "cc0-1.0": "cc-zero", "cc0": "cc-zero", "mit": "mit-license", "mit-license": "mit-license",
      "apache": "apache2.0", "apache2.0": "apache2.0", "apache-2.0": "apache2.0",
      "gpl-3.0": "gpl-3.0", "gpl-3.0-only": "gpl-3.0", "gpl-3.0-or-later": "gpl-3.0-or-later",
      "gpl-2.0": "gpl-2.0", "gpl-2.0-only": "gpl-2.0", "lgpl-3.0": "lgpl-3.0",
      "lgpl-3.0-only": "lgpl-3.0", "lgpl-2.1": "lgpl-2.1", "agpl-3.0": "agpl-3.0",
      "agpl-3.0-only": "agpl-3.0", "bsd-3-clause": "bsd-3-clause", "bsd-2-clause": "bsd-2-clause",
      "mpl-2.0": "mpl-2.0", "unlicense": "unlicense", "isc": "isc-license",
      "isc-license": "isc-license", "artistic-2.0": "artistic-2.0", "epl-2.0": "epl-2.0",
      "cc-pdm-1.0": "cc-pdm-1.0", "other-open": "other-open", "other-closed": "other-closed",
      "other-at": "other-at", "other-nc": "other-nc", "other-pd": "other-pd",
    ]
    table["cc-by-sa-4.0"] = "cc-by-sa-4.0"
    return table
  }()

  static let iso639Part1: [String: String] = [
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
    "ru": "rus", "zh": "zho", "ja": "jpn", "ko": "kor", "ar": "ara", "sv": "swe", "no": "nor",
    "da": "dan", "fi": "fin", "pl": "pol", "cs": "ces", "el": "ell", "tr": "tur", "hu": "hun",
    "la": "lat", "ca": "cat", "he": "heb", "hi": "hin",
  ]

  /// Normalises metadata the way a lenient draft save does; throws the errors the legacy
  /// deserializer raises at once (400).
  static func normalise(_ input: [String: JSON], today: String) throws(APIError) -> [String: JSON] {
    var out: [String: JSON] = [:]
    var errors: [FieldError] = []

    for key in stringFields {
      if let value = input[key]?.string { out[key] = .string(value) }
    }
    // Only an external DOI is kept: an empty one means none, and Zenodo's own DOIs (echoed back
    // from a read) are managed by the server.
    if let doi = out["doi"]?.string, doi.isEmpty || doi.hasPrefix("10.5281/zenodo.") {
      out["doi"] = nil
    }
    if let value = input["upload_type"]?.string, uploadTypes.contains(value) {
      out["upload_type"] = .string(value)
    }
    if let value = input["publication_type"]?.string, publicationTypes.contains(value) {
      out["publication_type"] = .string(value)
    }
    if let value = input["image_type"]?.string, imageTypes.contains(value) {
      out["image_type"] = .string(value)
    }

    // Dates.
    if let value = input["publication_date"], value != .null {
      if let text = value.string, isDate(text) {
        out["publication_date"] = .string(text)
      } else {
        errors.append(
          FieldError(field: "metadata.publication_date", messages: ["Not a valid date."]))
      }
    } else {
      out["publication_date"] = .string(today)
    }
    if let value = input["embargo_date"], value != .null {
      if let text = value.string, isDate(text) {
        out["embargo_date"] = .string(text)
      } else {
        errors.append(FieldError(field: "metadata.embargo_date", messages: ["Not a valid date."]))
      }
    }

    // Access right: closed is stored as restricted; embargoed needs a date.
    var access = input["access_right"]?.string ?? "open"
    if access == "closed" { access = "restricted" }
    if !["open", "embargoed", "restricted"].contains(access)
      || (access == "embargoed" && out["embargo_date"] == nil)
    {
      errors.append(FieldError(field: "_schema", messages: ["Unknown access type."]))
    }
    out["access_right"] = .string(access)

    // Licence.
    if let value = input["license"], value != .null {
      let id: String?
      switch value {
      case .string(let text): id = text
      case .object(let members): id = members["id"]?.string
      default: id = nil
      }
      if let id {
        if let mapped = licenses[id.lowercased()] {
          out["license"] = .string(mapped)
        } else {
          errors.append(
            FieldError(field: "metadata.license", messages: ["Invalid license provided: \(id)"]))
        }
      } else {
        errors.append(
          FieldError(
            field: "metadata.license", messages: ["Invalid license value provided \(value)"]))
      }
    } else if access == "open" || access == "embargoed" {
      out["license"] = .string(out["upload_type"]?.string == "dataset" ? "cc-zero" : "cc-by-4.0")
    }

    if out["imprint_publisher"] == nil { out["imprint_publisher"] = .string("Zenodo") }

    // People.
    if let creators = input["creators"]?.array {
      out["creators"] = .array(creators.compactMap { person($0, withType: false) })
    }
    var contributors = (input["contributors"]?.array ?? []).compactMap {
      person($0, withType: true)
    }
    for supervisor in input["thesis_supervisors"]?.array ?? [] {
      if var entry = person(supervisor, withType: false)?.object {
        entry["type"] = .string("Supervisor")
        contributors.append(.object(entry))
      }
    }
    if !contributors.isEmpty { out["contributors"] = .array(contributors) }

    if let keywords = input["keywords"]?.array {
      out["keywords"] = .array(keywords.filter { $0.string != nil })
    }
    if let references = input["references"]?.array {
      out["references"] = .array(references.filter { $0.string != nil })
    }

    // Related identifiers: shape checked at once; alternate identifiers kept apart, then merged
    // back after the others, as zenodo-rdm's split and merge do.
    if let value = input["related_identifiers"], value != .null {
      if let list = value.array {
        var related: [JSON] = []
        var alternate: [JSON] = []
        for (index, item) in list.enumerated() {
          let field = "metadata.related_identifiers.\(index)"
          guard let entry = item.object else {
            errors.append(
              FieldError(field: field, messages: ["Each related identifier must be an object"]))
            continue
          }
          guard let relationValue = entry["relation"], var relation = relationValue.string else {
            errors.append(
              FieldError(field: field + ".relation", messages: ["relation must be a string"]))
            continue
          }
          if relation == "isOrignialFormOf" { relation = "isOriginalFormOf" }
          guard let raw = entry["identifier"]?.string, let detected = Identifier.normalise(raw)
          else {
            errors.append(
              FieldError(
                field: field + ".identifier",
                messages: ["No valid scheme recognized for identifier."]))
            continue
          }
          var normalised: [String: JSON] = [
            "identifier": .string(detected.0), "relation": .string(relation),
            "scheme": .string(detected.1),
          ]
          if let type = entry["resource_type"]?.string {
            normalised["resource_type"] = .string(type)
          }
          if relation == "isAlternateIdentifier" {
            alternate.append(.object(normalised))
          } else {
            related.append(.object(normalised))
          }
        }
        out["related_identifiers"] = .array(related + alternate)
      } else {
        errors.append(
          FieldError(
            field: "metadata.related_identifiers", messages: ["related_identifiers must be a list"])
        )
      }
    }

    if let value = input["communities"], value != .null {
      if let list = value.array, list.allSatisfy({ $0["identifier"]?.string != nil }) {
        out["communities"] = .array(list.map { .object(["identifier": $0["identifier"]!]) })
      } else {
        errors.append(FieldError(field: "communities", messages: ["Invalid communities."]))
      }
    }
    if let grants = input["grants"]?.array {
      out["grants"] = .array(
        grants.compactMap { grant in
          guard let id = grant["id"]?.string else { return nil }
          return .object(["id": .string(id.contains("::") ? id : "10.13039/501100000780::" + id)])
        })
    }
    if let value = input["language"], value != .null {
      let code = value.string?.lowercased() ?? ""
      if code.count == 3 {
        out["language"] = .string(code)
      } else if code.count == 2 {
        out["language"] = .string(iso639Part1[code] ?? code + code.suffix(1))
      } else {
        errors.append(
          FieldError(
            field: "metadata.language",
            messages: ["Language must be either ISO-639-1 or 639-2 compatible."]))
      }
    }
    if let locations = input["locations"]?.array {
      out["locations"] = .array(
        locations.compactMap { location in
          guard let place = location["place"]?.string else { return nil }
          var entry: [String: JSON] = ["place": .string(place)]
          for key in ["lat", "lon", "description"]
          where location[key] != nil && location[key] != .null {
            entry[key] = location[key]
          }
          return .object(entry)
        })
    }
    if let dates = input["dates"]?.array {
      var kept: [JSON] = []
      for (index, date) in dates.enumerated() {
        let start = date["start"]?.string
        let end = date["end"]?.string
        if start == nil && end == nil {
          errors.append(
            FieldError(field: "metadata.dates.\(index)", messages: ["Invalid date provided."]))
          continue
        }
        var entry: [String: JSON] = [:]
        for key in ["start", "end", "type", "description"] where date[key]?.string != nil {
          entry[key] = date[key]
        }
        kept.append(.object(entry))
      }
      out["dates"] = .array(kept)
    }
    if let subjects = input["subjects"]?.array { out["subjects"] = .array(subjects) }
    if let custom = input["custom"], custom.object != nil { out["custom"] = custom }

    if !errors.isEmpty { throw .validation(errors) }
    return out
  }

  /// The strict checks of publish (§6, §7): metadata first.
  static func publishErrors(_ metadata: [String: JSON]) -> [FieldError] {
    var errors: [FieldError] = []
    let missing = ["Missing data for required field."]
    if let type = metadata["upload_type"]?.string {
      if type == "publication" && metadata["publication_type"] == nil {
        errors.append(FieldError(field: "metadata.resource_type", messages: missing))
      }
      if type == "image" && metadata["image_type"] == nil {
        errors.append(FieldError(field: "metadata.resource_type", messages: missing))
      }
    } else {
      errors.append(FieldError(field: "metadata.resource_type", messages: missing))
    }
    if let title = metadata["title"]?.string, !title.trimmingCharacters(in: .whitespaces).isEmpty {
      if title.count < 3 {
        errors.append(
          FieldError(field: "metadata.title", messages: ["Shorter than minimum length 3."]))
      }
    } else {
      errors.append(FieldError(field: "metadata.title", messages: missing))
    }
    if metadata["publication_date"] == nil {
      errors.append(FieldError(field: "metadata.publication_date", messages: missing))
    }
    let creators = metadata["creators"]?.array ?? []
    if creators.isEmpty {
      errors.append(FieldError(field: "metadata.creators", messages: missing))
    }
    for (index, creator) in creators.enumerated() {
      let name = creator["name"]?.string ?? ""
      let family = name.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
      if family.trimmingCharacters(in: .whitespaces).isEmpty {
        errors.append(
          FieldError(
            field: "metadata.creators.\(index).person_or_org.family_name", messages: missing))
      }
    }
    if let description = metadata["description"]?.string, description.count < 3 {
      errors.append(
        FieldError(field: "metadata.description", messages: ["Shorter than minimum length 3."]))
    }
    return errors
  }

  private static func person(_ value: JSON, withType: Bool) -> JSON? {
    guard let entry = value.object else { return nil }
    var out: [String: JSON] = [:]
    out["name"] = .string(entry["name"]?.string ?? "")
    if let affiliation = entry["affiliation"]?.string { out["affiliation"] = .string(affiliation) }
    for key in ["orcid", "gnd"] {
      if let id = entry[key]?.string { out[key] = .string(Identifier.bareORCID(id)) }
    }
    if withType {
      guard let type = entry["type"]?.string, contributorTypes.contains(type) else { return nil }
      out["type"] = .string(type)
    }
    return .object(out)
  }

  /// `YYYY-MM-DD` with a real calendar date.
  static func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), day >= 1
    else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= days[month - 1]
  }
}

/// Identifier scheme detection and normalisation, after idutils (zenodo-api.md §4.1 caveat 2).
enum Identifier {
  /// The normalised identifier and its scheme, or `nil` when no scheme is recognised.
  static func normalise(_ raw: String) -> (String, String)? {
    let value = raw.trimmingCharacters(in: .whitespaces)
    let lower = value.lowercased()
    if lower.hasPrefix("https://nbn-resolving.org/") {
      return normalise(String(value.dropFirst("https://nbn-resolving.org/".count)))
    }
    if lower.hasPrefix("urn:") && value.count > 4 {
      return ("urn:" + value.dropFirst(4), "urn")
    }
    if lower.hasPrefix("10.") && value.contains("/") { return (value, "doi") }
    if lower.hasPrefix("doi:10.") { return (String(value.dropFirst(4)), "doi") }
    for prefix in [
      "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
    ]
    where lower.hasPrefix(prefix) {
      return (String(value.dropFirst(prefix.count)), "doi")
    }
    if lower.hasPrefix("arxiv:") { return (value, "arxiv") }
    if lower.hasPrefix("ark:/") { return (value, "ark") }
    if lower.hasPrefix("https://orcid.org/") || isORCID(value) {
      return (bareORCID(value), "orcid")
    }
    if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("ftp://") {
      return (value, "url")
    }
    let digits = value.filter { $0 != "-" }
    if digits.count == 13, digits.allSatisfy(\.isNumber) { return (value, "isbn") }
    if digits.count == 8, digits.dropLast().allSatisfy(\.isNumber) { return (value, "issn") }
    if !value.isEmpty, value.allSatisfy(\.isNumber) { return (value, "pmid") }
    return nil
  }

  static func isORCID(_ value: String) -> Bool {
    let parts = value.split(separator: "-")
    return parts.count == 4 && parts.allSatisfy { $0.count == 4 }
  }

  static func bareORCID(_ value: String) -> String {
    value.hasPrefix("https://orcid.org/")
      ? String(value.dropFirst("https://orcid.org/".count)) : value
  }
}
