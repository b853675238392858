import Foundation
import TOML

/// Walks a parsed `.zenodo.toml` once: checks every value against ``MetadataSchema``, builds
/// the JSON metadata and the settings, and collects every problem.
struct MetadataChecker {
  /// The file as shown in diagnostics.
  let path: String
  /// The API the file is checked for: with ``ZenodoAPI/legacy``, records-only keys are errors.
  let api: ZenodoAPI
  private(set) var diagnostics: [Diagnostic] = []

  init(path: String, api: ZenodoAPI = .records) {
    self.path = path
    self.api = api
  }

  /// Where problems about the file as a whole (a missing top-level key) are reported.
  static let filePosition = SourcePosition(line: 1, column: 1)

  /// The result of the walk; `urn` is nil when the identity is missing or broken.
  struct Outcome {
    var metadata: JSONObject
    var settings: ZenDoSettings
    var urn: String?
  }

  mutating func check(_ root: TOMLTable) -> Outcome {
    var metadataTable = TOMLTable()
    var settingsEntry: TOMLEntry?
    for entry in root.entries {
      if entry.key.name == MetadataSchema.settingsKey {
        settingsEntry = entry
      } else {
        metadataTable.set(entry.key, entry.node)
      }
    }
    let (metadata, canonical) = walkTable(
      metadataTable, schema: MetadataSchema.root, keyPath: "",
      position: Self.filePosition)
    var settings = ZenDoSettings()
    if let settingsEntry { settings = checkSettings(settingsEntry) }
    checkConditions(canonical, settings: settings)
    let urn = checkIdentity(canonical)
    return Outcome(metadata: metadata, settings: settings, urn: urn)
  }

  // MARK: Reporting

  mutating func error(_ position: SourcePosition, _ keyPath: String, _ message: String) {
    diagnostics.append(Diagnostic(.error, path: path, at: position, keyPath: keyPath, message))
  }

  mutating func warning(_ position: SourcePosition, _ keyPath: String, _ message: String) {
    diagnostics.append(Diagnostic(.warning, path: path, at: position, keyPath: keyPath, message))
  }

  // MARK: Tables

  /// The entries of a table under their canonical names, as the walk saw them.
  typealias Canonical = [String: TOMLEntry]

  /// Checks a table's keys against `schema` and returns its JSON form and its entries by
  /// canonical name.
  mutating func walkTable(
    _ table: TOMLTable, schema: TableSchema, keyPath: String, position: SourcePosition
  ) -> (JSONObject, Canonical) {
    var object = JSONObject()
    var canonical: Canonical = [:]
    for entry in table.entries {
      let name = schema.canonicalName(entry.key.name)
      let childPath = Self.join(keyPath, name)
      if let first = canonical[name] {
        error(
          entry.key.position, childPath,
          "\"\(first.key.name)\" (at \(first.key.position)) and \"\(entry.key.name)\" are the "
            + "same key in two spellings; keep only \"\(name)\"")
        continue
      }
      canonical[name] = entry
      guard let kind = schema.kind(of: name) else {
        object[name] = unknownKey(entry, keyPath: childPath, schema: schema)
        continue
      }
      if api == .legacy, schema.recordsOnly.contains(name) {
        error(
          entry.key.position, childPath,
          "\"\(entry.key.name)\" in \(schema.noun) is understood only by Zenodo's records API, "
            + "and --api legacy cannot send it (Zenodo's legacy layer drops it); remove it, or "
            + "upload with --api records")
      }
      if let value = checkValue(entry.node, kind: kind, keyPath: childPath) {
        object[name] = value
      }
    }
    for name in schema.required where canonical[name] == nil {
      error(
        position, keyPath,
        "missing required key \"\(name)\" in \(schema.noun); expected \(Self.expectation(of: name, in: schema))"
      )
    }
    return (object, canonical)
  }

  /// Keeps an unknown key's value as written and warns about it.
  private mutating func unknownKey(_ entry: TOMLEntry, keyPath: String, schema: TableSchema)
    -> JSONValue?
  {
    var message = "unknown key \"\(entry.key.name)\" in \(schema.noun)"
    if let suggestion = Self.suggestion(for: entry.key.name, among: schema.fields.map(\.name)) {
      message += " (did you mean \"\(suggestion)\"?)"
    }
    message += "; it is sent to Zenodo as written"
    warning(entry.key.position, keyPath, message)
    return json(entry.node, keyPath: keyPath)
  }

  /// The generic JSON form of a node, reporting values JSON cannot hold.
  mutating func json(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    do {
      return try JSONValue(toml: node)
    } catch {
      self.error(error.position, keyPath, error.message)
      return nil
    }
  }

  // MARK: Values

  /// Checks one value and returns its JSON form (nil when it is wrong beyond use).
  mutating func checkValue(_ node: TOMLNode, kind: FieldKind, keyPath: String) -> JSONValue? {
    switch kind {
    case .string:
      guard case .string = node.value else { return typeMismatch(node, "a string", keyPath) }
      return json(node, keyPath: keyPath)
    case .text(let minLength):
      return checkText(node, keyPath: keyPath, minLength: minLength)
    case .enumeration(let values, let lenientCase):
      return checkEnumeration(node, keyPath: keyPath, values: values, lenientCase: lenientCase)
    case .date:
      return checkDate(node, keyPath: keyPath)
    case .orcid:
      return checkORCID(node, keyPath: keyPath)
    case .checked(let scheme):
      return checkIdentifier(node, scheme: scheme, keyPath: keyPath)
    case .url:
      guard case .string(let text) = node.value else {
        return typeMismatch(node, "a URL (a string)", keyPath)
      }
      if !Self.isURL(text) {
        error(
          node.position, keyPath,
          "expected an http:// or https:// URL such as \"https://github.com/owner/repo\", "
            + "found \(Self.quote(text))")
      }
      return .string(text)
    case .languageList:
      guard case .array(let items) = node.value else {
        return typeMismatch(node, "an array of language codes such as [\"eng\", \"nld\"]", keyPath)
      }
      var out: [JSONValue] = []
      for (index, item) in items.enumerated() {
        if let value = checkLanguage(item, keyPath: "\(keyPath)[\(index)]") { out.append(value) }
      }
      return .array(out)
    case .table(let schema):
      guard case .table(let table) = node.value else {
        return typeMismatch(node, "a table (\(schema.noun))", keyPath)
      }
      let (object, canonical) = walkTable(
        table, schema: schema, keyPath: keyPath, position: node.position)
      checkEntryRules(canonical, schema: schema, keyPath: keyPath, position: node.position)
      return .object(object)
    case .language:
      return checkLanguage(node, keyPath: keyPath)
    case .doi:
      return checkDOI(node, keyPath: keyPath)
    case .number(let range):
      return checkNumber(node, keyPath: keyPath, range: range)
    case .version:
      return checkVersion(node, keyPath: keyPath)
    case .license:
      return checkLicense(node, keyPath: keyPath)
    case .prereserveDOI:
      switch node.value {
      case .boolean, .table: return json(node, keyPath: keyPath)
      default: return typeMismatch(node, "a boolean", keyPath)
      }
    case .stringList:
      return checkStringList(node, keyPath: keyPath)
    case .boolean:
      guard case .boolean = node.value else { return typeMismatch(node, "true or false", keyPath) }
      return json(node, keyPath: keyPath)
    case .tableList(let schema, let minCount):
      return checkTableList(node, keyPath: keyPath, schema: schema, minCount: minCount)
    case .freeTable:
      guard case .table = node.value else { return typeMismatch(node, "a table", keyPath) }
      return json(node, keyPath: keyPath)
    }
  }

  private mutating func checkText(_ node: TOMLNode, keyPath: String, minLength: Int) -> JSONValue? {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    let length = text.trimmed.count
    if length < minLength {
      let expected =
        minLength == 1 ? "a non-empty string" : "at least \(minLength) characters"
      error(position, keyPath, "expected \(expected), found \(Self.quote(text))")
    }
    return .string(text)
  }

  private mutating func checkEnumeration(
    _ node: TOMLNode, keyPath: String, values: [String], lenientCase: Bool
  ) -> JSONValue? {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    if values.contains(text) { return .string(text) }
    if let match = values.first(where: { $0.lowercased() == text.lowercased() }), lenientCase {
      warning(
        position, keyPath,
        "expected \"\(match)\", found \(Self.quote(text)); Zenodo accepts it, but write "
          + "\"\(match)\"")
      return .string(text)
    }
    if text == "isOrignialFormOf" {
      warning(
        position, keyPath,
        "expected \"isOriginalFormOf\", found \"isOrignialFormOf\"; Zenodo fixes this typo, "
          + "but write \"isOriginalFormOf\"")
      return .string(text)
    }
    error(position, keyPath, Self.enumerationMessage(values, found: text))
    return .string(text)
  }

  private mutating func checkDate(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    switch node.value {
    case .date(let date):
      if !IdentifierRules.isRealDate(date) {
        error(position, keyPath, "expected a real calendar date, found \(date.isoText)")
      }
      return .string(date.isoText)
    case .string(let text):
      if IdentifierRules.parseDate(text) == nil {
        error(
          position, keyPath,
          "expected a date such as 2026-11-21 (a TOML date or a \"YYYY-MM-DD\" string that "
            + "is a real calendar date), found \(Self.quote(text))")
      }
      return .string(text)
    default:
      return typeMismatch(
        node, "a date such as 2026-11-21 (a TOML date or a \"YYYY-MM-DD\" string)", keyPath)
    }
  }

  private mutating func checkORCID(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    if let digits = IdentifierRules.orcidDigits(text) {
      if !IdentifierRules.isValidORCIDChecksum(digits) {
        let expected = IdentifierRules.orcidCheckCharacter(digits.prefix(15))
        error(
          position, keyPath,
          "expected an ORCID iD with a valid check digit, found \(Self.quote(text)), whose "
            + "last character should be \"\(expected)\"; copy the iD from orcid.org")
      }
    } else {
      error(
        position, keyPath,
        "expected an ORCID iD such as \"0000-0002-1825-0097\" or "
          + "\"https://orcid.org/0000-0002-1825-0097\", found \(Self.quote(text))")
    }
    return .string(text)
  }

  private mutating func checkLanguage(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    if !Vocabulary.isLanguageCode(text) {
      var message =
        "expected an ISO 639-1 (2 letters) or ISO 639-2/639-3 (3 letters) language code in "
        + "lower case, such as \"en\" or \"eng\", found \(Self.quote(text))"
      if Vocabulary.isLanguageCode(text.lowercased()) {
        message += " (did you mean \"\(text.lowercased())\"?)"
      }
      error(position, keyPath, message)
    }
    return .string(text)
  }

  private mutating func checkDOI(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    if !IdentifierRules.isDOI(text) {
      error(
        position, keyPath,
        "expected a bare DOI such as \"10.5281/zenodo.1234\" (without \"https://doi.org/\"), "
          + "found \(Self.quote(text))")
    }
    return .string(text)
  }

  private mutating func checkNumber(_ node: TOMLNode, keyPath: String, range: ClosedRange<Double>)
    -> JSONValue?
  {
    let position = node.position
    let value: Double
    switch node.value {
    case .integer(let i): value = Double(i)
    case .float(let d): value = d
    default: return typeMismatch(node, "a number", keyPath)
    }
    if !range.contains(value) {
      error(
        position, keyPath,
        "expected a number from \(Self.number(range.lowerBound)) to "
          + "\(Self.number(range.upperBound)), found \(Self.describe(node))")
    }
    return json(node, keyPath: keyPath)
  }

  private mutating func checkVersion(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    switch node.value {
    case .string: break
    case .integer, .float:
      warning(
        position, keyPath,
        "expected a string such as \"1.2.0\", found \(Self.describe(node)); it is sent as a "
          + "number, so write it in quotes to keep it as written")
    default: return typeMismatch(node, "a string such as \"1.2.0\"", keyPath)
    }
    return json(node, keyPath: keyPath)
  }

  private mutating func checkLicense(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    let position = node.position
    switch node.value {
    case .string(let text):
      if text.trimmingCharacters(in: .whitespaces).isEmpty {
        error(position, keyPath, "expected a license id such as \"cc-by-4.0\", found \"\"")
      }
      return .string(text)
    case .table(let table):
      let (object, _) = walkTable(
        table, schema: MetadataSchema.licenseTable, keyPath: keyPath, position: position)
      return .object(object)
    case .array(let items):
      if items.isEmpty {
        error(position, keyPath, "expected at least one license id, found an empty array")
      }
      if api == .legacy, items.count > 1 {
        error(
          position, keyPath,
          "\(items.count) licenses are understood only by Zenodo's records API; --api legacy "
            + "sends one license; keep one, or upload with --api records")
      }
      var out: [JSONValue] = []
      for (index, item) in items.enumerated() {
        if case .array = item.value {
          _ = typeMismatch(item, "a license id or a table { id = \"…\" }", "\(keyPath)[\(index)]")
        } else if let value = checkLicense(item, keyPath: "\(keyPath)[\(index)]") {
          out.append(value)
        }
      }
      return .array(out)
    default:
      return typeMismatch(
        node,
        "a license id such as \"cc-by-4.0\", a table { id = \"cc-by-4.0\" } or an array of them",
        keyPath)
    }
  }

  private mutating func checkIdentifier(_ node: TOMLNode, scheme: CheckedScheme, keyPath: String)
    -> JSONValue?
  {
    let position = node.position
    guard case .string(let text) = node.value else {
      return typeMismatch(node, "a string", keyPath)
    }
    switch scheme {
    case .isni:
      if let digits = IdentifierRules.isniDigits(text) {
        if !IdentifierRules.isValidORCIDChecksum(digits) {
          let expected = IdentifierRules.orcidCheckCharacter(digits.prefix(15))
          error(
            position, keyPath,
            "expected an ISNI with a valid check character, found \(Self.quote(text)), whose "
              + "last character should be \"\(expected)\"; copy it from isni.org")
        }
      } else {
        error(
          position, keyPath,
          "expected an ISNI of 16 characters such as \"0000 0001 2146 438X\", found "
            + Self.quote(text))
      }
    case .ror:
      if let id = IdentifierRules.rorID(text) {
        if !IdentifierRules.isValidRORChecksum(id) {
          error(
            position, keyPath,
            "expected a ROR id with valid check digits, found \(Self.quote(text)), which should "
              + "end in \"\(IdentifierRules.rorCheckDigits(id))\"; copy it from ror.org")
        }
      } else {
        error(
          position, keyPath,
          "expected a ROR id such as \"05a28rw58\" or \"https://ror.org/05a28rw58\" (0, six "
            + "letters or digits, two check digits), found \(Self.quote(text))")
      }
    case .gnd:
      if let number = IdentifierRules.gndNumber(text) {
        if !IdentifierRules.isValidGNDChecksum(number) {
          error(
            position, keyPath,
            "expected a GND number with a valid check character, found \(Self.quote(text)); "
              + "copy it from d-nb.info")
        }
      } else {
        error(
          position, keyPath,
          "expected a GND number such as \"118540238\" or \"4005728-8\", found "
            + Self.quote(text))
      }
    case .issn:
      if !IdentifierRules.isValidISSN(text) {
        error(
          position, keyPath,
          "expected an ISSN such as \"1234-5679\" (four digits, a hyphen, four characters "
            + "whose last is the check character), found \(Self.quote(text))")
      }
    }
    return .string(text)
  }

  static func isURL(_ text: String) -> Bool {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
    else { return false }
    return !text.contains(where: \.isWhitespace)
  }

  private mutating func checkStringList(_ node: TOMLNode, keyPath: String) -> JSONValue? {
    guard case .array(let items) = node.value else {
      return typeMismatch(node, "an array of strings", keyPath)
    }
    var out: [JSONValue] = []
    for (index, item) in items.enumerated() {
      guard case .string(let text) = item.value else {
        _ = typeMismatch(item, "a string", "\(keyPath)[\(index)]")
        continue
      }
      out.append(.string(text))
    }
    return .array(out)
  }

  private mutating func checkTableList(
    _ node: TOMLNode, keyPath: String, schema: TableSchema, minCount: Int
  ) -> JSONValue? {
    let position = node.position
    guard case .array(let items) = node.value else {
      return typeMismatch(node, "an array of tables ([[\(keyPath)]])", keyPath)
    }
    if items.count < minCount {
      error(
        position, keyPath,
        "expected at least \(minCount) \(schema.noun.dropFirst(2))"
          + "\(minCount == 1 ? "" : "s"), found none")
    }
    var out: [JSONValue] = []
    for (index, item) in items.enumerated() {
      let itemPath = "\(keyPath)[\(index)]"
      guard case .table(let table) = item.value else {
        _ = typeMismatch(item, "a table (\(schema.noun))", itemPath)
        continue
      }
      let (object, canonical) = walkTable(
        table, schema: schema, keyPath: itemPath, position: item.position)
      checkEntryRules(canonical, schema: schema, keyPath: itemPath, position: item.position)
      out.append(.object(object))
    }
    return .array(out)
  }

  /// Reports a value of the wrong type; returns nil so the value is left out.
  private mutating func typeMismatch(_ node: TOMLNode, _ expected: String, _ keyPath: String)
    -> JSONValue?
  {
    error(node.position, keyPath, "expected \(expected), found \(Self.describe(node))")
    return nil
  }

  /// Rules between the keys of one array entry.
  private mutating func checkEntryRules(
    _ entry: Canonical, schema: TableSchema, keyPath: String, position: SourcePosition
  ) {
    for rule in schema.rules {
      checkEntryRule(rule, entry, schema: schema, keyPath: keyPath, position: position)
    }
  }

  private mutating func checkEntryRule(
    _ rule: EntryRule, _ entry: Canonical, schema: TableSchema, keyPath: String,
    position: SourcePosition
  ) {
    switch rule {
    case .familyCommaGiven:
      if Self.string(entry["type"]) != "organizational", let name = entry["name"],
        case .string(let text) = name.node.value,
        text.count(where: { $0 == "," }) > 1
      {
        warning(
          name.node.position, Self.join(keyPath, "name"),
          "expected \"Family, Given\" with one comma, found \(Self.quote(text)); Zenodo splits "
            + "the name at its comma, so it keeps the whole name as the family name")
      }
    case .latitudeWithLongitude:
      if (entry["lat"] == nil) != (entry["lon"] == nil) {
        let present = entry["lat"] ?? entry["lon"]
        error(
          present?.key.position ?? position, keyPath,
          "expected \"lat\" and \"lon\" together, found only \"\(present?.key.name ?? "")\"")
      }
    case .dateRange:
      let start = entry["start"].flatMap { Self.dateValue($0.node) }
      let end = entry["end"].flatMap { Self.dateValue($0.node) }
      if entry["start"] == nil && entry["end"] == nil {
        error(position, keyPath, "expected \"start\", \"end\" or both in a date, found neither")
      } else if let start, let end,
        (start.year, start.month, start.day) > (end.year, end.month, end.day)
      {
        error(
          entry["end"]?.node.position ?? position, Self.join(keyPath, "end"),
          "expected an end on or after the start (\(start.isoText)), found \(end.isoText)")
      }
    case .personName:
      checkPersonName(entry, schema: schema, keyPath: keyPath, position: position)
    case .contributorRole:
      checkContributorRole(entry, keyPath: keyPath, position: position)
    case .atLeastOne(let keys):
      if keys.allSatisfy({ entry[$0] == nil }) {
        error(
          position, keyPath,
          "expected \(Self.alternatives(keys, joiner: "or")) or both in \(schema.noun), found "
            + "neither")
      }
    case .exactlyOne(let keys):
      let present = keys.filter { entry[$0] != nil }
      if present.isEmpty {
        error(
          position, keyPath,
          "expected \(Self.alternatives(keys, joiner: "or")) in \(schema.noun), found none")
      } else if present.count > 1, let second = entry[present[1]] {
        error(
          second.key.position, Self.join(keyPath, present[1]),
          "expected only one of \(Self.alternatives(present, joiner: "and")) in \(schema.noun); "
            + "keep one")
      }
    case .award:
      let hasText = entry["number"] != nil || entry["title"] != nil
      if let id = entry["id"], hasText {
        error(
          id.key.position, Self.join(keyPath, "id"),
          "expected either the award's vocabulary \"id\" or its \"number\" and \"title\", "
            + "found both kinds; keep one")
      } else if entry["id"] == nil, !hasText {
        error(
          position, keyPath,
          "expected \"id\" (such as \"00k4n6c32::283595\"), or \"number\" and/or \"title\", "
            + "in an award, found neither")
      }
    case .identifiersOnce:
      guard let identifiers = entry["identifiers"], case .table(let table) = identifiers.node.value
      else { return }
      for inner in table.entries {
        if let flat = entry[inner.key.name] {
          error(
            inner.key.position, Self.join(Self.join(keyPath, "identifiers"), inner.key.name),
            "\"\(inner.key.name)\" is given twice, here and at \(flat.key.position); keep one")
        }
      }
    }
  }

  private mutating func checkPersonName(
    _ entry: Canonical, schema: TableSchema, keyPath: String, position: SourcePosition
  ) {
    let noun = schema.noun
    let type = Self.string(entry["type"])
    if let field = entry["type"], let type {
      if Vocabulary.personTypes.contains(type) {
        if api == .legacy {
          error(
            field.node.position, Self.join(keyPath, "type"),
            "type \"\(type)\" is understood only by Zenodo's records API, and --api legacy "
              + "cannot send it (Zenodo's legacy layer makes everyone a person); remove it, or "
              + "upload with --api records")
        }
      } else if schema.noun != MetadataSchema.contributor.noun,
        Vocabulary.contributorTypes.contains(where: { $0.lowercased() == type.lowercased() })
      {
        warning(
          field.node.position, Self.join(keyPath, "type"),
          "\(noun) has no role, so Zenodo ignores type \(Self.quote(type)) here; expected "
            + "\"personal\" or \"organizational\" (a role belongs in [[contributors]])")
      }
    }
    if type == "organizational" {
      if entry["name"] == nil {
        error(
          position, keyPath,
          "missing required key \"name\" in \(noun) with type \"organizational\"; expected the "
            + "organisation's name")
      }
      for key in ["given_name", "family_name"] {
        if let field = entry[key] {
          error(
            field.key.position, Self.join(keyPath, key),
            "an organisation has a \"name\" only; expected no \"\(key)\" when type is "
              + "\"organizational\"")
        }
      }
      return
    }
    if entry["name"] == nil, entry["family_name"] == nil {
      error(
        position, keyPath,
        "missing required key \"name\" (or \"family_name\") in \(noun); expected a non-empty "
          + "string such as \"Doe, Jane\"")
    }
    if let name = entry["name"], let family = entry["family_name"] {
      error(
        family.key.position, Self.join(keyPath, "family_name"),
        "\"name\" (at \(name.key.position)) and \"family_name\" both name the person; keep "
          + "\"name\" (\"Family, Given\") or \"family_name\" with \"given_name\"")
    }
    if let given = entry["given_name"], entry["family_name"] == nil {
      error(
        given.key.position, Self.join(keyPath, "given_name"),
        "\"given_name\" needs \"family_name\" beside it; expected family_name = \"…\"")
    }
  }

  private mutating func checkContributorRole(
    _ entry: Canonical, keyPath: String, position: SourcePosition
  ) {
    let type = Self.string(entry["type"])
    let typeIsKind = type.map(Vocabulary.personTypes.contains) ?? false
    if let role = entry["role"], let type, !typeIsKind {
      error(
        role.key.position, Self.join(keyPath, "role"),
        "\"role\" and the legacy contributor type \"\(type)\" both give the role; keep one")
    } else if entry["role"] == nil, type == nil || typeIsKind {
      error(
        position, keyPath,
        "missing required key \"role\" in a contributor (or a legacy contributor \"type\" such "
          + "as \"ContactPerson\"); expected one of the roles listed in docs/metadata.md, such as "
          + "\"contactperson\"")
    }
  }

  static func alternatives(_ keys: [String], joiner: String) -> String {
    let quoted = keys.map { "\"\($0)\"" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(joiner) " + (quoted.last ?? "")
  }

  // MARK: The [zen-do] table

  private mutating func checkSettings(_ entry: TOMLEntry) -> ZenDoSettings {
    guard case .table(let table) = entry.node.value else {
      _ = typeMismatch(entry.node, "a table ([zen-do])", MetadataSchema.settingsKey)
      return ZenDoSettings()
    }
    var settings = ZenDoSettings()
    var seen: Canonical = [:]
    for child in table.entries {
      let schema = MetadataSchema.settings
      let name = schema.canonicalName(child.key.name)
      let childPath = "\(MetadataSchema.settingsKey).\(name)"
      if let first = seen[name] {
        error(
          child.key.position, childPath,
          "\"\(first.key.name)\" (at \(first.key.position)) and \"\(child.key.name)\" are the "
            + "same key in two spellings; keep only \"\(name)\"")
        continue
      }
      seen[name] = child
      switch name {
      case "files":
        settings.filesPosition = child.key.position
        guard case .array(let items) = child.node.value else {
          _ = typeMismatch(child.node, "an array of paths or glob patterns", childPath)
          continue
        }
        for (index, item) in items.enumerated() {
          guard case .string(let text) = item.value else {
            _ = typeMismatch(item, "a path or glob pattern (a string)", "\(childPath)[\(index)]")
            continue
          }
          if text.isEmpty || text.hasPrefix("/") {
            error(
              item.position, "\(childPath)[\(index)]",
              "expected a path relative to the folder of this file, found \(Self.quote(text))")
            continue
          }
          settings.files.append(FilePattern(text, at: item.position))
        }
      case "description_file":
        guard case .string(let text) = child.node.value, !text.isEmpty else {
          _ = typeMismatch(child.node, "a path to a Markdown file", childPath)
          continue
        }
        settings.descriptionFile = text
      case "keep_folders":
        guard case .boolean(let keep) = child.node.value else {
          _ = typeMismatch(child.node, "true or false", childPath)
          continue
        }
        settings.keepFolders = keep
      case "adopt_concept":
        guard case .integer(let value) = child.node.value, value > 0, let id = Int(exactly: value)
        else {
          _ = typeMismatch(
            child.node, "the concept record id zen-do pull wrote (a positive integer)", childPath)
          continue
        }
        settings.adoptConcept = id
      default:
        var message = "unknown key \"\(child.key.name)\" in [zen-do]"
        if let suggestion = Self.suggestion(
          for: child.key.name,
          among: ["files", "description_file", "keep_folders", "adopt_concept"])
        {
          message += " (did you mean \"\(suggestion)\"?)"
        }
        warning(child.key.position, childPath, message + "; zen-do ignores it")
      }
    }
    return settings
  }

  // MARK: Rules across keys

  private mutating func checkConditions(_ root: Canonical, settings: ZenDoSettings) {
    let uploadType = Self.string(root["upload_type"])
    let accessRight = Self.string(root["access_right"]) ?? "open"
    checkRecordConditions(root, accessRight: accessRight)

    if uploadType == "publication", root["publication_type"] == nil {
      error(
        root["upload_type"]?.node.position ?? Self.filePosition, "publication_type",
        "missing \"publication_type\", required when upload_type is \"publication\"; expected "
          + "one of \(Self.list(Vocabulary.publicationTypes))")
    }
    if uploadType == "image", root["image_type"] == nil {
      error(
        root["upload_type"]?.node.position ?? Self.filePosition, "image_type",
        "missing \"image_type\", required when upload_type is \"image\"; expected one of "
          + Self.list(Vocabulary.imageTypes))
    }
    if let entry = root["publication_type"], uploadType != nil, uploadType != "publication" {
      warning(
        entry.key.position, "publication_type",
        "publication_type is ignored because upload_type is \"\(uploadType ?? "")\", not "
          + "\"publication\"")
    }
    if let entry = root["image_type"], uploadType != nil, uploadType != "image" {
      warning(
        entry.key.position, "image_type",
        "image_type is ignored because upload_type is \"\(uploadType ?? "")\", not \"image\"")
    }
    let accessAnchor = root["access_right"]?.node.position ?? Self.filePosition
    if accessRight == "embargoed", root["embargo_date"] == nil {
      error(
        accessAnchor, "embargo_date",
        "missing \"embargo_date\", required when access_right is \"embargoed\"; expected the "
          + "date the files open, such as 2027-01-01")
    }
    if accessRight == "restricted", root["access_conditions"] == nil {
      error(
        accessAnchor, "access_conditions",
        "missing \"access_conditions\", required when access_right is \"restricted\"; expected "
          + "a text saying who may ask for access and how")
    }
    if accessRight == "open" || accessRight == "embargoed", root["license"] == nil {
      error(
        root["access_right"] == nil ? Self.filePosition : accessAnchor, "license",
        "missing \"license\", required when access_right is \"\(accessRight)\""
          + (root["access_right"] == nil ? " (the default)" : "")
          + "; expected a license id such as \"cc-by-4.0\"")
    }
    if let entry = root["embargo_date"], accessRight != "embargoed" {
      warning(
        entry.key.position, "embargo_date",
        "embargo_date is ignored because access_right is \"\(accessRight)\", not \"embargoed\"")
    }
    if accessRight == "closed", let entry = root["access_right"] {
      warning(
        entry.node.position, "access_right",
        "Zenodo stores \"closed\" as \"restricted\" and reads it back so; expected "
          + "\"restricted\" with access_conditions")
    }
    if root["publication_date"] == nil {
      warning(
        Self.filePosition, "publication_date",
        "no \"publication_date\": Zenodo sets it to the day of each upload; expected a date "
          + "such as 2026-11-21")
    }
    if let entry = root["description"], let file = settings.descriptionFile {
      error(
        entry.key.position, "description",
        "\"description\" and [zen-do].description_file (\(Self.quote(file))) are both set; "
          + "keep only one")
    }
  }

  /// The rules between the keys the records API added and the legacy keys they stand beside.
  private mutating func checkRecordConditions(_ root: Canonical, accessRight: String) {
    if root["upload_type"] == nil, root["resource_type"] == nil {
      error(
        Self.filePosition, "",
        "missing required key \"upload_type\" (or \"resource_type\") in the file; expected one "
          + "of \(Self.list(Vocabulary.uploadTypes))")
    }
    let pairs = [
      ("upload_type", "resource_type"), ("imprint_publisher", "publisher"),
      ("language", "languages"),
    ]
    for (legacy, records) in pairs {
      if let old = root[legacy], let new = root[records] {
        error(
          new.key.position, records,
          "\"\(legacy)\" (at \(old.key.position)) and \"\(records)\" say the same thing; keep "
            + "only one")
      }
    }
    if let entry = root["embargo_reason"], accessRight != "embargoed" {
      warning(
        entry.key.position, "embargo_reason",
        "embargo_reason is ignored because access_right is \"\(accessRight)\", not \"embargoed\"")
    }
    if api == .legacy, let entry = root["access_conditions"] {
      warning(
        entry.key.position, "access_conditions",
        "Zenodo's legacy layer drops access_conditions: with --api legacy nobody sees them; the "
          + "records API keeps them in the record's access-request settings")
    }
    if let entry = root["resource_type"] {
      for key in ["publication_type", "image_type"] {
        if let subtype = root[key] {
          error(
            subtype.key.position, key,
            "\"\(key)\" belongs with upload_type; with resource_type (at \(entry.key.position)) "
              + "write the subtype into it, such as \"publication-article\"")
        }
      }
    }
  }

  /// Checks the identity rule and returns the URN when it holds.
  private mutating func checkIdentity(_ root: Canonical) -> String? {
    let schema = MetadataSchema.relatedIdentifier
    var candidates: [(urn: String, position: SourcePosition, valid: Bool)] = []
    if let list = root["related_identifiers"], case .array(let items) = list.node.value {
      for (index, item) in items.enumerated() {
        guard case .table(let table) = item.value else { continue }
        var fields: Canonical = [:]
        for entry in table.entries { fields[schema.canonicalName(entry.key.name)] = entry }
        let keyPath = "related_identifiers[\(index)]"
        let identifier = Self.string(fields["identifier"])
        let relation = Self.string(fields["relation"])
        let scheme = Self.string(fields["scheme"])
        let isIdentical = relation.map(DepositIdentity.isIdentityRelation) ?? false
        let looksLikeURN = identifier.map(DepositIdentity.looksLikeIdentity) ?? false
        guard looksLikeURN || (isIdentical && scheme?.lowercased() == DepositIdentity.scheme) else {
          continue
        }
        guard let identifier, let identifierEntry = fields["identifier"] else { continue }
        var valid = true
        if !DepositIdentity.isValid(identifier) {
          valid = false
          error(
            identifierEntry.node.position, "\(keyPath).identifier",
            "expected an identity URN matching urn:zenodo(:[^/:\\s]+)+, such as "
              + "\"urn:zenodo:owner:repo:paper\", found \(Self.quote(identifier))")
        }
        if !isIdentical {
          valid = false
          error(
            fields["relation"]?.node.position ?? item.position, "\(keyPath).relation",
            "expected relation \"isIdenticalTo\" for the identity URN \(Self.quote(identifier)), "
              + "found \(relation.map(Self.quote) ?? "none")")
        }
        if scheme != DepositIdentity.scheme {
          valid = false
          error(
            fields["scheme"]?.node.position ?? item.position, "\(keyPath).scheme",
            "expected scheme \"urn\" for the identity URN \(Self.quote(identifier)), found "
              + (scheme.map(Self.quote) ?? "none"))
        }
        candidates.append((identifier, item.position, valid))
      }
    }
    guard let first = candidates.first else {
      error(
        root["related_identifiers"]?.key.position ?? Self.filePosition, "related_identifiers",
        "missing the deposit's identity; expected exactly one [[related_identifiers]] entry with "
          + "identifier = \"urn:zenodo:<owner>:<repo>[:<output>]\", relation = \"isIdenticalTo\" "
          + "and scheme = \"urn\"")
      return nil
    }
    for other in candidates.dropFirst() {
      error(
        other.position, "related_identifiers",
        "a second identity \(Self.quote(other.urn)); expected exactly one urn:zenodo identifier, "
          + "and the first is \(Self.quote(first.urn)) at \(first.position)")
    }
    if candidates.count > 1 {
      error(
        first.position, "related_identifiers",
        "the identity \(Self.quote(first.urn)) has \(candidates.count - 1) more urn:zenodo "
          + "entr\(candidates.count == 2 ? "y" : "ies") besides it; expected exactly one")
      return nil
    }
    return first.valid ? first.urn : nil
  }

  // MARK: Helpers

  static func join(_ path: String, _ key: String) -> String {
    let plain =
      !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    let component = plain ? key : quote(key)
    return path.isEmpty ? component : "\(path).\(component)"
  }

  static func string(_ entry: TOMLEntry?) -> String? {
    guard let entry, case .string(let text) = entry.node.value else { return nil }
    return text
  }

  static func dateValue(_ node: TOMLNode) -> TOMLDate? {
    switch node.value {
    case .date(let date): IdentifierRules.isRealDate(date) ? date : nil
    case .string(let text): IdentifierRules.parseDate(text)
    default: nil
    }
  }

  /// A string in double quotes with TOML escapes, cut at 80 characters.
  static func quote(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard scalars.count > 80 else { return TOMLWriter.basicString(text) }
    let quoted = TOMLWriter.basicString(String(String.UnicodeScalarView(scalars.prefix(80))))
    return quoted.dropLast() + "…\""
  }

  /// How a found value is named in messages: `"text"`, `an integer (42)`, `an array`.
  static func describe(_ node: TOMLNode) -> String {
    switch node.value {
    case .string(let text): quote(text)
    case .integer(let i): "an integer (\(i))"
    case .float(let d): "a float (\(d))"
    case .boolean(let b): "a boolean (\(b))"
    case .date(let d): "a date (\(d.isoText))"
    case .time(let t): "a time (\(t.isoText))"
    case .dateTime(let dt): "a date-time (\(dt.isoText))"
    case .array: "an array"
    case .table: "a table"
    }
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }

  static func list(_ values: [String]) -> String {
    values.map { "\"\($0)\"" }.joined(separator: ", ")
  }

  static func enumerationMessage(_ values: [String], found text: String) -> String {
    var message: String
    if values.count <= 21 {
      message = "expected one of \(list(values)), found \(quote(text))"
    } else {
      message =
        "expected one of the \(values.count) values listed in docs/metadata.md (such as "
        + "\(list(Array(values.prefix(3))))), found \(quote(text))"
    }
    if let suggestion = suggestion(for: text, among: values) {
      message += " (did you mean \"\(suggestion)\"?)"
    }
    return message
  }

  /// What a required key should hold, for "missing" messages.
  static func expectation(of name: String, in schema: TableSchema) -> String {
    switch schema.kind(of: name) {
    case .enumeration(let values, _): "one of \(list(values))"
    case .text(let minLength) where minLength > 1: "a string of at least \(minLength) characters"
    case .tableList: "at least one [[\(name)]] table"
    default: "a non-empty string"
    }
  }

  /// The closest known name, when one is close enough to be a likely typo.
  static func suggestion(for text: String, among candidates: [String]) -> String? {
    let lowered = text.lowercased().replacingOccurrences(of: "-", with: "_")
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(lowered, candidate.lowercased())
      if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    guard let best else { return nil }
    let limit = max(1, min(3, lowered.count / 3))
    return best.distance <= limit ? best.name : nil
  }

  /// The optimal string alignment distance: insertions, deletions, substitutions and swaps
  /// of two neighbouring characters each count 1 (`opne` is 1 from `open`).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { rows[i][0] = i }
    for j in 0...b.count { rows[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          best = min(best, rows[i - 2][j - 2] + 1)
        }
        rows[i][j] = best
      }
    }
    return rows[a.count][b.count]
  }
}
