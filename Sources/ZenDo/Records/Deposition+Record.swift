extension Deposition {
  /// Reads a record or draft as the records API returns it with
  /// `Accept: application/vnd.inveniordm.v1+json`; nil when it has no usable id.
  ///
  /// Never published → `unsubmitted`; published with an open edit draft → `inprogress`;
  /// published → `done`. The files come from `files.entries` (an object keyed by file key, or
  /// an array); a file not yet committed has no checksum and so never matches a local file.
  public init?(record json: JSONValue) {
    guard let object = json.objectValue, let id = object["id"]?.intValue else { return nil }
    let published = object["is_published"]?.boolValue ?? false
    let isDraft = object["is_draft"]?.boolValue ?? !published
    let state: State = !published ? .unsubmitted : (isDraft ? .inprogress : .done)
    let metadata = object["metadata"]?.objectValue ?? JSONObject()
    let parent = object["parent"]?.objectValue
    let doi = object["pids"]?.objectValue?["doi"]?.objectValue?["identifier"]?.stringValue
    var links: [String: String] = [:]
    for member in object["links"]?.objectValue ?? JSONObject() {
      if let text = member.value.stringValue { links[member.key] = text }
    }
    if isDraft, let draft = links["self"] { links["discard"] = draft }
    if links["html"] == nil, let html = links["self_html"] { links["html"] = html }
    let entries = object["files"]?.objectValue?["entries"]
    let files =
      (entries?.objectValue.map { $0.map(\.value) } ?? entries?.arrayValue ?? [])
      .compactMap(RemoteFile.init(recordEntry:))
    self.init(
      id: id,
      conceptRecordID: parent?["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) },
      state: state, submitted: published, title: metadata["title"]?.stringValue ?? "",
      doi: published ? doi : nil, prereservedDOI: published ? nil : doi, metadata: metadata,
      files: files, links: links)
    self.record = object
  }

  /// The community review request of the draft's parent (`parent.review`), if any.
  public var review: (id: String, status: String, community: String)? {
    guard let review = record?["parent"]?.objectValue?["review"]?.objectValue,
      let id = review["id"]?.stringValue
    else { return nil }
    return (
      id, review["status"]?.stringValue ?? "",
      review["receiver"]?.objectValue?["community"]?.stringValue ?? ""
    )
  }

  /// The ids of the communities the record's parent belongs to.
  public var communityIDs: [String] {
    (record?["parent"]?.objectValue?["communities"]?.objectValue?["ids"]?.arrayValue ?? [])
      .compactMap(\.stringValue)
  }
}

extension RemoteFile {
  /// Reads a `files.entries` item of a records-API record (`key`, `size`, `checksum`).
  public init?(recordEntry json: JSONValue) {
    guard let object = json.objectValue, let key = object["key"]?.stringValue else { return nil }
    self.init(
      id: key, name: key, size: Int64(object["size"]?.intValue ?? 0),
      md5: RemoteFile.bareMD5(object["checksum"]?.stringValue ?? ""))
  }
}
