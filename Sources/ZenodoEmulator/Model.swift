import Foundation

/// A file of a draft or record, as the emulator keeps it.
struct StoredFile: Codable, Sendable, Equatable {
  /// The file id (a UUID), kept when a new version imports the file.
  var id: String
  var key: String
  /// `pending` after init and content, `completed` after commit.
  var status: String
  var size: Int64
  /// The MD5 as lower-case hex, empty until content arrives.
  var md5: String
  var mimetype: String
  var created: String
  var updated: String
  var versionID: String
  /// The blob's file name under the state directory's `blobs/`, `nil` before content arrives.
  var blob: String?
  /// The file's own metadata (`PUT …/files/{key}`).
  var metadata: JSON = .null

  var isCommitted: Bool { status == "completed" }
}

/// One version of a concept: a draft or a published record, in native InvenioRDM form.
struct RecordVersion: Codable, Sendable {
  var id: Int
  var parentID: Int
  var owner: Int
  var created: String
  var updated: String
  var revision: Int
  /// `metadata` as the records API stores it.
  var metadata: [String: JSON]
  var customFields: [String: JSON]
  /// `access`: `record`, `files`, optional `embargo`.
  var access: [String: JSON]
  /// `pids`: `doi`, `oai`.
  var pids: [String: JSON]
  var files: [StoredFile]
  var filesEnabled: Bool
  var bucket: String
  /// An edit draft of a published record: its files may not change.
  var locked: Bool
  /// `files.default_preview`.
  var defaultPreview: String?
  /// `versions.index`.
  var versionIndex: Int
  /// Seconds since 1970 from which search sees this version (index lag).
  var searchableAfter: Double
}

/// A review (community submission) request.
struct ReviewRequest: Codable, Sendable {
  var id: String
  var communityID: String
  /// `created`, `submitted`, `accepted`, `declined`, `cancelled`.
  var status: String
  var recordID: Int
  var created: String
  var updated: String
  /// `community-submission` or `community-inclusion`.
  var type: String
  /// The user who made the request.
  var createdBy: Int
  /// The request's number (the requests' own counter).
  var number: Int
  var revision: Int = 1
  /// The request's title: the draft's title when it was made.
  var title: String = ""
  /// The timeline: comments and log events, oldest first.
  var events: [RequestEvent] = []

  var isOpen: Bool { status == "created" || status == "submitted" }
}

/// One entry of a request's timeline.
struct RequestEvent: Codable, Sendable {
  var id: String
  /// `C` for a comment, `L` for a log event.
  var type: String
  var content: String
  var user: Int
  var created: String
}

/// A parent (concept): the versions of one record, its communities and its review.
struct Parent: Codable, Sendable {
  var id: Int
  var owner: Int
  /// Published record ids, oldest first.
  var versions: [Int]
  /// The pending new-version draft, if any.
  var nextDraftID: Int?
  /// Community ids (UUIDs) the parent belongs to.
  var communities: [String] = []
  /// The draft's review request id, if any.
  var reviewID: String?
  /// Whether the concept DOI has been minted (first publish with a Zenodo DOI).
  var conceptDOI: Bool = false
  /// The access-request settings set by `PUT /api/records/{id}/access`; nil: the defaults.
  var accessSettings: [String: JSON]?
}

/// A community (`--community SLUG[:USER]`).
struct Community: Codable, Sendable {
  var id: String
  var slug: String
  var owner: Int
  var created: String
}

/// Everything the emulator persists.
///
/// The tables record their changed keys, so that a save journals only those
/// (``StatePersistence``).
struct EmulatorState: Codable, Sendable {
  /// Bumped when the layout changes; older state files are dropped.
  var format = EmulatorState.currentFormat
  var counter: Int = 100
  var drafts = KeyedTable<Int, RecordVersion>()
  var records = KeyedTable<Int, RecordVersion>()
  var parents = KeyedTable<Int, Parent>()
  var buckets = KeyedTable<String, Int>()
  var requests = KeyedTable<String, ReviewRequest>()
  var communities = KeyedTable<String, Community>()
  /// The legacy API's extra formats of each record id, by MIME type.
  var extraFormats = KeyedTable<Int, [String: StoredFile]>()

  static let currentFormat = 2
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
  /// The time as Zenodo prints it: `2026-12-02T05:10:48.123456+00:00`.
  ///
  /// UTC, microseconds truncated. Formatted by hand: a `DateFormatter` made per call was a
  /// fifth of the emulator's CPU per write request.
  static func timestamp(_ date: Date = Date()) -> String {
    let interval = date.timeIntervalSince1970
    let whole = interval.rounded(.down)
    var seconds = time_t(whole)
    let micros = min(Int((interval - whole) * 1_000_000), 999_999)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-"
      + pad(parts.tm_mday, 2) + "T" + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":"
      + pad(parts.tm_sec, 2) + "." + pad(Int32(micros), 6) + "+00:00"
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
