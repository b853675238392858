import TOML

/// Why a TOML value has no JSON form.
public struct TOMLToJSONError: Error, CustomStringConvertible, Sendable {
  /// Where the value is.
  public var position: SourcePosition
  /// What is wrong, one sentence.
  public var message: String

  public var description: String { "\(position): \(message)" }
}

extension JSONValue {
  /// The JSON value a TOML value stands for, as sent to Zenodo: dates and times become
  /// ISO 8601 strings (`2026-11-21`), floats keep a fraction so they stay floats.
  ///
  /// NaN and infinities have no JSON form and throw.
  public init(toml node: TOMLNode) throws(TOMLToJSONError) {
    switch node.value {
    case .string(let s): self = .string(s)
    case .integer(let i): self = .number(JSONNumber(i))
    case .boolean(let b): self = .bool(b)
    case .float(let d):
      guard d.isFinite else {
        throw TOMLToJSONError(
          position: node.position, message: "\(d) cannot be written as JSON; use a finite number")
      }
      self = .number(JSONNumber(text: JSONValue.floatText(d)))
    case .date(let d): self = .string(d.isoText)
    case .time(let t): self = .string(t.isoText)
    case .dateTime(let dt): self = .string(dt.isoText)
    case .array(let items):
      var out: [JSONValue] = []
      out.reserveCapacity(items.count)
      for item in items { out.append(try JSONValue(toml: item)) }
      self = .array(out)
    case .table(let table):
      var object = JSONObject()
      for entry in table.entries { object[entry.key.name] = try JSONValue(toml: entry.node) }
      self = .object(object)
    }
  }

  /// A JSON literal for a finite double that reads back as the same double and as a float
  /// (`4.0`, not `4`).
  static func floatText(_ d: Double) -> String {
    let text = "\(d)"  // shortest round-tripping form, e.g. "4.0", "1e-07", "1.5e+20"
    return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
  }
}

/// The TOML form of a JSON value, and the JSON `null`s that had to be left out.
public struct JSONToTOMLResult: Sendable {
  /// The value; nil when the input itself was `null`.
  public var node: TOMLNode?
  /// JSON-pointer-like paths (`/creators/0/orcid`) of the `null`s dropped (TOML has no null).
  public var droppedNulls: [String]
}

extension TOMLNode {
  /// The TOML form of a JSON value: objects become tables, numbers keep their kind
  /// (an integer literal becomes a TOML integer, anything else a float), strings stay strings
  /// (even date-like ones), and `null` is dropped and reported.
  ///
  /// An integer too large for 64 bits
  /// becomes a float.
  public static func fromJSON(_ value: JSONValue, path: String = "") -> JSONToTOMLResult {
    var dropped: [String] = []
    let node = convert(value, path: path, dropped: &dropped)
    return JSONToTOMLResult(node: node, droppedNulls: dropped)
  }

  private static func convert(_ value: JSONValue, path: String, dropped: inout [String])
    -> TOMLNode?
  {
    switch value {
    case .null:
      dropped.append(path.isEmpty ? "/" : path)
      return nil
    case .bool(let b): return TOMLNode(.boolean(b))
    case .string(let s): return TOMLNode(.string(s))
    case .number(let n):
      if let i = n.int64Value { return TOMLNode(.integer(i)) }
      return TOMLNode(.float(n.doubleValue))
    case .array(let items):
      var out: [TOMLNode] = []
      for (index, item) in items.enumerated() {
        if let node = convert(item, path: "\(path)/\(index)", dropped: &dropped) {
          out.append(node)
        }
      }
      return TOMLNode(.array(out))
    case .object(let object):
      var table = TOMLTable()
      for (key, member) in object {
        if let node = convert(member, path: "\(path)/\(key)", dropped: &dropped) {
          table.set(TOMLKey(key), node)
        }
      }
      return TOMLNode(.table(table))
    }
  }
}

extension TOMLDate {
  /// `YYYY-MM-DD`.
  public var isoText: String {
    pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
  }
}

extension TOMLTime {
  /// `HH:MM:SS[.fraction]`, keeping as many fraction digits as the source wrote.
  public var isoText: String {
    var text = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
    if fractionDigits > 0 {
      let digits = pad(nanosecond, 9)
      text += "." + digits.prefix(min(fractionDigits, 9))
    }
    return text
  }
}

extension TOMLDateTime {
  /// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`.
  public var isoText: String {
    var text = date.isoText + "T" + time.isoText
    if let offset = offsetMinutes {
      if offset == 0 {
        text += "Z"
      } else {
        let sign = offset < 0 ? "-" : "+"
        text += sign + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
      }
    }
    return text
  }
}

private func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}
