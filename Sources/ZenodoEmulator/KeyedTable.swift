import Foundation

/// A dictionary that remembers which keys changed since the last ``takeChanges()``, so that a
/// save writes only those to the journal (`docs/emulator.md`, state layout).
///
/// It reads and writes like a dictionary (`table[key]`, `table[key] = nil`, `table[key]?.field`,
/// `.values`, `.keys`) and encodes as one, so the snapshot keeps the layout of a plain dictionary.
struct KeyedTable<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>: Sendable {
  /// The current entries.
  private(set) var entries: [Key: Value] = [:]
  /// The value each changed key had before its first change since the last ``takeChanges()``
  /// (`nil`: the key was absent).
  private var before: [Key: Value?] = [:]

  init() {}

  subscript(key: Key) -> Value? {
    get { entries[key] }
    set {
      if before.index(forKey: key) == nil { before.updateValue(entries[key], forKey: key) }
      entries[key] = newValue
    }
  }

  subscript(key: Key, default value: @autoclosure () -> Value) -> Value {
    get { entries[key] ?? value() }
    set { self[key] = newValue }
  }

  @discardableResult
  mutating func removeValue(forKey key: Key) -> Value? {
    let old = entries[key]
    self[key] = nil
    return old
  }

  var values: Dictionary<Key, Value>.Values { entries.values }
  var keys: Dictionary<Key, Value>.Keys { entries.keys }
  var count: Int { entries.count }
  var isEmpty: Bool { entries.isEmpty }

  /// Whether any key changed since the last ``takeChanges()``.
  var hasChanges: Bool { !before.isEmpty }

  /// One changed key: its value before the first change and now (`nil`: absent).
  struct Change {
    var key: Key
    var old: Value?
    var new: Value?
  }

  /// The keys changed since the last call, with their old and new values; forgets them.
  mutating func takeChanges() -> [Change] {
    let changes = before.compactMap { key, old -> Change? in
      let new = entries[key]
      // Added and removed again: nothing to write.
      if old == nil && new == nil { return nil }
      return Change(key: key, old: old, new: new)
    }
    before.removeAll(keepingCapacity: true)
    return changes
  }

  /// The changes as a journal line holds them; `nil` when there are none.
  static func delta(_ changes: [Change]) -> TableDelta<Key, Value>? {
    if changes.isEmpty { return nil }
    var delta = TableDelta<Key, Value>()
    for change in changes {
      if let new = change.new {
        delta.set[change.key] = new
      } else {
        delta.removed.append(change.key)
      }
    }
    return delta
  }

  /// Applies a journal line's delta, replaying a save; not recorded as a change.
  mutating func replay(_ delta: TableDelta<Key, Value>?) {
    guard let delta else { return }
    for (key, value) in delta.set { entries[key] = value }
    for key in delta.removed { entries[key] = nil }
  }
}

extension KeyedTable: Codable {
  init(from decoder: any Decoder) throws {
    entries = try decoder.singleValueContainer().decode([Key: Value].self)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(entries)
  }
}

/// What one save changed in one table: the new values of the changed keys, and the removed keys.
struct TableDelta<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>: Codable, Sendable
{
  var set: [Key: Value] = [:]
  var removed: [Key] = []
}
