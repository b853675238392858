import Foundation
import TOML

/// A small JSON Schema (draft-07) validator for the keywords the Citation File Format 1.2.0
/// schema uses: `$ref` to `#/definitions/...`, `type`, `enum`, `pattern`, `format` (`date`,
/// `uri`, `email`), `required`, `properties`, `additionalProperties`, `items`, `anyOf`, `oneOf`,
/// `minItems`, `uniqueItems`, `minLength`, `maxLength`, `minimum` and `maximum`.
///
/// It validates ``CFFNode``s, so every failure carries the line and column of the value and its
/// key path (`authors[1].orcid`). YAML dates count as strings, as the schema asks.
public struct CFFSchemaValidator: Sendable {
  /// The schema's root object (for `$ref`).
  public var root: JSONValue

  /// A validator for `schema`.
  public init(schema: JSONValue) { self.root = schema }

  /// One failed rule.
  public struct Failure: Sendable, Equatable {
    /// Where the value (or, for a key not allowed, the key) is.
    public var position: SourcePosition
    /// The value's key path; empty for the root.
    public var keyPath: String
    /// What was expected and what was found.
    public var message: String
  }

  /// Every failure of `node` against the schema's root.
  public func validate(_ node: CFFNode) -> [Failure] {
    validate(node, against: root, keyPath: "")
  }

  func validate(_ node: CFFNode, against schema: JSONValue, keyPath: String) -> [Failure] {
    guard case .object(let rules) = schema else { return [] }
    if case .string(let reference)? = rules["$ref"] {
      guard let target = resolve(reference) else {
        return [fail(node, keyPath, "the schema's $ref \(reference) cannot be resolved")]
      }
      return validate(node, against: target, keyPath: keyPath)
    }
    if let type = rules["type"], let failure = checkType(node, type, keyPath) {
      return [failure]
    }
    var failures: [Failure] = []
    if case .array(let options)? = rules["enum"], !options.contains(where: { equals(node, $0) }) {
      let listed = options.prefix(12).map(Self.show).joined(separator: ", ")
      failures.append(
        fail(
          node, keyPath,
          "expected one of \(listed)\(options.count > 12 ? ", ..." : ""); found \(describe(node))"))
    }
    if case .scalar(let text, let kind) = node.value, kind == .string || kind == .timestamp {
      failures += checkString(node, text, rules, keyPath)
    }
    if case .scalar(let text, let kind) = node.value, kind == .integer || kind == .number,
      let value = Double(text)
    {
      if case .number(let minimum)? = rules["minimum"], value < minimum.doubleValue {
        failures.append(fail(node, keyPath, "expected at least \(minimum), found \(text)"))
      }
      if case .number(let maximum)? = rules["maximum"], value > maximum.doubleValue {
        failures.append(fail(node, keyPath, "expected at most \(maximum), found \(text)"))
      }
    }
    if case .sequence(let items) = node.value {
      failures += checkArray(node, items, rules, keyPath)
    }
    if case .mapping(let entries) = node.value {
      failures += checkObject(node, entries, rules, keyPath)
    }
    if case .array(let options)? = rules["anyOf"] {
      failures += checkAlternatives(node, options, keyPath, exactlyOne: false)
    }
    if case .array(let options)? = rules["oneOf"] {
      failures += checkAlternatives(node, options, keyPath, exactlyOne: true)
    }
    return failures
  }

  private func resolve(_ reference: String) -> JSONValue? {
    guard reference.hasPrefix("#/") else { return nil }
    var current = root
    for part in reference.dropFirst(2).split(separator: "/") {
      guard case .object(let object) = current, let next = object[String(part)] else { return nil }
      current = next
    }
    return current
  }

  private func fail(_ node: CFFNode, _ keyPath: String, _ message: String) -> Failure {
    Failure(position: node.position, keyPath: keyPath, message: message)
  }

  // MARK: type

  private func matches(_ node: CFFNode, type: String) -> Bool {
    switch (node.value, type) {
    case (.scalar(_, let kind), "string"): return kind == .string || kind == .timestamp
    case (.scalar(_, let kind), "integer"): return kind == .integer
    case (.scalar(_, let kind), "number"): return kind == .integer || kind == .number
    case (.scalar(_, let kind), "boolean"): return kind == .bool
    case (.scalar(_, let kind), "null"): return kind == .null
    case (.sequence, "array"): return true
    case (.mapping, "object"): return true
    default: return false
    }
  }

  private func checkType(_ node: CFFNode, _ type: JSONValue, _ keyPath: String) -> Failure? {
    let names: [String]
    switch type {
    case .string(let name): names = [name]
    case .array(let list):
      names = list.compactMap { if case .string(let s) = $0 { s } else { nil } }
    default: return nil
    }
    if names.contains(where: { matches(node, type: $0) }) { return nil }
    let expected = names.map(Self.typeName).joined(separator: " or ")
    return fail(node, keyPath, "expected \(expected), found \(describe(node))")
  }

  static func typeName(_ name: String) -> String {
    switch name {
    case "string": return "a string"
    case "integer": return "an integer"
    case "number": return "a number"
    case "boolean": return "true or false"
    case "array": return "a list (`- item` lines)"
    case "object": return "a mapping (`key: value` lines)"
    default: return name
    }
  }

  func describe(_ node: CFFNode) -> String {
    switch node.value {
    case .scalar(let text, let kind):
      switch kind {
      case .string, .timestamp: return "\"\(text)\""
      case .integer, .number: return "the number \(text)"
      case .bool: return "the boolean \(text)"
      case .null: return "an empty value"
      }
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }

  static func show(_ value: JSONValue) -> String {
    switch value {
    case .string(let s): return "\"\(s)\""
    case .number(let n): return n.text
    case .bool(let b): return b ? "true" : "false"
    default: return "\(value)"
    }
  }

  private func equals(_ node: CFFNode, _ value: JSONValue) -> Bool {
    switch (node.value, value) {
    case (.scalar(let text, let kind), .string(let s)):
      return (kind == .string || kind == .timestamp) && text == s
    case (.scalar(let text, let kind), .number(let n)):
      return (kind == .integer || kind == .number) && Double(text) == n.doubleValue
    case (.scalar(let text, .bool), .bool(let b)):
      return ["true", "True", "TRUE", "yes", "on"].contains(text) == b
    default: return false
    }
  }

  // MARK: strings

  private func checkString(
    _ node: CFFNode, _ text: String, _ rules: JSONObject, _ keyPath: String
  ) -> [Failure] {
    var failures: [Failure] = []
    let length = text.unicodeScalars.count
    if case .number(let min)? = rules["minLength"], let n = min.int64Value, length < n {
      failures.append(
        fail(node, keyPath, "expected at least \(n) character(s), found \(describe(node))"))
    }
    if case .number(let max)? = rules["maxLength"], let n = max.int64Value, length > n {
      failures.append(
        fail(node, keyPath, "expected at most \(n) character(s), found \(length)"))
    }
    // One complaint per value: a wrong date says so; otherwise the pattern (which shows the
    // expected form) wins over the format.
    let formatProblem = rules["format"].flatMap { format -> String? in
      guard case .string(let name) = format else { return nil }
      return Self.formatProblem(name, text)
    }
    let patternFails: Bool = {
      guard case .string(let pattern)? = rules["pattern"] else { return false }
      return !Self.search(pattern, in: text)
    }()
    if let formatProblem, !patternFails || rules["format"] == .string("date") {
      failures.append(fail(node, keyPath, "\(formatProblem), found \(describe(node))"))
    } else if patternFails, case .string(let pattern)? = rules["pattern"] {
      failures.append(
        fail(
          node, keyPath,
          "expected text matching /\(pattern)/\(hint(rules)), found \(describe(node))"))
    }
    return failures
  }

  private func hint(_ rules: JSONObject) -> String {
    guard case .array(let examples)? = rules["examples"], let first = examples.first,
      case .string(let example) = first
    else { return "" }
    return " (for example \"\(example)\")"
  }

  /// True when `pattern` (an ECMA-262 regular expression, unanchored) matches somewhere in `text`.
  static func search(_ pattern: String, in text: String) -> Bool {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
    return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }

  /// What is wrong with `text` for `format`, or nil when it is fine (unknown formats pass).
  static func formatProblem(_ format: String, _ text: String) -> String? {
    switch format {
    case "date":
      let parts = text.split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
        (1...12).contains(month), day >= 1
      else { return "expected a date YYYY-MM-DD" }
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
      return day <= days ? nil : "expected a real calendar date (month \(month) has \(days) days)"
    case "uri":
      guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isLetter,
        text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
        !text.contains(where: { $0.isWhitespace })
      else { return "expected an absolute URI such as https://example.org/x (no spaces)" }
      return nil
    case "email":
      let parts = text.split(separator: "@", omittingEmptySubsequences: false)
      return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
        ? nil : "expected an email address name@domain"
    default:
      return nil
    }
  }

  // MARK: arrays and objects

  private func checkArray(
    _ node: CFFNode, _ items: [CFFNode], _ rules: JSONObject, _ keyPath: String
  ) -> [Failure] {
    var failures: [Failure] = []
    if case .number(let min)? = rules["minItems"], let n = min.int64Value, items.count < n {
      failures.append(
        fail(node, keyPath, "expected a list of at least \(n) item(s), found \(items.count)"))
    }
    if case .bool(true)? = rules["uniqueItems"] {
      var seen: [String: Int] = [:]
      for (index, item) in items.enumerated() {
        let key = Self.canonical(item)
        if let first = seen[key] {
          failures.append(
            fail(
              item, "\(keyPath)[\(index)]",
              "expected unique items, but this repeats item \(first) (\(keyPath)[\(first)])"))
        } else {
          seen[key] = index
        }
      }
    }
    if let itemSchema = rules["items"] {
      for (index, item) in items.enumerated() {
        failures += validate(item, against: itemSchema, keyPath: "\(keyPath)[\(index)]")
      }
    }
    return failures
  }

  static func canonical(_ node: CFFNode) -> String {
    switch node.value {
    case .scalar(let text, let kind): return "\(kind):\(text)"
    case .sequence(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
    case .mapping(let entries):
      return "{"
        + entries.sorted { $0.key < $1.key }.map { "\($0.key)=\(canonical($0.value))" }
        .joined(separator: ",") + "}"
    }
  }

  private func checkObject(
    _ node: CFFNode, _ entries: [CFFEntry], _ rules: JSONObject, _ keyPath: String
  ) -> [Failure] {
    var failures: [Failure] = []
    let properties: JSONObject
    if case .object(let p)? = rules["properties"] {
      properties = p
    } else {
      properties = JSONObject()
    }
    let prefix = keyPath.isEmpty ? "" : keyPath + "."
    if case .array(let required)? = rules["required"] {
      for case .string(let name) in required where !entries.contains(where: { $0.key == name }) {
        failures.append(
          fail(node, "\(prefix)\(name)", "missing the required key `\(name)`"))
      }
    }
    for entry in entries {
      let childPath = prefix + entry.key
      if let childSchema = properties[entry.key] {
        failures += validate(entry.value, against: childSchema, keyPath: childPath)
      } else if case .bool(false)? = rules["additionalProperties"] {
        let known = properties.keys
        let near = Self.closest(entry.key, in: known).map { " (did you mean `\($0)`?)" } ?? ""
        failures.append(
          Failure(
            position: entry.keyPosition, keyPath: childPath,
            message: "the key `\(entry.key)` is not allowed here\(near); allowed: "
              + known.joined(separator: ", ")))
      }
    }
    return failures
  }

  static func closest(_ key: String, in known: [String]) -> String? {
    let best = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= max(2, key.count / 4) else { return nil }
    return best.0
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in 1...max(b.count, 1) where !b.isEmpty {
        let saved = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = saved
      }
    }
    return row[b.count]
  }

  // MARK: anyOf / oneOf

  private func checkAlternatives(
    _ node: CFFNode, _ options: [JSONValue], _ keyPath: String, exactlyOne: Bool
  ) -> [Failure] {
    let results = options.map { validate(node, against: $0, keyPath: keyPath) }
    let passing = results.filter(\.isEmpty).count
    if exactlyOne && passing > 1 {
      return [
        fail(
          node, keyPath,
          "expected exactly one of the schema's alternatives to fit, but \(passing) do")
      ]
    }
    if passing > 0 { return [] }
    // Every alternative failed. When all failed at the value itself (its type or enum), say
    // what would have fitted; otherwise report the alternative that came closest: the one whose
    // first failure is deepest, then the one with the fewest failures.
    if results.allSatisfy({ $0.allSatisfy { $0.keyPath == keyPath } }) {
      let reasons = results.compactMap(\.first?.message).map {
        $0.components(separatedBy: ", found ").first ?? $0
      }
      var unique: [String] = []
      for reason in reasons where !unique.contains(reason) { unique.append(reason) }
      return [
        fail(
          node, keyPath,
          unique.joined(separator: "; or ") + ", found \(describe(node))")
      ]
    }
    let scored = results.map { failures -> (Int, Int, [Failure]) in
      let depth = failures.map { $0.keyPath.count }.max() ?? 0
      let missing = failures.filter {
        $0.message.hasPrefix("missing") || $0.message.contains("not allowed")
      }
      return (depth - missing.count * 1000, -failures.count, failures)
    }
    return scored.max { ($0.0, $0.1) < ($1.0, $1.1) }?.2 ?? []
  }
}

extension CFFSchemaValidator {
  /// The validator for the bundled Citation File Format 1.2.0 schema.
  public static let cff120: CFFSchemaValidator = {
    // The schema is bundled with the package; a parse failure is a build mistake.
    let document = try? JSONReader.parse(
      PackageResources.schema_1_2_0_json, path: "schema-1.2.0.json")
    return CFFSchemaValidator(schema: document?.value ?? .object(JSONObject()))
  }()

  /// The Citation File Format version the bundled schema describes.
  public static let cffVersion = "1.2.0"

  /// The SPDX licence ids the schema allows, for matching a Zenodo licence id back to its case.
  public static let spdxLicenses: [String] = {
    guard case .object(let root) = cff120.root,
      case .object(let definitions)? = root["definitions"],
      case .object(let license)? = definitions["license-enum"],
      case .array(let values)? = license["enum"]
    else { return [] }
    return values.compactMap { if case .string(let s) = $0 { s } else { nil } }
  }()
}
