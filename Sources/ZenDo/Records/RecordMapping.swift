/// The `.zenodo.toml` → InvenioRDM JSON mapping (minimal version).
///
/// This branch maps only the legacy keys its end-to-end tests use (title, upload and publication
/// type, description, version, publication date, access right, licence, creators by name,
/// keywords, related identifiers, communities); the full mapping of every key is the
/// `rdm-metadata` branch's and replaces this file at the merge.
public enum RecordMapping {
  /// The draft body to PUT to /api/records/{id}/draft: {"metadata", "custom_fields", "access", "files": {"enabled"}}.
  public static func draftBody(for file: MetadataFile) -> JSONObject {
    let legacy = file.metadata
    var metadata = JSONObject()
    if let type = resourceType(legacy) {
      metadata["resource_type"] = .object(JSONObject([("id", .string(type))]))
    }
    if let title = legacy["title"]?.stringValue { metadata["title"] = .string(title) }
    if let date = legacy["publication_date"]?.stringValue {
      metadata["publication_date"] = .string(date)
    }
    let creators = (legacy["creators"]?.arrayValue ?? []).compactMap(person)
    if !creators.isEmpty { metadata["creators"] = .array(creators) }
    if let description = legacy["description"]?.stringValue {
      metadata["description"] = .string(description)
    }
    if let version = legacy["version"]?.stringValue { metadata["version"] = .string(version) }
    metadata["publisher"] = .string(legacy["imprint_publisher"]?.stringValue ?? "Zenodo")
    if let license = legacy["license"] {
      let id = license.objectValue?["id"]?.stringValue ?? license.stringValue
      if let id {
        metadata["rights"] = .array([
          .object(JSONObject([("id", .string(MetadataComparison.canonicalLicense(id)))]))
        ])
      }
    }
    let keywords = (legacy["keywords"]?.arrayValue ?? []).compactMap(\.stringValue)
    if !keywords.isEmpty {
      metadata["subjects"] = .array(
        keywords.map { .object(JSONObject([("subject", .string($0))])) })
    }
    let related = (legacy["related_identifiers"]?.arrayValue ?? []).compactMap(relatedIdentifier)
    if !related.isEmpty { metadata["related_identifiers"] = .array(related) }
    let access: JSONObject
    switch legacy["access_right"]?.stringValue ?? "open" {
    case "closed", "restricted":
      access = JSONObject([("record", .string("public")), ("files", .string("restricted"))])
    default:
      access = JSONObject([("record", .string("public")), ("files", .string("public"))])
    }
    return JSONObject([
      ("metadata", .object(metadata)),
      ("custom_fields", .object(JSONObject())),
      ("access", .object(access)),
      ("files", .object(JSONObject([("enabled", .bool(true))]))),
    ])
  }

  /// The community slugs/ids of the file, in order (the first gets the review request).
  public static func communities(for file: MetadataFile) -> [String] {
    (file.metadata["communities"]?.arrayValue ?? []).compactMap {
      $0.objectValue?["identifier"]?.stringValue ?? $0.stringValue
    }
  }

  /// The parent access settings to PUT (access-request settings holding access_conditions), or nil.
  public static func parentAccess(for file: MetadataFile) -> JSONObject? {
    nil
  }

  private static func resourceType(_ legacy: JSONObject) -> String? {
    guard let upload = legacy["upload_type"]?.stringValue else { return nil }
    switch upload {
    case "publication":
      return legacy["publication_type"]?.stringValue.map { "publication-\($0)" } ?? "publication"
    case "image":
      return legacy["image_type"]?.stringValue.map { "image-\($0)" } ?? "image"
    default:
      return upload
    }
  }

  private static func person(_ value: JSONValue) -> JSONValue? {
    guard let creator = value.objectValue, let name = creator["name"]?.stringValue else {
      return nil
    }
    var person = JSONObject([("type", .string("personal"))])
    let parts = name.split(separator: ",", maxSplits: 1).map { String($0).trimmed }
    person["family_name"] = .string(parts[0])
    if parts.count > 1, !parts[1].isEmpty { person["given_name"] = .string(parts[1]) }
    var entry = JSONObject([("person_or_org", .object(person))])
    if let affiliation = creator["affiliation"]?.stringValue, !affiliation.isEmpty {
      entry["affiliations"] = .array([.object(JSONObject([("name", .string(affiliation))]))])
    }
    return .object(entry)
  }

  private static func relatedIdentifier(_ value: JSONValue) -> JSONValue? {
    guard let entry = value.objectValue, let identifier = entry["identifier"]?.stringValue,
      let relation = entry["relation"]?.stringValue
    else { return nil }
    var out = JSONObject([("identifier", .string(DepositIdentity.normalised(identifier)))])
    if let scheme = entry["scheme"]?.stringValue { out["scheme"] = .string(scheme) }
    out["relation_type"] = .object(JSONObject([("id", .string(relation.lowercased()))]))
    return .object(out)
  }
}
