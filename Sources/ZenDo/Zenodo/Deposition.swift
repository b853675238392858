/// A deposition as the legacy deposit API returns it (zenodo-api.md §2), read tolerantly:
/// ids may be numbers or strings, and fields the server leaves out become nil.
public struct Deposition: Sendable, Equatable {
  /// The record id (also the deposit id).
  public var id: Int
  /// The concept (parent) id shared by all versions.
  public var conceptRecordID: String?
  /// `unsubmitted`, `inprogress` or `done`.
  public var state: State
  /// True once published.
  public var submitted: Bool
  /// The title, for messages.
  public var title: String
  /// The DOI, once one exists.
  public var doi: String?
  /// The DOI Zenodo reserved for this deposit (`metadata.prereserve_doi.doi`).
  public var prereservedDOI: String?
  /// The legacy metadata as stored.
  public var metadata: JSONObject
  /// The deposited files.
  public var files: [RemoteFile]
  /// The links object.
  public var links: [String: String]
  /// The whole record as the records API returned it (nil from the legacy API).
  public var record: JSONObject?

  /// The deposition state.
  public enum State: String, Sendable {
    /// A new draft or a pending new version, never published.
    case unsubmitted
    /// Published, with an edit draft open.
    case inprogress
    /// Published, no draft.
    case done
    /// Something else (old Zenodo's `error`).
    case other
  }

  /// The bucket URL for file uploads.
  public var bucketURL: String? { links["bucket"] }
  /// The page for people: `links.html`, or `links.latest_draft_html`.
  public var webURL: String? { links["html"] ?? links["latest_draft_html"] }
  /// The version in the metadata, if any.
  public var version: String? { metadata["version"]?.stringValue }

  /// Reads a deposition from its JSON; nil when it has no usable id.
  public init?(json: JSONValue) {
    guard let object = json.objectValue, let id = (object["id"] ?? object["record_id"])?.intValue
    else { return nil }
    self.id = id
    self.conceptRecordID = object["conceptrecid"].flatMap {
      $0.stringValue ?? $0.intValue.map(String.init)
    }
    self.state = object["state"]?.stringValue.flatMap(State.init(rawValue:)) ?? .other
    self.submitted = object["submitted"]?.boolValue ?? (state != .unsubmitted)
    self.metadata = object["metadata"]?.objectValue ?? JSONObject()
    self.title = object["title"]?.stringValue ?? metadata["title"]?.stringValue ?? ""
    self.doi = object["doi"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    self.prereservedDOI = metadata["prereserve_doi"]?.objectValue?["doi"]?.stringValue
    self.files = (object["files"]?.arrayValue ?? []).compactMap(RemoteFile.init(json:))
    var links: [String: String] = [:]
    for member in object["links"]?.objectValue ?? JSONObject() {
      if let text = member.value.stringValue { links[member.key] = text }
    }
    self.links = links
  }

  /// Creates a deposition from its parts (tests, fakes).
  public init(
    id: Int, conceptRecordID: String?, state: State, submitted: Bool, title: String = "",
    doi: String? = nil, prereservedDOI: String? = nil, metadata: JSONObject = JSONObject(),
    files: [RemoteFile] = [], links: [String: String] = [:]
  ) {
    self.id = id
    self.conceptRecordID = conceptRecordID
    self.state = state
    self.submitted = submitted
    self.title = title
    self.doi = doi
    self.prereservedDOI = prereservedDOI
    self.metadata = metadata
    self.files = files
    self.links = links
  }

  /// Equal when id, state, metadata, files, links and DOI are.
  public static func == (lhs: Deposition, rhs: Deposition) -> Bool {
    lhs.id == rhs.id && lhs.state == rhs.state && lhs.metadata == rhs.metadata
      && lhs.files == rhs.files && lhs.links == rhs.links && lhs.doi == rhs.doi
  }
}

/// A file of a deposition.
public struct RemoteFile: Sendable, Equatable {
  /// The file id, used to delete it.
  public var id: String
  /// The file name (the bucket key).
  public var name: String
  /// The size in bytes.
  public var size: Int64
  /// The MD5 as lower-case hex, without an `md5:` prefix.
  public var md5: String

  /// Creates a file entry.
  public init(id: String, name: String, size: Int64, md5: String) {
    self.id = id
    self.name = name
    self.size = size
    self.md5 = md5
  }

  /// Reads a `files[]` entry; `filesize` may be a number or a string (old Zenodo).
  public init?(json: JSONValue) {
    guard let object = json.objectValue, let name = object["filename"]?.stringValue else {
      return nil
    }
    self.id = object["id"]?.stringValue ?? ""
    self.name = name
    self.size = Int64(object["filesize"]?.intValue ?? 0)
    self.md5 = RemoteFile.bareMD5(object["checksum"]?.stringValue ?? "")
  }

  /// The checksum without an `md5:` prefix, lower-cased.
  public static func bareMD5(_ checksum: String) -> String {
    let lowered = checksum.lowercased()
    return lowered.hasPrefix("md5:") ? String(lowered.dropFirst(4)) : lowered
  }
}
