import Foundation

/// Creators and contributors: `person_or_org`, `role`, `affiliations`.
enum Person {
  static let schemes: Set<String> = ["orcid", "isni", "gnd", "ror", "edmo"]

  static func creator(
    _ value: JSON, _ path: String, _ errors: inout ErrorList, roleRequired: Bool
  ) -> JSON? {
    guard
      let object = RDMSchema.members(
        value, path, &errors, allowed: ["person_or_org", "role", "affiliations"])
    else { return nil }
    guard let person = object["person_or_org"] else {
      errors.add(path + ".person_or_org", RDMSchema.missing)
      return nil
    }
    guard let loaded = personOrOrg(person, path + ".person_or_org", &errors) else { return nil }
    var out: [String: JSON] = ["person_or_org": loaded]
    if let role = object["role"] {
      guard let role = RDMSchema.idObject(role, path + ".role", &errors) else { return nil }
      out["role"] = role
    } else if roleRequired {
      errors.add(path + ".role", RDMSchema.missing)
      return nil
    }
    if let affiliations = object["affiliations"] {
      guard let list = affiliationList(affiliations, path + ".affiliations", &errors) else {
        return nil
      }
      out["affiliations"] = list
    }
    return .object(out)
  }

  static func personOrOrg(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    let allowed: Set<String> = ["type", "given_name", "family_name", "name", "identifiers"]
    guard let object = RDMSchema.members(value, path, &errors, allowed: allowed) else {
      return nil
    }
    guard let type = object["type"]?.string else {
      errors.add(path + ".type", RDMSchema.missing)
      return nil
    }
    var out: [String: JSON] = ["type": .string(type)]
    switch type {
    case "personal":
      let family = object["family_name"]?.string?.trimmingCharacters(in: .whitespaces) ?? ""
      // A blank name fails a schema-level check: the save keeps the partial object (as
      // marshmallow's valid data does) and publish reports it.
      if family.isEmpty { errors.add(path + ".family_name", "Family name cannot be blank.") }
      let given = object["given_name"]?.string?.trimmingCharacters(in: .whitespaces) ?? ""
      out["family_name"] = .string(family)
      if !given.isEmpty { out["given_name"] = .string(given) }
      out["name"] = .string(given.isEmpty ? family : "\(family), \(given)")
    case "organizational":
      let name = object["name"]?.string?.trimmingCharacters(in: .whitespaces) ?? ""
      if name.isEmpty { errors.add(path + ".name", "Name cannot be blank.") }
      out["name"] = .string(name)
    default:
      errors.add(path + ".type", "Invalid value. Choose one of ['organizational', 'personal'].")
      return nil
    }
    if let identifiers = object["identifiers"] {
      guard let list = personIdentifiers(identifiers, path + ".identifiers", &errors) else {
        return nil
      }
      out["identifiers"] = list
    }
    return .object(out)
  }

  static func personIdentifiers(_ value: JSON, _ path: String, _ errors: inout ErrorList)
    -> JSON?
  {
    guard let array = value.array else {
      errors.add(path, "Not a valid list.")
      return nil
    }
    var seen = Set<String>()
    var out: [JSON] = []
    for (index, item) in array.enumerated() {
      guard let object = item.object, let raw = object["identifier"]?.string else {
        errors.add("\(path).\(index).identifier", RDMSchema.missing)
        return nil
      }
      let scheme = object["scheme"]?.string ?? Identifier.detect(raw)?.1 ?? ""
      guard schemes.contains(scheme) else {
        errors.add("\(path).\(index).scheme", "Invalid scheme.")
        return nil
      }
      guard seen.insert(scheme).inserted else {
        errors.add(path, "Only one identifier per scheme is allowed.")
        return nil
      }
      out.append(
        .object([
          "scheme": .string(scheme),
          "identifier": .string(Identifier.normalise(raw, scheme: scheme)),
        ]))
    }
    return .array(out)
  }

  static func affiliationList(_ value: JSON, _ path: String, _ errors: inout ErrorList) -> JSON? {
    guard let array = value.array else {
      errors.add(path, "Not a valid list.")
      return nil
    }
    var out: [JSON] = []
    var seen = Set<String>()
    for (index, item) in array.enumerated() {
      guard
        let object = RDMSchema.members(item, "\(path).\(index)", &errors, allowed: ["id", "name"])
      else { return nil }
      if let id = object["id"]?.string {
        out.append(.object(["id": .string(id)]))
        if !seen.insert("id:" + id).inserted {
          errors.add(path, "Duplicated affiliations: \(id)")
          return nil
        }
      } else if let name = object["name"]?.string, !name.isEmpty {
        out.append(.object(["name": .string(name)]))
        if !seen.insert("name:" + name).inserted {
          errors.add(path, "Duplicated affiliations: \(name)")
          return nil
        }
      } else {
        errors.add("\(path).\(index)", "An existing id or a free text name must be present.")
        return nil
      }
    }
    return .array(out)
  }
}

/// What a create or update body loads to, with its lax errors.
struct LoadedBody {
  var metadata: [String: JSON]
  var customFields: [String: JSON]
  /// `nil` when the body has no `access` (update keeps the current one).
  var access: [String: JSON]?
  /// `nil` when the body has no `pids` (update keeps the current ones).
  var pids: [String: JSON]?
  /// `files.enabled` as sent, if sent.
  var filesEnabled: Bool?
  /// `files.default_preview` as sent (`nil` clears it).
  var defaultPreview: String?
  /// `parent.review` as sent on create.
  var review: [String: JSON]?
  var errors: ErrorList
}

/// The top level of a records API body: `metadata`, `custom_fields`, `access`, `files`, `pids`,
/// `parent`; everything else is ignored (`unknown = EXCLUDE`).
enum RecordBody {
  static let customFieldKeys: Set<String> = [
    "code:codeRepository", "code:programmingLanguage", "code:developmentStatus",
    "journal:journal", "meeting:meeting", "imprint:imprint", "thesis:thesis",
    "legacy:communities", "legacy:subjects",
  ]
  static let customFieldPrefixes = [
    "dwc:", "gbif-dwc:", "gbif:", "mixs:", "ac:", "openbiodiv:", "obo:", "dc:", "ebu:", "av:",
  ]

  static func load(_ body: JSON) -> LoadedBody {
    var errors = ErrorList()
    let object = body.object ?? [:]
    let metadata = RDMSchema.loadMetadata(object["metadata"], errors: &errors)
    var custom: [String: JSON] = [:]
    for (key, value) in object["custom_fields"]?.object ?? [:] {
      if customFieldKeys.contains(key) || customFieldPrefixes.contains(where: key.hasPrefix) {
        if key == "code:codeRepository",
          !(value.string.map { $0.hasPrefix("http://") || $0.hasPrefix("https://") } ?? false)
        {
          errors.add("custom_fields.\(key)", "You must provide a valid URL.")
          continue
        }
        custom[key] = value
      } else {
        errors.add("custom_fields.\(key)", RDMSchema.unknown)
      }
    }
    let access = object["access"].map { loadAccess($0, &errors) }
    let pids = object["pids"].map { loadPIDs($0, &errors) }
    let filesEnabled = object["files"]?["enabled"].flatMap { value -> Bool? in
      if case .bool(let flag) = value { return flag }
      return nil
    }
    return LoadedBody(
      metadata: metadata, customFields: custom, access: access, pids: pids,
      filesEnabled: filesEnabled, defaultPreview: object["files"]?["default_preview"]?.string,
      review: object["parent"]?["review"]?.object, errors: errors)
  }

  static func loadAccess(_ value: JSON, _ errors: inout ErrorList) -> [String: JSON] {
    var out: [String: JSON] = ["record": .string("public"), "files": .string("public")]
    guard let object = value.object else {
      errors.add("access", RDMSchema.invalidType)
      return out
    }
    for key in ["record", "files"] {
      guard let level = object[key]?.string else {
        errors.add("access.\(key)", RDMSchema.missing)
        continue
      }
      guard level == "public" || level == "restricted" else {
        errors.add("access.\(key)", "'\(key)' must be either 'public' or 'restricted'")
        continue
      }
      out[key] = .string(level)
    }
    if let embargo = object["embargo"]?.object {
      let active = embargo["active"] == .bool(true)
      let until = embargo["until"]?.string
      if active, until.map({ $0 <= Clock.today() }) ?? true {
        errors.add("access.embargo", "Embargo end date must be set to a future date.")
      } else if !active, let until, until > Clock.today() {
        errors.add("access.embargo", "Embargo end date must be set to a past date or be empty.")
      } else {
        out["embargo"] = .object([
          "active": .bool(active), "until": until.map(JSON.string) ?? .null,
          "reason": embargo["reason"] ?? .null,
        ])
      }
    }
    return out
  }

  static func loadPIDs(_ value: JSON, _ errors: inout ErrorList) -> [String: JSON] {
    guard let object = value.object else {
      errors.add("pids", RDMSchema.invalidType)
      return [:]
    }
    var out: [String: JSON] = [:]
    for (scheme, pid) in object {
      guard scheme == "doi" || scheme == "oai" else {
        errors.add("pids", "Invalid persistent identifier scheme.")
        continue
      }
      guard let members = pid.object, let provider = members["provider"]?.string else {
        errors.add("pids.\(scheme).provider", RDMSchema.missing)
        continue
      }
      var identifier = members["identifier"]?.string ?? ""
      if scheme == "doi" { identifier = Identifier.normalise(identifier, scheme: "doi") }
      var entry: [String: JSON] = [
        "identifier": .string(identifier), "provider": .string(provider),
      ]
      if let client = members["client"]?.string { entry["client"] = .string(client) }
      out[scheme] = .object(entry)
    }
    return out
  }
}
