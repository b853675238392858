import Foundation
import Yams

/// Maps Zenodo legacy deposit metadata (a `.zenodo.toml`'s keys) to a `CITATION.cff`.
///
/// It is the reverse of ``CFFToZenodo``; what CFF has no key for goes to the ``CFFExtension``
/// block.
enum ZenodoToCFF {
  /// The keys of the Zenodo metadata this mapping writes as CFF keys.
  static let mappedKeys: Set<String> = [
    "title", "description", "version", "publication_date", "license", "keywords", "creators", "doi",
  ]

  /// The CFF document (as YAML nodes, in the order CFF's guide uses) and the extension's
  /// metadata.
  static func document(_ metadata: JSONObject) -> (Node, JSONObject) {
    var pairs: [(Node, Node)] = []
    var rest = JSONObject()
    func put(_ key: String, _ value: Node) { pairs.append((Node(key), value)) }

    put("cff-version", scalar(CFFSchemaValidator.cffVersion))
    put(
      "message", scalar("If you use this work, please cite it using the metadata from this file."))
    let uploadType = metadata["upload_type"].flatMap(string)
    if uploadType == "dataset" {
      put("type", scalar("dataset"))
    } else {
      put("type", scalar("software"))
    }
    if let uploadType, uploadType != "software", uploadType != "dataset" {
      rest["upload_type"] = .string(uploadType)
    }
    if let title = metadata["title"].flatMap(string) { put("title", scalar(title)) }
    if let version = metadata["version"].flatMap(text) { put("version", scalar(version)) }
    if let date = metadata["publication_date"].flatMap(string), !date.isEmpty {
      put("date-released", scalar(date))
    }

    // related_identifiers: the ones CFF has keys for, the rest to the extension.
    var doi = metadata["doi"].flatMap(string)
    var identifiers: [Node] = []
    var links: [String: String] = [:]
    var otherRelated: [JSONValue] = []
    for item in metadata["related_identifiers"].flatMap(array) ?? [] {
      guard case .object(let entry) = item, let identifier = entry["identifier"].flatMap(string)
      else {
        otherRelated.append(item)
        continue
      }
      let relation = entry["relation"].flatMap(string) ?? ""
      let scheme = entry["scheme"].flatMap(string) ?? ""
      let plain = entry.keys.allSatisfy { ["identifier", "relation", "scheme"].contains($0) }
      switch (relation, scheme) {
      case ("isVersionOf", "doi") where plain, ("isIdenticalTo", "doi") where plain:
        if doi == nil {
          doi = identifier
        } else {
          identifiers.append(identifierNode("doi", identifier))
        }
      case ("isIdenticalTo", "url") where plain:
        identifiers.append(identifierNode("url", identifier))
      case ("isIdenticalTo", "swh") where plain:
        identifiers.append(identifierNode("swh", identifier))
      case ("isIdenticalTo", "urn") where plain && identifier.hasPrefix("urn:zenodo:"):
        identifiers.append(
          identifierNode("other", identifier, "zen-do's identity of the Zenodo deposit"))
      case ("isSupplementTo", "url") where plain && links["repository-code"] == nil:
        links["repository-code"] = identifier
      case ("isVariantFormOf", "url") where plain && links["repository-artifact"] == nil:
        links["repository-artifact"] = identifier
      case ("isDocumentedBy", "url") where plain && links["url"] == nil:
        links["url"] = identifier
      default:
        otherRelated.append(item)
      }
    }
    if let doi { put("doi", scalar(doi)) }
    if let description = metadata["description"].flatMap(string) {
      let abstract = plainText(description)
      put("abstract", scalar(abstract))
      // HTML that plain paragraphs cannot hold is kept whole in the extension.
      if CFFToZenodo.html(abstract) != description { rest["description"] = .string(description) }
    }
    let creators = metadata["creators"].flatMap(array) ?? []
    put("authors", Node(creators.map(person)))
    if !creators.allSatisfy(isPlainPerson) { rest["creators"] = .array(creators) }

    var contacts: [Node] = []
    var otherContributors: [JSONValue] = []
    for contributor in metadata["contributors"].flatMap(array) ?? [] {
      if case .object(let entry) = contributor, entry["type"].flatMap(string) == "ContactPerson",
        entry.keys.allSatisfy({ ["name", "affiliation", "orcid", "type"].contains($0) })
      {
        contacts.append(person(contributor))
      } else {
        otherContributors.append(contributor)
      }
    }
    if !contacts.isEmpty { put("contact", Node(contacts)) }
    if let keywords = metadata["keywords"].flatMap(array)?.compactMap(string), !keywords.isEmpty {
      put("keywords", Node(keywords.map(scalar)))
    }
    if let license = metadata["license"] {
      let id: String?
      switch license {
      case .string(let s): id = s
      case .object(let o): id = o["id"].flatMap(string)
      default: id = nil
      }
      if let id,
        let spdx = CFFSchemaValidator.spdxLicenses.first(where: {
          $0.lowercased() == id.lowercased()
        })
      {
        put("license", scalar(spdx))
      } else {
        rest["license"] = license
      }
    }
    for key in ["repository-code", "repository-artifact", "url"] {
      if let link = links[key] { put(key, scalar(link)) }
    }
    if !identifiers.isEmpty { put("identifiers", Node(identifiers)) }

    let handled = mappedKeys.union(["upload_type", "related_identifiers", "contributors"])
    for (key, value) in metadata where !handled.contains(key) { rest[key] = value }
    if !otherRelated.isEmpty { rest["related_identifiers"] = .array(otherRelated) }
    if !otherContributors.isEmpty { rest["contributors"] = .array(otherContributors) }
    return (Node(pairs), rest)
  }

  /// True for a creator CFF holds whole: a name, an affiliation and a bare ORCID at most.
  private static func isPlainPerson(_ value: JSONValue) -> Bool {
    guard case .object(let entry) = value else { return false }
    if case .string(let orcid)? = entry["orcid"], orcid.contains("/") { return false }
    return entry.keys.allSatisfy { ["name", "affiliation", "orcid"].contains($0) }
  }

  private static func identifierNode(_ type: String, _ value: String, _ description: String? = nil)
    -> Node
  {
    var pairs: [(Node, Node)] = [(Node("type"), scalar(type)), (Node("value"), scalar(value))]
    if let description { pairs.append((Node("description"), scalar(description))) }
    return Node(pairs)
  }

  /// A Zenodo creator as a CFF person (`"Family, Given"`) or entity (a name without a comma).
  static func person(_ value: JSONValue) -> Node {
    guard case .object(let entry) = value else { return Node([(Node("name"), scalar("?"))]) }
    var pairs: [(Node, Node)] = []
    let name = entry["name"].flatMap(string) ?? ""
    let parts = name.split(separator: ",", maxSplits: 1).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if parts.count == 2 {
      pairs.append((Node("family-names"), scalar(parts[0])))
      if !parts[1].isEmpty { pairs.append((Node("given-names"), scalar(parts[1]))) }
    } else {
      pairs.append((Node("name"), scalar(name)))
    }
    if let affiliation = entry["affiliation"].flatMap(string), !affiliation.isEmpty {
      pairs.append((Node("affiliation"), scalar(affiliation)))
    }
    if let orcid = entry["orcid"].flatMap(string), !orcid.isEmpty {
      let bare = CFFToZenodo.bareORCID(orcid)
      pairs.append((Node("orcid"), scalar("https://orcid.org/" + bare)))
    }
    return Node(pairs)
  }

  /// A string YAML scalar, quoted when YAML would otherwise read it as a number, date, ...
  static func scalar(_ text: String) -> Node {
    let plain = Node(text)
    if Resolver.default.resolveTag(of: plain) == .str { return plain }
    return Node(text, Tag(.str), .singleQuoted)
  }

  private static func string(_ value: JSONValue) -> String? {
    if case .string(let s) = value { return s }
    return nil
  }

  private static func text(_ value: JSONValue) -> String? {
    switch value {
    case .string(let s): return s
    case .number(let n): return n.text
    default: return nil
    }
  }

  private static func array(_ value: JSONValue) -> [JSONValue]? {
    if case .array(let items) = value { return items }
    return nil
  }

  /// HTML as plain text: paragraphs and line breaks become newlines, tags go, the five basic
  /// character references are decoded.
  static func plainText(_ html: String) -> String {
    var text = html.replacingOccurrences(of: "</p>", with: "\n\n")
      .replacingOccurrences(of: "<br>", with: "\n").replacingOccurrences(of: "<br/>", with: "\n")
      .replacingOccurrences(of: "<br />", with: "\n")
    text = text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    for (entity, char) in [
      ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&"),
    ] {
      text = text.replacingOccurrences(of: entity, with: char)
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
