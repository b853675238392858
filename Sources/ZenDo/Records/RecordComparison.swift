/// What a records-API draft or record kept of what zen-do sent.
public enum RecordComparison {
  /// Dotted paths of `local` (a draftBody) whose values `remote` (a record or draft as read back
  /// with Accept: application/vnd.inveniordm.v1+json) does not hold, compared the way Zenodo stores them.
  ///
  /// Only what `local` says is compared: what Zenodo adds (vocabulary titles, a person's `name`
  /// made of the family and given names, `access.status`, links) is not a difference. Strings
  /// compare without the white space Zenodo trims; person identifiers by their characters
  /// (`0000-0002-…` and `0000 0002 …` are one ISNI, `gnd:4005728-8` and `4005728-8` one GND);
  /// an affiliation or funder with a vocabulary `id` by its id alone (Zenodo shows the
  /// vocabulary's name); a DOI, scheme or vocabulary id without regard to letter case.
  ///
  /// A field of `metadata` or `custom_fields` that `remote` holds and `local` leaves out is a
  /// difference too (the user removed it from the file, and a PUT of `local` removes it on
  /// Zenodo); Zenodo itself adds no field there.
  public static func differences(local: JSONObject, remote: JSONObject) -> [String] {
    var out: [String] = []
    compare(.object(local), remote: .object(remote), path: [], into: &out)
    for section in ["metadata", "custom_fields"] {
      guard case .object(let theirs)? = remote[section] else { continue }
      let ours: JSONObject
      if case .object(let object)? = local[section] { ours = object } else { ours = JSONObject() }
      for (key, value) in theirs where ours[key] == nil && !isEmpty(value) {
        out.append("\(section).\(key)")
      }
    }
    return out
  }

  private static func compare(
    _ local: JSONValue, remote: JSONValue?, path: [String], into out: inout [String]
  ) {
    let dotted = path.joined(separator: ".")
    guard let remote else {
      if !isEmpty(local) { out.append(dotted) }
      return
    }
    switch local {
    case .object(let object):
      guard case .object(let other) = remote else {
        out.append(dotted)
        return
      }
      if other["id"] != nil, let id = object["id"], object.count > 1, hasVocabularyName(path) {
        // Zenodo replaces the free-text name of a vocabulary entry with the entry's own.
        compare(id, remote: other["id"], path: path + ["id"], into: &out)
        return
      }
      if case .string(let scheme)? = object["scheme"],
        case .string(let identifier)? =
          object["identifier"], isPersonIdentifier(path)
      {
        let theirs = other["identifier"].flatMap { value -> String? in
          if case .string(let text) = value { return text }
          return nil
        }
        if MappingValue.string(other["scheme"]) != scheme
          || theirs.map({ normalised($0, scheme: scheme) })
            != normalised(identifier, scheme: scheme)
        {
          out.append(dotted)
        }
        return
      }
      for member in object {
        compare(member.value, remote: other[member.key], path: path + [member.key], into: &out)
      }
    case .array(let items):
      guard case .array(let others) = remote, others.count == items.count else {
        out.append(dotted)
        return
      }
      for (index, item) in items.enumerated() {
        compare(item, remote: others[index], path: path + [String(index)], into: &out)
      }
    case .string(let text):
      guard case .string(let other) = remote else {
        out.append(dotted)
        return
      }
      if !sameString(text, other, key: path.last ?? "") { out.append(dotted) }
    default:
      if local != remote { out.append(dotted) }
    }
  }

  /// Whether a local value counts as absent (Zenodo drops empty objects and lists).
  private static func isEmpty(_ value: JSONValue) -> Bool {
    switch value {
    case .null: true
    case .object(let object): object.isEmpty
    case .array(let items): items.isEmpty
    case .string(let text): text.trimmed.isEmpty
    default: false
    }
  }

  /// Affiliations and funders: entries whose names the vocabulary gives.
  private static func hasVocabularyName(_ path: [String]) -> Bool {
    let parents = path.suffix(2)
    return parents.first == "affiliations" || path.last == "funder"
  }

  private static func isPersonIdentifier(_ path: [String]) -> Bool {
    path.count >= 3 && path[path.count - 2] == "identifiers"
      && path[path.count - 3] == "person_or_org"
  }

  /// A person identifier reduced to what identifies it.
  private static func normalised(_ identifier: String, scheme: String) -> String {
    switch scheme {
    case "orcid", "isni":
      let bare = IdentifierRules.orcidDigits(identifier) ?? IdentifierRules.isniDigits(identifier)
      return bare ?? identifier.filter { $0.isNumber || $0 == "X" }
    case "gnd": return IdentifierRules.gndNumber(identifier) ?? identifier
    case "ror": return IdentifierRules.rorID(identifier) ?? identifier.lowercased()
    default: return identifier.trimmed
    }
  }

  private static let caseInsensitiveKeys: Set<String> = ["id", "scheme"]

  private static func sameString(_ local: String, _ remote: String, key: String) -> Bool {
    let mine = local.trimmed
    let theirs = remote.trimmed
    if mine == theirs { return true }
    if caseInsensitiveKeys.contains(key) { return mine.lowercased() == theirs.lowercased() }
    if key == "identifier", IdentifierRules.isDOI(mine.lowercased()) {
      return mine.lowercased() == theirs.lowercased()
    }
    return false
  }
}
