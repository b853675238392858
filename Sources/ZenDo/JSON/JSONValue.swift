/// A JSON value that keeps what a lossless conversion needs: object key order and the
/// exact text of numbers (so `4.0` stays `4.0` and `1e3` stays a float).
///
/// Equality is JSON-value equality: object key order does not matter, numbers compare by value
/// and by kind (integer or not).
public enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

/// A JSON number, stored as the text it was written with.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The number as written in the source (a valid JSON number literal).
  public var text: String

  public init(text: String) { self.text = text }
  public init(_ value: Int64) { self.text = String(value) }

  /// True when the literal has no fraction and no exponent.
  public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }
  /// The value as an integer, when it is one and fits.
  public var int64Value: Int64? { isInteger ? Int64(text) : nil }
  /// The value as a double.
  public var doubleValue: Double { Double(text) ?? .nan }

  public var description: String { text }
}

/// A JSON object whose members keep their order.
public struct JSONObject: Sendable, Sequence {
  /// The members in order; keys are unique.
  public private(set) var members: [(key: String, value: JSONValue)]

  public init(_ members: [(key: String, value: JSONValue)] = []) {
    self.members = []
    for member in members { self[member.key] = member.value }
  }

  /// The value stored under `key`, or nil; setting nil removes the member.
  public subscript(key: String) -> JSONValue? {
    get { members.first { $0.key == key }?.value }
    set {
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append((key, newValue))
      }
    }
  }

  public var keys: [String] { members.map(\.key) }
  public var isEmpty: Bool { members.isEmpty }
  public var count: Int { members.count }

  public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
    members.makeIterator()
  }
}

extension JSONObject: Equatable {
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.members.count == rhs.members.count else { return false }
    return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
  }
}

extension JSONValue: Equatable {
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a == b
    case (.number(let a), .number(let b)):
      if a.isInteger != b.isInteger { return false }
      if let x = a.int64Value, let y = b.int64Value { return x == y }
      return a.doubleValue == b.doubleValue
    default: return false
    }
  }
}
