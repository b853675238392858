import Foundation

/// A file of a deposit, as the emulator keeps it.
struct StoredFile: Codable, Sendable, Equatable {
  /// The content id (a UUID), kept when a new version imports the file.
  var id: String
  var key: String
  var size: Int64
  var md5: String
  var mimetype: String
  var created: String
  var updated: String
  var versionID: String
  /// The blob's file name under the state directory's `blobs/`.
  var blob: String
}

/// One version of a deposit: a draft or a published record.
struct DepositVersion: Codable, Sendable {
  var id: Int
  var conceptID: Int
  var owner: Int
  var created: String
  var modified: String
  var metadata: [String: JSON]
  var files: [StoredFile]
  var bucket: String
  var revision: Int
  /// Seconds since 1970 from which search sees this version (index lag).
  var searchableAfter: Double
}

/// The versions of one concept.
struct Concept: Codable, Sendable {
  var id: Int
  var owner: Int
  /// Published record ids, oldest first.
  var versions: [Int]
  /// The pending new-version draft, if any.
  var nextDraftID: Int?
}

/// Everything the emulator persists.
struct EmulatorState: Codable, Sendable {
  var counter: Int = 100
  var drafts: [Int: DepositVersion] = [:]
  var records: [Int: DepositVersion] = [:]
  var concepts: [Int: Concept] = [:]
  var buckets: [String: Int] = [:]
}

/// A user the emulator accepts, with the token that identifies it.
public struct EmulatorUser: Sendable, Equatable {
  /// The numeric owner id used in deposits.
  public var id: Int
  /// The user's name, as given on the command line.
  public var name: String
  /// The access token.
  public var token: String

  /// Creates a user.
  public init(id: Int, name: String, token: String) {
    self.id = id
    self.name = name
    self.token = token
  }
}

/// Time formatting the way Zenodo prints it.
enum Clock {
  static func timestamp(_ date: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'"
    return formatter.string(from: date)
  }

  static func today(_ date: Date = Date()) -> String {
    String(timestamp(date).prefix(10))
  }
}

/// The MIME type Zenodo derives from a file key's extension.
enum MimeType {
  static let table: [String: String] = [
    "txt": "text/plain", "csv": "text/csv", "json": "application/json", "zip": "application/zip",
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif", "svg": "image/svg+xml", "html": "text/html", "xml": "application/xml",
    "md": "text/markdown", "gz": "application/gzip", "tar": "application/x-tar",
    "toml": "application/toml", "bin": "application/octet-stream", "py": "text/x-python",
  ]

  static func forKey(_ key: String) -> String {
    guard let dot = key.lastIndex(of: ".") else { return "application/octet-stream" }
    return table[key[key.index(after: dot)...].lowercased()] ?? "application/octet-stream"
  }
}
