import Foundation

/// Maps a validated `CITATION.cff` to Zenodo legacy deposit metadata (the `.zenodo.toml` keys).
///
/// The mapping, key by key, is in docs/convert.md. In short: `authors` → `creators`
/// (`"Family, Given"`, affiliation, bare ORCID; entities by name), `contact` → `contributors`
/// of type `ContactPerson`, `title`, `abstract` → `description` (as HTML paragraphs), `keywords`,
/// `license` → `license` (the first one, lower case), `version`, `date-released` →
/// `publication_date`, `doi` and `identifiers` → `related_identifiers`, `repository-code`,
/// `repository-artifact` and `url` → `related_identifiers`, `preferred-citation` and
/// `references` DOIs → `related_identifiers`. The `zen-do` extension block (``CFFExtension``)
/// adds back what CITATION.cff has no key for.
enum CFFToZenodo {
  /// The Zenodo metadata of `root`, and notes about what had no Zenodo place.
  static func metadata(_ root: CFFNode, path: String) -> (JSONObject, [ConvertMessage]) {
    var out = JSONObject()
    var messages: [ConvertMessage] = []
    let type = root["type"]?.text ?? "software"
    out["upload_type"] = .string(type == "dataset" ? "dataset" : "software")
    if let title = root["title"]?.text { out["title"] = .string(title) }
    if let abstract = root["abstract"]?.text { out["description"] = .string(html(abstract)) }
    if let version = root["version"]?.text { out["version"] = .string(version) }
    if let date = root["date-released"]?.text { out["publication_date"] = .string(date) }
    if let license = root["license"] {
      let ids = license.text.map { [$0] } ?? license.elements.compactMap(\.text)
      if let first = ids.first { out["license"] = .string(first.lowercased()) }
      if ids.count > 1 {
        messages.append(
          ConvertMessage(
            .warning, "\(path):\(license.position)",
            "Zenodo takes one licence; kept \(ids[0]) and left out \(ids.dropFirst().joined(separator: ", "))"
          ))
      }
    }
    let keywords = root["keywords"]?.elements.compactMap(\.text) ?? []
    if !keywords.isEmpty { out["keywords"] = .array(keywords.map { .string($0) }) }
    out["creators"] = .array(root["authors"]?.elements.map(creator) ?? [])
    let contacts = root["contact"]?.elements ?? []
    if !contacts.isEmpty {
      out["contributors"] = .array(
        contacts.map {
          var person = creator($0)
          if case .object(var object) = person {
            object["type"] = .string("ContactPerson")
            person = .object(object)
          }
          return person
        })
    }
    out["related_identifiers"] = .array(relatedIdentifiers(root))
    for key in ["message", "commit", "repository", "license-url"] {
      if let node = root[key] {
        messages.append(
          ConvertMessage(
            .note, "\(path):\(node.position)",
            "`\(key)` has no place in Zenodo's metadata and is left out"))
      }
    }
    return (out, messages)
  }

  /// A CFF person or entity as a Zenodo creator.
  static func creator(_ node: CFFNode) -> JSONValue {
    var person = JSONObject()
    if let name = node["name"]?.text {
      person["name"] = .string(name)
    } else {
      let family = [
        node["name-particle"]?.text, node["family-names"]?.text, node["name-suffix"]?.text,
      ]
      .compactMap { $0 }.joined(separator: " ")
      let given = node["given-names"]?.text ?? ""
      let name =
        family.isEmpty
        ? (given.isEmpty ? node["alias"]?.text ?? "" : given)
        : (given.isEmpty ? family : "\(family), \(given)")
      person["name"] = .string(name)
    }
    if let affiliation = node["affiliation"]?.text { person["affiliation"] = .string(affiliation) }
    if let orcid = node["orcid"]?.text {
      person["orcid"] = .string(bareORCID(orcid))
    }
    return .object(person)
  }

  static func bareORCID(_ orcid: String) -> String {
    for prefix in ["https://orcid.org/", "http://orcid.org/"] where orcid.hasPrefix(prefix) {
      return String(orcid.dropFirst(prefix.count))
    }
    return orcid
  }

  /// The relation a Zenodo DOI gets: a CITATION.cff names the concept (or an earlier version),
  /// and the deposit is a version of it; another DOI is the work itself.
  static func doiRelation(_ doi: String) -> String {
    doi.lowercased().hasPrefix("10.5281/zenodo.") ? "isVersionOf" : "isIdenticalTo"
  }

  private static func entry(_ identifier: String, _ relation: String, _ scheme: String)
    -> JSONValue
  {
    .object(
      JSONObject([
        ("identifier", .string(identifier)), ("relation", .string(relation)),
        ("scheme", .string(scheme)),
      ]))
  }

  private static func relatedIdentifiers(_ root: CFFNode) -> [JSONValue] {
    var result: [JSONValue] = []
    var seen: Set<String> = []
    func add(_ identifier: String, _ relation: String, _ scheme: String) {
      guard seen.insert("\(identifier) \(relation)").inserted else { return }
      result.append(entry(identifier, relation, scheme))
    }
    if let doi = root["doi"]?.text { add(doi, doiRelation(doi), "doi") }
    for identifier in root["identifiers"]?.elements ?? [] {
      guard let value = identifier["value"]?.text, let type = identifier["type"]?.text else {
        continue
      }
      switch type {
      case "doi": add(value, doiRelation(value), "doi")
      case "url": add(value, "isIdenticalTo", "url")
      case "swh": add(value, "isIdenticalTo", "swh")
      default:
        if value.hasPrefix("urn:zenodo:") {
          add(value, "isIdenticalTo", "urn")
        } else {
          add(value, "isIdenticalTo", "other")
        }
      }
    }
    if let code = root["repository-code"]?.text { add(code, "isSupplementTo", "url") }
    if let artifact = root["repository-artifact"]?.text { add(artifact, "isVariantFormOf", "url") }
    if let url = root["url"]?.text { add(url, "isDocumentedBy", "url") }
    if let doi = root["preferred-citation"]?["doi"]?.text { add(doi, "isDescribedBy", "doi") }
    for reference in root["references"]?.elements ?? [] {
      if let doi = reference["doi"]?.text { add(doi, "references", "doi") }
    }
    return result
  }

  /// Plain text as HTML paragraphs: blank lines split paragraphs, `&`, `<` and `>` escaped.
  static func html(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
      .components(separatedBy: "\n\n")
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
      .map { "<p>" + escape($0) + "</p>" }
      .joined()
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
