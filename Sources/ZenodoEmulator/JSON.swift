import Foundation

/// A JSON value as the emulator stores and serves it.
public enum JSON: Sendable, Equatable, Codable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSON])
  case object([String: JSON])

  /// Decodes any JSON value.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSON].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSON].self))
    }
  }

  /// Encodes the value as JSON.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .int(let value): try container.encode(value)
    case .double(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// Parses JSON text; `nil` when the bytes are not JSON.
  public static func parse(_ data: Data) -> JSON? {
    try? JSONDecoder().decode(JSON.self, from: data)
  }

  /// The value serialised with sorted keys.
  public var data: Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(self)) ?? Data("null".utf8)
  }

  /// The string, when this is a string.
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The integer, when this is an integral number.
  public var int: Int? {
    switch self {
    case .int(let value): return value
    case .double(let value) where value == value.rounded(): return Int(exactly: value)
    default: return nil
    }
  }

  /// The members, when this is an object.
  public var object: [String: JSON]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The elements, when this is an array.
  public var array: [JSON]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The member named `key`, when this is an object that has it.
  public subscript(key: String) -> JSON? {
    object?[key]
  }
}

extension JSON: ExpressibleByStringLiteral {
  /// A string literal is a JSON string.
  public init(stringLiteral value: String) { self = .string(value) }
}

extension JSON: ExpressibleByBooleanLiteral {
  /// A boolean literal is a JSON boolean.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSON: ExpressibleByIntegerLiteral {
  /// An integer literal is a JSON integer.
  public init(integerLiteral value: Int) { self = .int(value) }
}
