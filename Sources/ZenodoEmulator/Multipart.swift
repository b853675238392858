import Foundation

/// Just enough `multipart/form-data` for the deposition files API (`docs/zenodo-api.md`, deposition files).
enum Multipart {
  struct Part {
    var name: String?
    var filename: String?
    var body: Data
  }

  static func boundary(_ contentType: String) -> String? {
    for parameter in contentType.split(separator: ";").dropFirst() {
      let pair = parameter.split(separator: "=", maxSplits: 1)
      if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" {
        return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
      }
    }
    return nil
  }

  static func parse(_ data: Data, boundary: String) -> [Part] {
    let delimiter = Data("--\(boundary)".utf8)
    let headerEnd = Data("\r\n\r\n".utf8)
    var parts: [Part] = []
    guard var cursor = data.range(of: delimiter)?.upperBound else { return [] }
    while let next = data.range(of: delimiter, in: cursor..<data.endIndex) {
      var section = data[cursor..<next.lowerBound]
      if section.starts(with: Data("\r\n".utf8)) { section = section.dropFirst(2) }
      if section.count >= 2, section.suffix(2) == Data("\r\n".utf8) {
        section = section.dropLast(2)
      }
      if let split = section.range(of: headerEnd) {
        let headers = String(
          decoding: section[section.startIndex..<split.lowerBound], as: UTF8.self)
        var part = Part(name: nil, filename: nil, body: Data(section[split.upperBound...]))
        for line in headers.components(separatedBy: "\r\n")
        where line.lowercased().hasPrefix("content-disposition") {
          part.name = parameter("name", in: line)
          part.filename = parameter("filename", in: line)
        }
        parts.append(part)
      }
      cursor = next.upperBound
    }
    return parts
  }

  private static func parameter(_ name: String, in line: String) -> String? {
    for item in line.split(separator: ";").dropFirst() {
      let pair = item.split(separator: "=", maxSplits: 1)
      if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name {
        return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
      }
    }
    return nil
  }

  /// Werkzeug's `secure_filename`: ASCII only, separators and spaces become `_`.
  static func secureFilename(_ name: String) -> String {
    let ascii = name.decomposedStringWithCompatibilityMapping.unicodeScalars.filter(\.isASCII)
    var text = String(String.UnicodeScalarView(ascii)).replacingOccurrences(of: "/", with: " ")
    text = text.split(whereSeparator: \.isWhitespace).joined(separator: "_")
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
    text = String(text.filter { allowed.contains($0) })
    return text.trimmingCharacters(in: CharacterSet(charactersIn: "._"))
  }
}
