/// JSON text for the Zenodo client, through the shared ``JSONReader`` and ``JSONWriter``: key
/// order and number text are kept, so what Zenodo sends back compares exactly.
public enum ZenodoJSON {
  /// Why a response body is not JSON.
  public typealias ParseError = JSONSyntaxError

  /// Parses UTF-8 JSON text into a value.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    try JSONReader.parse(bytes).value
  }

  /// Parses JSON text given as a string.
  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try JSONReader.parse(text).value
  }

  /// Writes a value as compact JSON, or indented with two spaces (no final newline) when
  /// `pretty`.
  public static func serialize(_ value: JSONValue, pretty: Bool = false) -> String {
    guard pretty else { return JSONWriter(pretty: false).write(value) }
    return String(JSONWriter().write(value).dropLast())
  }
}

extension JSONValue {
  /// The string, when this is one.
  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
  /// The object, when this is one.
  public var objectValue: JSONObject? {
    if case .object(let object) = self { return object }
    return nil
  }
  /// The array, when this is one.
  public var arrayValue: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }
  /// The integer, when this is an integer number or a string of digits (Zenodo sends both).
  public var intValue: Int? {
    switch self {
    case .number(let number): return number.int64Value.map { Int($0) }
    case .string(let text): return Int(text)
    default: return nil
    }
  }
  /// The bool, when this is one.
  public var boolValue: Bool? {
    if case .bool(let flag) = self { return flag }
    return nil
  }
}
