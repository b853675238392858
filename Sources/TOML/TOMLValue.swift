/// A place in a TOML document: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, in Unicode scalars.
  public var column: Int

  /// Creates a position from a 1-based line and column.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// A calendar date as TOML writes it (`1979-05-27`).
public struct TOMLDate: Hashable, Sendable {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }
}

/// A time of day as TOML writes it (`07:32:00.999`).
public struct TOMLTime: Hashable, Sendable {
  public var hour: Int
  public var minute: Int
  public var second: Int
  /// Fractional seconds in nanoseconds (TOML keeps at least millisecond precision).
  public var nanosecond: Int
  /// How many fractional digits the source wrote (0 when none), so the writer can keep them.
  public var fractionDigits: Int

  public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0, fractionDigits: Int = 0) {
    self.hour = hour
    self.minute = minute
    self.second = second
    self.nanosecond = nanosecond
    self.fractionDigits = fractionDigits
  }
}

/// A date and time; with an offset it is an offset date-time, without one a local date-time.
public struct TOMLDateTime: Hashable, Sendable {
  public var date: TOMLDate
  public var time: TOMLTime
  /// Offset from UTC in minutes (`Z` is 0); `nil` for a local date-time.
  public var offsetMinutes: Int?

  public init(date: TOMLDate, time: TOMLTime, offsetMinutes: Int?) {
    self.date = date
    self.time = time
    self.offsetMinutes = offsetMinutes
  }
}

/// A TOML value.
///
/// Arrays and tables hold nodes, so every nested value keeps its position.
public enum TOMLValue: Hashable, Sendable {
  case string(String)
  case integer(Int64)
  case float(Double)
  case boolean(Bool)
  /// An offset date-time (`offsetMinutes != nil`) or a local date-time (`offsetMinutes == nil`).
  case dateTime(TOMLDateTime)
  case date(TOMLDate)
  case time(TOMLTime)
  case array([TOMLNode])
  case table(TOMLTable)
}

/// A value together with where it starts in the source.
///
/// Nodes built in code (for the writer) may use ``SourcePosition/unknown``.
public struct TOMLNode: Hashable, Sendable {
  public var value: TOMLValue
  /// Where the value starts (for a table: its header, or the key that first defined it).
  public var position: SourcePosition

  public init(_ value: TOMLValue, at position: SourcePosition = .unknown) {
    self.value = value
    self.position = position
  }
}

extension SourcePosition {
  /// The position of a node that was built in code rather than parsed.
  public static let unknown = SourcePosition(line: 0, column: 0)
}

/// A key of a table, with where it is written.
public struct TOMLKey: Hashable, Sendable {
  public var name: String
  public var position: SourcePosition

  public init(_ name: String, at position: SourcePosition = .unknown) {
    self.name = name
    self.position = position
  }
}

/// One key and its value in a table.
public struct TOMLEntry: Hashable, Sendable {
  public var key: TOMLKey
  public var node: TOMLNode

  public init(key: TOMLKey, node: TOMLNode) {
    self.key = key
    self.node = node
  }
}

/// A table whose entries keep the order in which the source (or the code) defined them.
public struct TOMLTable: Hashable, Sendable {
  /// The entries in definition order.
  ///
  /// Keys are unique.
  public private(set) var entries: [TOMLEntry]
  /// True for `{ ... }` inline tables: the writer keeps them inline.
  public var isInline: Bool

  public init(_ entries: [TOMLEntry] = [], isInline: Bool = false) {
    self.isInline = isInline
    // Like calling `set` for each entry (a repeated key replaces the earlier entry in its
    // place), in linear time for large tables: parsed tables can have many keys.
    var unique: [TOMLEntry] = []
    unique.reserveCapacity(entries.count)
    if entries.count <= 16 {
      for entry in entries {
        if let slot = unique.firstIndex(where: { $0.key.name == entry.key.name }) {
          unique[slot] = entry
        } else {
          unique.append(entry)
        }
      }
    } else {
      var slots: [String: Int] = [:]
      for entry in entries {
        if let slot = slots[entry.key.name] {
          unique[slot] = entry
        } else {
          slots[entry.key.name] = unique.count
          unique.append(entry)
        }
      }
    }
    self.entries = unique
  }

  /// The node stored under `key`, or nil.
  public subscript(key: String) -> TOMLNode? {
    get { entries.first { $0.key.name == key }?.node }
    set {
      if let index = entries.firstIndex(where: { $0.key.name == key }) {
        if let newValue { entries[index].node = newValue } else { entries.remove(at: index) }
      } else if let newValue {
        entries.append(TOMLEntry(key: TOMLKey(key, at: newValue.position), node: newValue))
      }
    }
  }

  /// Appends or replaces an entry, keeping the key's own position.
  public mutating func set(_ key: TOMLKey, _ node: TOMLNode) {
    if let index = entries.firstIndex(where: { $0.key.name == key.name }) {
      entries[index] = TOMLEntry(key: key, node: node)
    } else {
      entries.append(TOMLEntry(key: key, node: node))
    }
  }

  /// The keys in order.
  public var keys: [String] { entries.map(\.key.name) }
}
