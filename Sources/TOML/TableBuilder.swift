/// A table while the document is being read: mutable, indexed, and aware of how it was made,
/// because TOML's redefinition rules depend on that.
final class TableBuilder {
  /// How a table came to exist.
  enum Kind {
    /// Created as the parent of a `[header]` or `[[header]]`; a later header may define it once.
    case implicit
    /// Defined by a `[header]` or as an element of `[[header]]`.
    case header
    /// Created by a dotted key (`a.b = 1` makes `a`); only dotted keys may add to it.
    case dotted
    /// An inline table `{ ... }`, closed once its `}` is read.
    case inline
  }

  /// One entry: a finished value, a table still open, or an array of tables still open.
  enum Item {
    case value(TOMLNode)
    case table(TableBuilder)
    case arrayOfTables(ArrayOfTablesBuilder)
  }

  var kind: Kind
  var position: SourcePosition
  /// How deep the table sits below the root (the root is 0).
  let depth: Int
  /// True when the table lies inside an inline table, so the writer keeps it inline.
  let insideInline: Bool
  private(set) var keys: [TOMLKey] = []
  private(set) var items: [Item] = []
  private var index: [String: Int] = [:]

  /// The table this one is an entry (or array element) of; nil for the root and inline tables.
  /// (Unowned: a parent holds its children, so it outlives them while the document is read,
  /// and a weak reference would cost an allocation per table.)
  unowned let parent: TableBuilder?
  /// The key under which the parent holds this table.
  let name: String

  init(
    kind: Kind, position: SourcePosition, depth: Int, insideInline: Bool = false,
    parent: TableBuilder? = nil, name: String = ""
  ) {
    self.kind = kind
    self.position = position
    self.depth = depth
    self.insideInline = insideInline
    self.parent = parent
    self.name = name
  }

  /// The key path from the root (or the enclosing inline table), for messages.
  var path: [String] {
    var names: [String] = []
    var table: TableBuilder? = self
    while let current = table, current.parent != nil {
      names.append(current.name)
      table = current.parent
    }
    return names.reversed()
  }

  /// The entry under `name` and the key that first defined it.
  func lookup(_ name: String) -> (key: TOMLKey, item: Item)? {
    guard let slot = slot(of: name) else { return nil }
    return (keys[slot], items[slot])
  }

  private func slot(of name: String) -> Int? {
    // Most tables are small: a scan beats hashing until there are a few dozen keys.
    if keys.count <= Self.scanLimit { return keys.firstIndex { $0.name == name } }
    return index[name]
  }

  private static let scanLimit = 24

  /// Adds a new entry; the caller has checked that the key is free.
  func append(_ key: TOMLKey, _ item: Item) {
    keys.append(key)
    items.append(item)
    if keys.count == Self.scanLimit + 1 {
      for (slot, key) in keys.enumerated() { index[key.name] = slot }
    } else if keys.count > Self.scanLimit + 1 {
      index[key.name] = keys.count - 1
    }
  }

  /// The finished table, with every open child finished too.
  func build() -> TOMLTable {
    var entries: [TOMLEntry] = []
    entries.reserveCapacity(keys.count)
    for (key, item) in zip(keys, items) {
      entries.append(TOMLEntry(key: key, node: item.build()))
    }
    return TOMLTable(entries, isInline: kind == .inline || insideInline)
  }
}

extension TableBuilder.Item {
  /// The finished node.
  func build() -> TOMLNode {
    switch self {
    case .value(let node): node
    case .table(let table): TOMLNode(.table(table.build()), at: table.position)
    case .arrayOfTables(let array):
      TOMLNode(
        .array(array.tables.map { TOMLNode(.table($0.build()), at: $0.position) }),
        at: array.position)
    }
  }

  /// A short name of the kind of entry, for messages.
  var kindName: String {
    switch self {
    case .value(let node): node.value.kindName
    case .table(let table): table.kind == .inline ? "an inline table" : "a table"
    case .arrayOfTables: "an array of tables"
    }
  }
}

/// An array of tables (`[[name]]`) while the document is being read.
final class ArrayOfTablesBuilder {
  let position: SourcePosition
  var tables: [TableBuilder]

  init(position: SourcePosition, first: TableBuilder) {
    self.position = position
    self.tables = [first]
  }
}

extension TOMLValue {
  /// A short name of the kind of value, with its article, for messages ("an integer").
  var kindName: String {
    switch self {
    case .string: "a string"
    case .integer: "an integer"
    case .float: "a float"
    case .boolean: "a boolean"
    case .dateTime(let dt): dt.offsetMinutes == nil ? "a local date-time" : "a date-time"
    case .date: "a date"
    case .time: "a time"
    case .array: "an array"
    case .table(let table): table.isInline ? "an inline table" : "a table"
    }
  }
}
