import Foundation
import TOML

/// Compares a parsed value with toml-test's tagged JSON form (`{"type": ..., "value": ...}` for
/// scalars, objects for tables, arrays for arrays), the way toml-test itself compares: floats by
/// value, date-times by their normalized text.
enum TaggedJSON {
  /// nil when `value` matches `expected`, else where and how they differ.
  static func mismatch(_ value: TOMLValue, _ expected: Any, path: String = "") -> String? {
    switch value {
    case .table(let table):
      guard let object = expected as? [String: Any] else {
        return "\(path): got a table, expected \(expected)"
      }
      let ours = Set(table.keys)
      let theirs = Set(object.keys)
      guard ours == theirs, table.keys.count == object.count else {
        return "\(path): keys \(table.keys.sorted()) differ from expected \(object.keys.sorted())"
      }
      for entry in table.entries {
        if let problem = mismatch(
          entry.node.value, object[entry.key.name] as Any, path: path + "." + entry.key.name)
        {
          return problem
        }
      }
      return nil
    case .array(let items):
      guard let array = expected as? [Any] else {
        return "\(path): got an array, expected \(expected)"
      }
      guard array.count == items.count else {
        return "\(path): \(items.count) items, expected \(array.count)"
      }
      for (index, (item, other)) in zip(items, array).enumerated() {
        if let problem = mismatch(item.value, other, path: "\(path)[\(index)]") { return problem }
      }
      return nil
    default:
      guard let tagged = expected as? [String: Any], let type = tagged["type"] as? String,
        let text = tagged["value"] as? String
      else {
        return "\(path): got \(value), expected \(expected)"
      }
      return scalarMismatch(value, type: type, text: text)
        ? "\(path): got \(value), expected \(type) \(text)" : nil
    }
  }

  private static func scalarMismatch(_ value: TOMLValue, type: String, text: String) -> Bool {
    switch (value, type) {
    case (.string(let s), "string"): return !s.unicodeScalars.elementsEqual(text.unicodeScalars)
    case (.integer(let i), "integer"): return Int64(text) != i
    case (.boolean(let b), "bool"): return text != (b ? "true" : "false")
    case (.float(let d), "float"):
      switch text {
      case "nan", "+nan", "-nan": return !d.isNaN
      case "inf", "+inf": return d != .infinity
      case "-inf": return d != -.infinity
      default:
        guard let expected = Double(text) else { return true }
        return expected != d || (expected == 0 && expected.sign != d.sign)
      }
    case (.dateTime(let dt), "datetime"):
      return dt.offsetMinutes == nil || normalized(text) != normalized(ourText(.dateTime(dt)))
    case (.dateTime(let dt), "datetime-local"):
      return dt.offsetMinutes != nil || normalized(text) != normalized(ourText(.dateTime(dt)))
    case (.date, "date-local"), (.time, "time-local"):
      return normalized(text) != normalized(ourText(value))
    default:
      return true
    }
  }

  /// Our value as RFC 3339 text, written independently of the writer under test.
  private static func ourText(_ value: TOMLValue) -> String {
    func pad(_ n: Int, _ width: Int) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    func date(_ d: TOMLDate) -> String { "\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))" }
    func time(_ t: TOMLTime) -> String {
      "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.nanosecond, 9))"
    }
    switch value {
    case .date(let d): return date(d)
    case .time(let t): return time(t)
    case .dateTime(let dt):
      var text = date(dt.date) + "T" + time(dt.time)
      if let offset = dt.offsetMinutes {
        text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
      }
      return text
    default: return ""
    }
  }

  /// Upper-case separators, `Z` for a zero offset, and the fraction without trailing zeros.
  static func normalized(_ text: String) -> String {
    var s = text.uppercased().replacingOccurrences(of: " ", with: "T")
    if s.hasSuffix("Z") { s = String(s.dropLast()) + "+00:00" }
    s = s.replacingOccurrences(of: "-00:00", with: "+00:00")
    // Strip the fraction's trailing zeros (and the dot when nothing is left).
    guard let dot = s.firstIndex(of: ".") else { return s }
    let afterDot = s.index(after: dot)
    let digitsEnd = s[afterDot...].firstIndex(where: { !$0.isNumber }) ?? s.endIndex
    var digits = String(s[afterDot..<digitsEnd].prefix(9))
    while digits.hasSuffix("0") { digits.removeLast() }
    return String(s[..<dot]) + (digits.isEmpty ? "" : "." + digits) + String(s[digitsEnd...])
  }
}
