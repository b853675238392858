extension TOMLValue {
  /// True when both values hold the same data, ignoring source positions, the order of table
  /// keys, whether tables are inline, and how many fraction digits a time was written with.
  ///
  /// Strings compare by their exact Unicode scalars; floats compare as doubles except that NaN
  /// equals NaN and `-0.0` differs from `0.0`. Use it where the synthesized `==` (which compares
  /// positions and order too) is too strict.
  public func isSameValue(as other: TOMLValue) -> Bool {
    switch (self, other) {
    case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
    case (.integer(let a), .integer(let b)): return a == b
    case (.float(let a), .float(let b)):
      if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
      return a == b && a.sign == b.sign
    case (.boolean(let a), .boolean(let b)): return a == b
    case (.dateTime(let a), .dateTime(let b)):
      return a.date == b.date && a.time.isSameTime(as: b.time) && a.offsetMinutes == b.offsetMinutes
    case (.date(let a), .date(let b)): return a == b
    case (.time(let a), .time(let b)): return a.isSameTime(as: b)
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.value.isSameValue(as: $1.value) }
    case (.table(let a), .table(let b)): return a.isSameValue(as: b)
    default: return false
    }
  }
}

extension TOMLNode {
  /// True when both nodes hold the same data; see ``TOMLValue/isSameValue(as:)``.
  public func isSameValue(as other: TOMLNode) -> Bool { value.isSameValue(as: other.value) }
}

extension TOMLTable {
  /// True when both tables have the same keys with the same values, in any order;
  /// see ``TOMLValue/isSameValue(as:)``.
  public func isSameValue(as other: TOMLTable) -> Bool {
    guard entries.count == other.entries.count else { return false }
    var byName: [String: TOMLNode] = [:]
    for entry in other.entries { byName[entry.key.name] = entry.node }
    return entries.allSatisfy { entry in
      guard let node = byName[entry.key.name] else { return false }
      return entry.node.isSameValue(as: node)
    }
  }
}

extension TOMLTime {
  fileprivate func isSameTime(as other: TOMLTime) -> Bool {
    hour == other.hour && minute == other.minute && second == other.second
      && nanosecond == other.nanosecond
  }
}
