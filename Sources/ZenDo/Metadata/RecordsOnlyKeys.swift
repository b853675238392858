import TOML

extension MetadataSchema {
  /// The keys of a `.zenodo.toml` that only Zenodo's records API can carry (a `.zenodo.json`
  /// goes through the legacy layer, which drops them), with where each is written, in file
  /// order: the keys ``TableSchema/recordsOnly`` marks, a contributor `type` of
  /// `"personal"`/`"organizational"`, and a `license` array of more than one.
  static func recordsOnlyKeys(in root: TOMLTable) -> [(keyPath: String, position: SourcePosition)] {
    var out: [(String, SourcePosition)] = []
    collect(root, schema: Self.root, keyPath: "", into: &out)
    return out
  }

  private static func collect(
    _ table: TOMLTable, schema: TableSchema, keyPath: String,
    into out: inout [(String, SourcePosition)]
  ) {
    for entry in table.entries where entry.key.name != settingsKey || !keyPath.isEmpty {
      let name = schema.canonicalName(entry.key.name)
      let path = MetadataChecker.join(keyPath, name)
      if schema.recordsOnly.contains(name) {
        out.append((path, entry.key.position))
        continue
      }
      if name == "type",
        [person, contributor, supervisor].contains(where: { $0.noun == schema.noun }),
        case .string(let text) = entry.node.value, Vocabulary.personTypes.contains(text)
      {
        out.append((path, entry.key.position))
      }
      if name == "license", case .array(let items) = entry.node.value, items.count > 1 {
        out.append((path, entry.key.position))
      }
      guard case .tableList(let inner, _)? = schema.kind(of: name),
        case .array(let items) = entry.node.value
      else { continue }
      for (index, item) in items.enumerated() {
        if case .table(let child) = item.value {
          collect(child, schema: inner, keyPath: "\(path)[\(index)]", into: &out)
        }
      }
    }
  }
}

extension ZenodoJSONConverter {
  /// A warning naming the keys of `table` a `.zenodo.json` cannot carry, or nil when there are
  /// none.
  static func recordsOnlyWarning(_ table: TOMLTable, path: String) -> ConvertMessage? {
    let keys = MetadataSchema.recordsOnlyKeys(in: table)
    guard let first = keys.first else { return nil }
    return ConvertMessage(
      .warning, "\(path):\(first.position)",
      "a .zenodo.json cannot carry \(keys.count == 1 ? "this key" : "these \(keys.count) keys"), "
        + "which only Zenodo's records API understands (its legacy layer drops them): "
        + keys.map(\.keyPath).joined(separator: ", ")
        + "; they are written as they are, and zen-do upload sends them through the records API")
  }
}
