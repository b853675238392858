/// What the value of a known key must be: the shape the validation walks.
indirect enum FieldKind: Sendable {
  /// Any string.
  case string
  /// A string of at least this many characters (after trimming spaces).
  case text(minLength: Int)
  /// One of these strings; `lenientCase` accepts another letter case with a warning
  /// (Zenodo lower-cases relations and contributor types itself).
  case enumeration([String], lenientCase: Bool)
  /// A TOML date or a `"YYYY-MM-DD"` string, which must be a real calendar date.
  case date
  /// An ORCID iD, bare or as `https://orcid.org/...`, with a valid check digit.
  case orcid
  /// An ISO 639-1 or 639-2/3 code.
  case language
  /// A bare DOI (`10.1234/abc`).
  case doi
  /// An integer or a float within a closed range.
  case number(ClosedRange<Double>)
  /// A string; a number is accepted with a warning (a `version` of `4.0`).
  case version
  /// A string id, or a table with a string `id`.
  case license
  /// A boolean or a table (Zenodo ignores it on input).
  case prereserveDOI
  /// An array of strings.
  case stringList
  /// An array of tables with this schema; `minCount` entries at least.
  case tableList(TableSchema, minCount: Int)
  /// A table whose content is free (`custom`).
  case freeTable
}

/// The known keys of one table.
struct TableSchema: Sendable {
  /// What the table is called in messages (`a creator`).
  var noun: String
  /// The known keys and what each must be, in the order the docs list them.
  var fields: [(name: String, kind: FieldKind)]
  /// Keys that must be present.
  var required: [String]
  /// Rules between the keys of one entry, checked after its keys.
  var rules: [EntryRule] = []

  func kind(of name: String) -> FieldKind? {
    fields.first { $0.name == name }?.kind
  }

  /// The canonical name of a key: itself when known, its snake_case form when that is known
  /// (`upload-type` → `upload_type`), else itself (unknown keys are kept as written).
  func canonicalName(_ key: String) -> String {
    if kind(of: key) != nil { return key }
    let snake = key.replacingOccurrences(of: "-", with: "_")
    return kind(of: snake) != nil ? snake : key
  }
}

/// A rule between the keys of one table entry, attached to its schema.
enum EntryRule: Sendable {
  /// `name` has at most one comma ("Family, Given"): Zenodo splits at the comma.
  case familyCommaGiven
  /// `lat` and `lon` come together.
  case latitudeWithLongitude
  /// `start`, `end` or both, and not an end before the start.
  case dateRange
}

/// The schema of `.zenodo.toml` (docs/metadata.md has the same, for people).
enum MetadataSchema {
  /// The table of zen-do's own settings.
  static let settingsKey = "zen-do"

  static let person = TableSchema(
    noun: "a creator",
    fields: [
      ("name", .text(minLength: 1)), ("affiliation", .string), ("orcid", .orcid), ("gnd", .string),
    ],
    required: ["name"], rules: [.familyCommaGiven])

  static let contributor = TableSchema(
    noun: "a contributor",
    fields: person.fields + [
      ("type", .enumeration(Vocabulary.contributorTypes, lenientCase: true))
    ],
    required: ["name", "type"], rules: [.familyCommaGiven])

  static let supervisor = TableSchema(
    noun: "a thesis supervisor", fields: person.fields, required: ["name"],
    rules: [.familyCommaGiven])

  static let relatedIdentifier = TableSchema(
    noun: "a related identifier",
    fields: [
      ("identifier", .text(minLength: 1)),
      ("relation", .enumeration(Vocabulary.relationTypes, lenientCase: true)),
      ("resource_type", .enumeration(Vocabulary.resourceTypes, lenientCase: false)),
      ("scheme", .string),
    ],
    required: ["identifier", "relation"])

  static let community = TableSchema(
    noun: "a community", fields: [("identifier", .text(minLength: 1))], required: ["identifier"])

  static let grant = TableSchema(
    noun: "a grant", fields: [("id", .text(minLength: 1))], required: ["id"])

  static let subject = TableSchema(
    noun: "a subject",
    fields: [("term", .string), ("identifier", .string), ("scheme", .string)],
    required: [])

  static let location = TableSchema(
    noun: "a location",
    fields: [
      ("place", .text(minLength: 1)), ("lat", .number(-90...90)), ("lon", .number(-180...180)),
      ("description", .string),
    ],
    required: ["place"], rules: [.latitudeWithLongitude])

  static let date = TableSchema(
    noun: "a date",
    fields: [
      ("start", .date), ("end", .date),
      ("type", .enumeration(Vocabulary.dateTypes, lenientCase: false)), ("description", .string),
    ],
    required: ["type"], rules: [.dateRange])

  static let licenseTable = TableSchema(
    noun: "a license", fields: [("id", .text(minLength: 1))], required: ["id"])

  /// The top-level keys: every field of Zenodo's legacy deposit metadata.
  static let root = TableSchema(
    noun: "the file",
    fields: [
      ("upload_type", .enumeration(Vocabulary.uploadTypes, lenientCase: false)),
      ("publication_type", .enumeration(Vocabulary.publicationTypes, lenientCase: false)),
      ("image_type", .enumeration(Vocabulary.imageTypes, lenientCase: false)),
      ("publication_date", .date),
      ("title", .text(minLength: 3)),
      ("creators", .tableList(person, minCount: 1)),
      ("description", .text(minLength: 3)),
      ("access_right", .enumeration(Vocabulary.accessRights, lenientCase: false)),
      ("license", .license),
      ("embargo_date", .date),
      ("access_conditions", .text(minLength: 1)),
      ("doi", .doi),
      ("prereserve_doi", .prereserveDOI),
      ("keywords", .stringList),
      ("notes", .string),
      ("related_identifiers", .tableList(relatedIdentifier, minCount: 0)),
      ("contributors", .tableList(contributor, minCount: 0)),
      ("references", .stringList),
      ("communities", .tableList(community, minCount: 0)),
      ("grants", .tableList(grant, minCount: 0)),
      ("journal_title", .string), ("journal_volume", .string), ("journal_issue", .string),
      ("journal_pages", .string),
      ("conference_title", .string), ("conference_acronym", .string),
      ("conference_dates", .string), ("conference_place", .string), ("conference_url", .string),
      ("conference_session", .string), ("conference_session_part", .string),
      ("imprint_publisher", .string), ("imprint_isbn", .string), ("imprint_place", .string),
      ("partof_title", .string), ("partof_pages", .string),
      ("thesis_supervisors", .tableList(supervisor, minCount: 0)),
      ("thesis_university", .string),
      ("subjects", .tableList(subject, minCount: 0)),
      ("version", .version),
      ("language", .language),
      ("locations", .tableList(location, minCount: 0)),
      ("dates", .tableList(date, minCount: 0)),
      ("method", .string),
      ("custom", .freeTable),
    ],
    required: ["upload_type", "title", "creators"])

  /// The `[zen-do]` table.
  static let settings = TableSchema(
    noun: "the [zen-do] table",
    fields: [
      ("files", .stringList), ("description_file", .text(minLength: 1)),
      ("adopt_concept", .number(1...9_007_199_254_740_991)),
    ],
    required: [])
}
