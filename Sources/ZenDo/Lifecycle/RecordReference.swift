import Foundation

/// What `zen-do pull RECORD` names: a record or concept id, a DOI, or a Zenodo web address.
public enum RecordReference: Sendable, Equatable, CustomStringConvertible {
  /// A number: a record id, a deposit id or a concept id (Zenodo's ids share one sequence).
  case id(Int)
  /// A DOI that is not Zenodo's own `10.5281/zenodo.N` (or the sandbox's `10.5072/zenodo.N`),
  /// found by a search.
  case doi(String)

  /// Reads `text`: `1234`, `10.5281/zenodo.1234`, `doi:10.5281/zenodo.1234`,
  /// `https://doi.org/10.5281/zenodo.1234`, `https://zenodo.org/records/1234`,
  /// `https://zenodo.org/uploads/1234`, `https://zenodo.org/deposit/1234`,
  /// `https://zenodo.org/doi/10.5281/zenodo.1234`, or any other DOI.
  public init(parsing text: String) throws(RecordReferenceError) {
    var rest = text.trimmed
    guard !rest.isEmpty else { throw .unrecognised(text) }
    if let number = Int(rest) {
      guard number > 0 else { throw .unrecognised(text) }
      self = .id(number)
      return
    }
    if rest.lowercased().hasPrefix("doi:") { rest = String(rest.dropFirst(4)) }
    if let scheme = rest.range(of: "://") {
      let afterScheme = rest[scheme.upperBound...]
      guard let slash = afterScheme.firstIndex(of: "/") else { throw .unrecognised(text) }
      var path = String(afterScheme[afterScheme.index(after: slash)...])
      if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
        path = String(path[..<cut])
      }
      path = path.removingPercentEncoding ?? path
      let host = afterScheme[..<slash].lowercased()
      if host.hasSuffix("doi.org") {
        self = try Self.fromDOI(path, original: text)
        return
      }
      let parts = path.split(separator: "/").map(String.init)
      if let index = parts.firstIndex(where: {
        ["records", "record", "uploads", "deposit"].contains($0)
      }),
        index + 1 < parts.count, let number = Int(parts[index + 1]), number > 0
      {
        self = .id(number)
        return
      }
      if let index = parts.firstIndex(of: "doi"), index + 1 < parts.count {
        self = try Self.fromDOI(parts[(index + 1)...].joined(separator: "/"), original: text)
        return
      }
      throw .unrecognised(text)
    }
    self = try Self.fromDOI(rest, original: text)
  }

  private static func fromDOI(_ doi: String, original: String) throws(RecordReferenceError)
    -> RecordReference
  {
    let lower = doi.lowercased()
    guard lower.hasPrefix("10."), lower.contains("/") else { throw .unrecognised(original) }
    for prefix in ["10.5281/zenodo.", "10.5072/zenodo."] where lower.hasPrefix(prefix) {
      guard let number = Int(lower.dropFirst(prefix.count)), number > 0 else {
        throw .unrecognised(original)
      }
      return .id(number)
    }
    return .doi(doi)
  }

  public var description: String {
    switch self {
    case .id(let id): "record \(id)"
    case .doi(let doi): "DOI \(doi)"
    }
  }
}

/// A `RECORD` argument zen-do cannot read.
public enum RecordReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Neither an id, a DOI nor a Zenodo web address.
  case unrecognised(String)

  public var description: String {
    switch self {
    case .unrecognised(let text):
      "\"\(text)\" is not a record id, a DOI or a Zenodo web address; give one such as 1234, "
        + "10.5281/zenodo.1234 or https://zenodo.org/records/1234"
    }
  }
}
