import TOML

/// Builds TOML tables in code with positions as a parser would give them: each `key = value`
/// on its own line, the key at column 1 (or `indent`), the value after ` = `.
struct TableBuilder {
  var entries: [TOMLEntry] = []

  /// Adds `key = value` on `line`.
  mutating func add(_ key: String, _ value: TOMLValue, line: Int, indent: Int = 1) {
    let keyPosition = SourcePosition(line: line, column: indent)
    let valuePosition = SourcePosition(line: line, column: indent + key.unicodeScalars.count + 3)
    entries.append(
      TOMLEntry(key: TOMLKey(key, at: keyPosition), node: TOMLNode(value, at: valuePosition)))
  }

  /// Adds a table or array whose node starts at `position` (a `[[header]]`, say).
  mutating func add(_ key: String, node: TOMLNode, keyAt position: SourcePosition) {
    entries.append(TOMLEntry(key: TOMLKey(key, at: position), node: node))
  }

  /// Removes a key.
  mutating func remove(_ key: String) {
    entries.removeAll { $0.key.name == key }
  }

  var table: TOMLTable { TOMLTable(entries) }
}

/// A `[[name]]` array of tables whose headers are at the given lines, each with its entries.
func arrayOfTables(_ items: [(headerLine: Int, build: (inout TableBuilder) -> Void)]) -> TOMLNode {
  var nodes: [TOMLNode] = []
  for item in items {
    var builder = TableBuilder()
    item.build(&builder)
    nodes.append(
      TOMLNode(.table(builder.table), at: SourcePosition(line: item.headerLine, column: 1)))
  }
  return TOMLNode(.array(nodes), at: SourcePosition(line: items.first?.headerLine ?? 0, column: 1))
}

/// A valid file as a table: title, upload_type, dates, license, one creator, the identity.
/// Lines 1–7 are top-level keys, creators at line 9, related_identifiers at line 13.
func validTable(
  edit: (inout TableBuilder) -> Void = { _ in },
  identity: [(line: Int, identifier: String, relation: String, scheme: String)] = [
    (13, "urn:zenodo:owner:repo:paper", "isIdenticalTo", "urn")
  ]
) -> TOMLTable {
  var builder = TableBuilder()
  builder.add("title", .string("Rose scent metabolites"), line: 1)
  builder.add("upload_type", .string("dataset"), line: 2)
  builder.add("publication_date", .date(TOMLDate(year: 2026, month: 11, day: 21)), line: 3)
  builder.add("description", .string("<p>Tables.</p>"), line: 4)
  builder.add("access_right", .string("open"), line: 5)
  builder.add("license", .string("cc-by-4.0"), line: 6)
  builder.add(
    "keywords", .array([TOMLNode(.string("FAIR"), at: SourcePosition(line: 7, column: 13))]),
    line: 7)
  builder.add(
    "creators",
    node: arrayOfTables([
      (
        9,
        {
          $0.add("name", .string("Doe, Jane"), line: 10)
          $0.add("orcid", .string("0000-0002-1825-0097"), line: 11)
        }
      )
    ]),
    keyAt: SourcePosition(line: 9, column: 3))
  if !identity.isEmpty {
    builder.add(
      "related_identifiers",
      node: arrayOfTables(
        identity.map { id in
          (
            id.line,
            { (b: inout TableBuilder) in
              b.add("identifier", .string(id.identifier), line: id.line + 1)
              b.add("relation", .string(id.relation), line: id.line + 2)
              b.add("scheme", .string(id.scheme), line: id.line + 3)
            }
          )
        }),
      keyAt: SourcePosition(line: identity[0].line, column: 3))
  }
  edit(&builder)
  return builder.table
}
