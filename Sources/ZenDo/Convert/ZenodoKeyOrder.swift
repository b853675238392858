/// The order in which `zen-do convert` writes the known keys of Zenodo's legacy deposit metadata.
///
/// It follows the example in the format reference (title, upload_type, publication_type,
/// description, version, publication_date, access_right, license, keywords, then creators,
/// related_identifiers, grants) and places every other legacy field where a reader looks for it:
/// what the deposit is, then access and license, then the bibliographic extras, then the lists
/// that become arrays of tables. Keys not listed here follow, in input order.
public enum ZenodoKeyOrder {
  /// Every legacy metadata field, in output order.
  public static let keys: [String] = [
    "title",
    "upload_type",
    "publication_type",
    "image_type",
    "description",
    "version",
    "publication_date",
    "language",
    "access_right",
    "embargo_date",
    "access_conditions",
    "license",
    "doi",
    "prereserve_doi",
    "keywords",
    "notes",
    "method",
    "references",
    "journal_title",
    "journal_volume",
    "journal_issue",
    "journal_pages",
    "conference_title",
    "conference_acronym",
    "conference_dates",
    "conference_place",
    "conference_url",
    "conference_session",
    "conference_session_part",
    "imprint_publisher",
    "imprint_isbn",
    "imprint_place",
    "partof_title",
    "partof_pages",
    "thesis_university",
    "creators",
    "contributors",
    "thesis_supervisors",
    "related_identifiers",
    "grants",
    "communities",
    "subjects",
    "locations",
    "dates",
    "custom",
  ]

  /// The lists of objects that are written as arrays of tables (`[[creators]]`).
  public static let arraysOfTables: Set<String> = [
    "creators", "contributors", "thesis_supervisors", "related_identifiers", "grants",
    "communities", "subjects", "locations", "dates",
  ]

  private static let rank: [String: Int] = Dictionary(
    uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })

  /// The place of a known key (kebab-case spellings count as their snake_case form), or nil.
  public static func rank(of key: String) -> Int? {
    rank[key] ?? rank[key.replacingOccurrences(of: "-", with: "_")]
  }

  /// `keys` sorted for output: known keys in ``keys`` order, then unknown ones in their order.
  public static func sorted(_ keys: [String]) -> [String] {
    let known = keys.enumerated().compactMap { offset, key in
      rank(of: key).map { (rank: $0, offset: offset, key: key) }
    }
    .sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
    .map(\.key)
    let unknown = keys.filter { rank(of: $0) == nil }
    return known + unknown
  }
}
