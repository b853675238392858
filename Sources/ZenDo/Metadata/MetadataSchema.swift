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
  /// An identifier of another checked scheme (ISNI, ROR, GND, ISSN), check digits included.
  case checked(CheckedScheme)
  /// An `http://` or `https://` URL.
  case url
  /// An array of ISO 639 codes.
  case languageList
  /// A table with this schema.
  case table(TableSchema)
  /// An ISO 639-1 or 639-2/3 code.
  case language
  /// A bare DOI (`10.1234/abc`).
  case doi
  /// An integer or a float within a closed range.
  case number(ClosedRange<Double>)
  /// A string; a number is accepted with a warning (a `version` of `4.0`).
  case version
  /// A string id, a table with a string `id`, or an array of them (several licences).
  case license
  /// A boolean or a table (Zenodo ignores it on input).
  case prereserveDOI
  /// An array of strings.
  case stringList
  /// `true` or `false`.
  case boolean
  /// An array of tables with this schema; `minCount` entries at least.
  case tableList(TableSchema, minCount: Int)
  /// A table whose content is free (`custom`).
  case freeTable
}

/// The identifier schemes whose check characters the validation computes.
enum CheckedScheme: String, Sendable {
  case isni, ror, gnd, issn
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
  /// Keys only the records API can carry: an error with `--api legacy`, and left out, with a
  /// warning, when a file is converted back to `.zenodo.json`.
  var recordsOnly: Set<String> = []

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
  /// A person or organisation: `name`, or `family_name` (with an optional `given_name`) for a
  /// person; `name` alone for `type = "organizational"`.
  case personName
  /// A contributor's role: `role`, or a legacy contributor type in `type`.
  case contributorRole
  /// At least one of these keys.
  case atLeastOne([String])
  /// Exactly one of these keys.
  case exactlyOne([String])
  /// An award: its vocabulary `id`, or `number` and/or `title` (not both kinds).
  case award
  /// A scheme given both as a flat key (`orcid`) and inside `identifiers`.
  case identifiersOnce
}

/// The schema of `.zenodo.toml` (docs/metadata.md has the same, for people).
enum MetadataSchema {
  /// The table of zen-do's own settings.
  static let settingsKey = "zen-do"

  /// One affiliation: a ROR id, a free-text name, or both.
  static let affiliation = TableSchema(
    noun: "an affiliation", fields: [("ror", .checked(.ror)), ("name", .text(minLength: 1))],
    required: [], rules: [.atLeastOne(["ror", "name"])])

  /// A person's or organisation's identifiers as StepUp RepRep writes them
  /// (`identifiers = { orcid = "…", isni = "…" }`).
  static let personIdentifiers = TableSchema(
    noun: "the identifiers",
    fields: [
      ("orcid", .orcid), ("gnd", .checked(.gnd)), ("isni", .checked(.isni)),
      ("ror", .checked(.ror)),
    ],
    required: [])

  /// The keys of a person or organisation that Zenodo's legacy layer cannot carry (and `type`
  /// when it is `personal` or `organizational`, checked by ``EntryRule/personName``).
  static let personRecordsOnly: Set<String> = [
    "given_name", "family_name", "isni", "ror", "affiliations", "identifiers",
  ]

  /// The keys every creator, contributor and supervisor has.
  static let personFields: [(name: String, kind: FieldKind)] = [
    ("name", .text(minLength: 1)), ("given_name", .text(minLength: 1)),
    ("family_name", .text(minLength: 1)), ("affiliation", .string),
    ("affiliations", .tableList(affiliation, minCount: 0)), ("orcid", .orcid),
    ("gnd", .checked(.gnd)), ("isni", .checked(.isni)), ("ror", .checked(.ror)),
    ("identifiers", .table(personIdentifiers)),
  ]

  static let person = TableSchema(
    noun: "a creator",
    fields: personFields + [("type", creatorType)],
    required: [], rules: [.familyCommaGiven, .personName, .identifiersOnce],
    recordsOnly: personRecordsOnly)

  /// A creator's `type`: a person or an organisation; a contributor type (which `.zenodo.json`
  /// files in the wild put on creators, and Zenodo ignores there) is accepted with a warning.
  static let creatorType = FieldKind.enumeration(
    Vocabulary.personTypes + Vocabulary.contributorTypes, lenientCase: true)

  static let contributor = TableSchema(
    noun: "a contributor",
    fields: personFields + [
      (
        "type",
        .enumeration(Vocabulary.contributorTypes + Vocabulary.personTypes, lenientCase: true)
      ),
      ("role", .enumeration(Vocabulary.roles, lenientCase: true)),
    ],
    required: [],
    rules: [.familyCommaGiven, .personName, .contributorRole, .identifiersOnce],
    recordsOnly: personRecordsOnly.union(["role"]))

  static let supervisor = TableSchema(
    noun: "a thesis supervisor",
    fields: personFields + [("type", creatorType)],
    required: [], rules: [.familyCommaGiven, .personName, .identifiersOnce],
    recordsOnly: personRecordsOnly)

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
      (
        "type",
        .enumeration(Vocabulary.dateTypes + Vocabulary.recordDateTypes, lenientCase: false)
      ), ("description", .string),
    ],
    required: ["type"], rules: [.dateRange])

  static let licenseTable = TableSchema(
    noun: "a license", fields: [("id", .text(minLength: 1))], required: ["id"])

  static let alternateIdentifier = TableSchema(
    noun: "an alternate identifier",
    fields: [("identifier", .text(minLength: 1)), ("scheme", .string)], required: ["identifier"])

  static let additionalTitle = TableSchema(
    noun: "an additional title",
    fields: [
      ("title", .text(minLength: 3)),
      ("type", .enumeration(Vocabulary.titleTypes, lenientCase: false)), ("lang", .language),
    ],
    required: ["title", "type"])

  static let additionalDescription = TableSchema(
    noun: "an additional description",
    fields: [
      ("description", .text(minLength: 3)),
      ("type", .enumeration(Vocabulary.descriptionTypes, lenientCase: false)),
      ("lang", .language),
    ],
    required: ["description", "type"])

  static let funder = TableSchema(
    noun: "a funder", fields: [("ror", .checked(.ror)), ("name", .text(minLength: 1))],
    required: [], rules: [.exactlyOne(["ror", "name"])])

  /// One identifier of an award, as StepUp RepRep writes it (`{ url = "…" }`, `{ doi = "…" }`).
  static let awardIdentifier = TableSchema(
    noun: "an award identifier", fields: [("url", .url), ("doi", .doi)], required: [],
    rules: [.exactlyOne(["url", "doi"])])

  static let award = TableSchema(
    noun: "an award",
    fields: [
      ("id", .text(minLength: 1)), ("number", .text(minLength: 1)),
      ("title", .text(minLength: 1)), ("acronym", .text(minLength: 1)),
      ("program", .text(minLength: 1)),
      ("identifiers", .tableList(awardIdentifier, minCount: 0)),
    ],
    required: [], rules: [.award])

  static let funding = TableSchema(
    noun: "a funding entry", fields: [("funder", .table(funder)), ("award", .table(award))],
    required: ["funder"])

  /// The top-level keys: every field of Zenodo's legacy deposit metadata.
  static let root = TableSchema(
    noun: "the file",
    fields: [
      ("upload_type", .enumeration(Vocabulary.uploadTypes, lenientCase: false)),
      ("resource_type", .enumeration(Vocabulary.recordResourceTypes, lenientCase: false)),
      ("publication_type", .enumeration(Vocabulary.publicationTypes, lenientCase: false)),
      ("image_type", .enumeration(Vocabulary.imageTypes, lenientCase: false)),
      ("publication_date", .date),
      ("title", .text(minLength: 3)),
      ("creators", .tableList(person, minCount: 1)),
      ("description", .text(minLength: 3)),
      ("access_right", .enumeration(Vocabulary.accessRights, lenientCase: false)),
      ("license", .license),
      ("embargo_date", .date),
      ("embargo_reason", .text(minLength: 1)),
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
      ("funding", .tableList(funding, minCount: 0)),
      ("publisher", .text(minLength: 1)),
      ("copyright", .text(minLength: 1)),
      ("journal_title", .string), ("journal_volume", .string), ("journal_issue", .string),
      ("journal_pages", .string), ("journal_issn", .checked(.issn)),
      ("conference_title", .string), ("conference_acronym", .string),
      ("conference_dates", .string), ("conference_place", .string), ("conference_url", .string),
      ("conference_session", .string), ("conference_session_part", .string),
      ("imprint_publisher", .string), ("imprint_isbn", .string), ("imprint_place", .string),
      ("imprint_edition", .string),
      ("partof_title", .string), ("partof_pages", .string),
      ("thesis_supervisors", .tableList(supervisor, minCount: 0)),
      ("thesis_university", .string), ("thesis_department", .string), ("thesis_type", .string),
      ("thesis_date_submitted", .date), ("thesis_date_defended", .date),
      ("subjects", .tableList(subject, minCount: 0)),
      ("version", .version),
      ("language", .language),
      ("languages", .languageList),
      ("additional_titles", .tableList(additionalTitle, minCount: 0)),
      ("additional_descriptions", .tableList(additionalDescription, minCount: 0)),
      ("alternate_identifiers", .tableList(alternateIdentifier, minCount: 0)),
      ("sizes", .stringList), ("formats", .stringList),
      ("code_repository", .url),
      ("programming_languages", .stringList),
      ("development_status", .text(minLength: 1)),
      ("locations", .tableList(location, minCount: 0)),
      ("dates", .tableList(date, minCount: 0)),
      ("method", .string),
      ("custom", .freeTable),
    ],
    required: ["title", "creators"],
    recordsOnly: [
      "resource_type", "embargo_reason", "funding", "publisher", "copyright", "journal_issn",
      "imprint_edition", "thesis_department", "thesis_type", "thesis_date_submitted",
      "thesis_date_defended", "languages", "additional_titles", "additional_descriptions",
      "sizes", "formats", "code_repository", "programming_languages", "development_status",
    ])

  /// The `[zen-do]` table.
  static let settings = TableSchema(
    noun: "the [zen-do] table",
    fields: [
      ("files", .stringList), ("description_file", .text(minLength: 1)),
      ("keep_folders", .boolean),
      ("adopt_concept", .number(1...9_007_199_254_740_991)),
    ],
    required: [])
}
