/// Small readers of the checked metadata JSON, for ``RecordMapping``.
enum MappingValue {
  static func string(_ value: JSONValue?) -> String? {
    if case .string(let text)? = value { return text }
    return nil
  }

  /// The string trimmed of white space, nil when it is not a string or is blank.
  static func trimmed(_ value: JSONValue?) -> String? {
    guard let text = string(value)?.trimmed, !text.isEmpty else { return nil }
    return text
  }

  static func object(_ value: JSONValue) -> JSONObject? {
    if case .object(let object) = value { return object }
    return nil
  }

  static func objects(_ value: JSONValue?) -> [JSONObject] {
    guard case .array(let items)? = value else { return [] }
    return items.compactMap(object)
  }

  static func strings(_ value: JSONValue?) -> [String] {
    guard case .array(let items)? = value else { return [] }
    return items.compactMap { string($0) }
  }

  /// A vocabulary reference: `{"id": id}`.
  static func id(_ id: String) -> JSONValue {
    .object(JSONObject([("id", .string(id))]))
  }

  /// 16 characters as `0000-0002-1825-0097`; other lengths as they are.
  static func groupsOfFour(_ digits: String) -> String {
    guard digits.count == 16 else { return digits }
    let characters = Array(digits)
    return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }
      .joined(separator: "-")
  }

  /// The schemes the records API accepts for alternate and related identifiers.
  static let identifierSchemes: Set<String> = [
    "ark", "arxiv", "ads", "crossreffunderid", "cstr", "doi", "ean13", "eissn", "grid", "handle",
    "igsn", "isbn", "isni", "issn", "istc", "lissn", "lsid", "pmid", "purl", "rrid", "upc", "url",
    "urn", "wikidata", "w3id", "other",
  ]
}

/// `[[funding]]` and the legacy `grants`, as the records API's `funding`.
enum MappingFunding {
  /// The funder DOIs (Crossref Funder Registry) of Zenodo's legacy grants, by their ROR id, as
  /// zenodo-rdm translates `grants` (its `FUNDER_DOI_TO_ROR`).
  static let funderDOIToROR: [String: String] = [
    "10.13039/501100001665": "00rbzpz17", "10.13039/501100002341": "05k73zm37",
    "10.13039/501100000923": "05mmh0f86", "10.13039/100018231": "03zj4c476",
    "10.13039/501100000024": "01gavpb45", "10.13039/501100000780": "00k4n6c32",
    "10.13039/501100000806": "02k4b9v70", "10.13039/501100001871": "00snfqn58",
    "10.13039/501100002428": "013tf3c58", "10.13039/501100004488": "03n51vw80",
    "10.13039/501100004564": "01znas443", "10.13039/501100000925": "011kf5r70",
    "10.13039/100000002": "01cwqze88", "10.13039/501100000038": "01h531d29",
    "10.13039/100000001": "021nxhr62", "10.13039/501100003246": "04jsz6e67",
    "10.13039/501100000690": "001aqnf71", "10.13039/100014013": "001aqnf71",
    "10.13039/501100001602": "0271asj38", "10.13039/501100001711": "00yjd3n13",
    "10.13039/100001345": "006cvnv84", "10.13039/501100004410": "04w9kkr77",
    "10.13039/100004440": "029chgv08", "10.13039/501100006364": "03m8vkq32",
    "10.13039/501100011730": "00x0z1472",
  ]

  /// The European Commission's funder DOI: a grant id without `::` is an FP7 grant of it.
  static let europeanCommission = "10.13039/501100000780"

  static func all(_ source: JSONObject) -> [JSONValue] {
    var out: [JSONValue] = []
    for grant in MappingValue.objects(source["grants"]) {
      guard let id = MappingValue.trimmed(grant["id"]) else { continue }
      out.append(.object(legacyGrant(id)))
    }
    for entry in MappingValue.objects(source["funding"]) {
      out.append(.object(funding(entry)))
    }
    return out
  }

  /// A legacy grant id (`<funder DOI>::<number>`, or an FP7 number) as Zenodo translates it.
  static func legacyGrant(_ id: String) -> JSONObject {
    let full = id.contains("::") ? id : "\(europeanCommission)::\(id)"
    let parts = full.components(separatedBy: "::")
    let funder = funderDOIToROR[parts[0]] ?? parts[0]
    let number = parts.dropFirst().joined(separator: "::")
    return JSONObject([
      ("funder", MappingValue.id(funder)), ("award", MappingValue.id("\(funder)::\(number)")),
    ])
  }

  static func funding(_ entry: JSONObject) -> JSONObject {
    var out = JSONObject()
    if let funder = entry["funder"].flatMap(MappingValue.object) {
      if let ror = MappingValue.string(funder["ror"]) {
        out["funder"] = MappingValue.id(IdentifierRules.rorID(ror) ?? ror)
      } else if let name = funder["name"] {
        out["funder"] = .object(JSONObject([("name", name)]))
      }
    }
    if let award = entry["award"].flatMap(MappingValue.object) {
      var mapped = JSONObject()
      if let id = award["id"] { mapped["id"] = id }
      if let number = award["number"] { mapped["number"] = number }
      if let title = award["title"] { mapped["title"] = .object(JSONObject([("en", title)])) }
      for key in ["acronym", "program"] {
        if let value = award[key] { mapped[key] = value }
      }
      let identifiers = MappingValue.objects(award["identifiers"]).compactMap {
        identifier -> JSONValue? in
        for scheme in ["url", "doi"] {
          if let value = identifier[scheme] {
            return .object(JSONObject([("scheme", .string(scheme)), ("identifier", value)]))
          }
        }
        return nil
      }
      if !identifiers.isEmpty { mapped["identifiers"] = .array(identifiers) }
      out["award"] = .object(mapped)
    }
    return out
  }
}

/// Licence ids as the records API names them.
enum MappingLicenses {
  /// The legacy ids whose records-API id is another (zenodo-rdm's `legacy_to_rdm` aliases,
  /// the common ones); every other id is sent lower-cased, as Zenodo looks it up.
  static let aliases: [String: String] = [
    "cc-by": "cc-by-4.0", "cc-by-sa": "cc-by-sa-4.0", "cc-zero": "cc0-1.0", "cc-nc": "cc-by-nc-4.0",
    "mit-license": "mit", "apache2.0": "apache-2.0", "apache": "apache-2.0",
    "gpl-2.0": "gpl-2.0-only", "gpl-3.0": "gpl-3.0-only", "lgpl-2.1": "lgpl-2.1-only",
    "lgpl-3.0": "lgpl-3.0-only", "agpl-v3": "agpl-3.0-only", "bsd-license": "bsd-3-clause",
    "isc-license": "isc", "odc-by": "odc-by-1.0", "odc-odbl": "odbl-1.0", "odc-pddl": "pddl-1.0",
    "zlib-license": "zlib",
  ]

  static func recordID(_ id: String) -> String {
    let lowered = id.lowercased()
    return aliases[lowered] ?? lowered
  }
}
