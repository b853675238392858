import Foundation

/// What `PUT …/files/{key}/content` may do with a key, decided before the body is read.
enum ContentDecision: Sendable {
  /// Stream the body into the file.
  case upload(UploadTarget)
  /// The file was already committed: its record was deleted and the reply says the transfer
  /// failed (200), as the records API does.
  case transferFailed(StoredFile)
}

extension RecordStore {
  // MARK: Records API files

  /// `POST …/draft/files`: creates pending file entries.
  func initFiles(_ id: Int, user: Int, entries: [JSON]) throws(APIError) -> RecordView {
    var draft = try ownedDraft(id, user: user)
    if entries.isEmpty {
      throw .validation([FieldError(field: "_schema", messages: ["No files to upload."])])
    }
    var keys: [String] = []
    for entry in entries {
      // zenodo.org grants fetch and remote transfers to no user.
      if let type = entry["transfer"]?["type"]?.string, type == "F" || type == "R" {
        throw .permissionDenied
      }
      guard let key = entry["key"]?.string, !key.isEmpty else {
        throw .validation([FieldError(field: "key", messages: [RDMSchema.missing])])
      }
      if key.utf8.count > 255 { throw APIError.badRequest("Filename is too long.") }
      if draft.files.contains(where: { $0.key == key }) || keys.contains(key) {
        throw APIError.badRequest("File with key \(key) already exists.")
      }
      keys.append(key)
    }
    if draft.files.count + keys.count > limits.maxFiles {
      throw APIError.badRequest(
        "Uploading selected files will result in exceeding the max amount per record.")
    }
    let now = Clock.timestamp()
    for (key, entry) in zip(keys, entries) {
      draft.files.append(
        StoredFile(
          id: UUID().uuidString.lowercased(), key: key, status: "pending", size: 0, md5: "",
          mimetype: MimeType.forKey(key), created: now, updated: now,
          versionID: UUID().uuidString.lowercased(), blob: nil, metadata: entry["metadata"] ?? .null
        ))
    }
    storeChanged(&draft)
    return makeView(draft, isDraft: true)
  }

  /// Decides a content upload for `key` before the body is read.
  func prepareContent(_ id: Int, key: String, user: Int, declaredLength: Int64?) throws(APIError)
    -> ContentDecision
  {
    guard var draft = state.drafts[id] else { throw APIError.unknownID }
    guard let index = draft.files.firstIndex(where: { $0.key == key }) else {
      throw APIError.notFound("File with key \(key) has not been initialized yet.")
    }
    guard may(user, draft.owner) else { throw .permissionDenied }
    if draft.locked { throw .bucketLocked }
    if draft.files[index].isCommitted {
      let file = draft.files.remove(at: index)
      draft.revision += 1
      state.drafts[id] = draft
      save()
      return .transferFailed(file)
    }
    return .upload(try checkLimits(draft, key: key, size: declaredLength, legacy: false))
  }

  /// Stores streamed content for a pending file (it stays pending until commit).
  func storeContent(_ target: UploadTarget, user: Int, temporary: URL, size: Int64, md5: String)
    throws(APIError) -> StoredFile
  {
    var draft = try ownedDraft(target.recordID, user: user)
    guard let index = draft.files.firstIndex(where: { $0.key == target.key }) else {
      throw APIError.notFound("File with key \(target.key) has not been initialized yet.")
    }
    let blob = try moveBlob(temporary)
    draft.files[index].blob = blob
    draft.files[index].size = size
    draft.files[index].md5 = md5
    draft.files[index].updated = Clock.timestamp()
    draft.revision += 1
    state.drafts[target.recordID] = draft
    save()
    return draft.files[index]
  }

  /// `POST …/files/{key}/commit`.
  func commitFile(_ id: Int, key: String, user: Int) throws(APIError) -> StoredFile {
    var draft = try ownedDraft(id, user: user)
    guard let index = draft.files.firstIndex(where: { $0.key == key }) else {
      throw APIError.notFound("File with key \(key) has not been initialized yet.")
    }
    if draft.locked && !draft.files[index].isCommitted { throw .bucketLocked }
    guard draft.files[index].blob != nil else {
      throw APIError.badRequest("File with key \(key) has no content yet.")
    }
    if draft.files[index].size == 0 { throw APIError.badRequest("Empty files are not accepted.") }
    draft.files[index].status = "completed"
    draft.files[index].updated = Clock.timestamp()
    draft.revision += 1
    state.drafts[id] = draft
    save()
    return draft.files[index]
  }

  /// `DELETE …/draft/files/{key}`, or all files when `key` is `nil`.
  func deleteFiles(_ id: Int, key: String?, user: Int) throws(APIError) {
    var draft = try ownedDraft(id, user: user)
    if let key {
      guard let index = draft.files.firstIndex(where: { $0.key == key }) else {
        throw APIError.notFound("File with key \(key) has not been initialized yet.")
      }
      if draft.locked && draft.files[index].isCommitted { throw .bucketLocked }
      draft.files.remove(at: index)
    } else {
      if draft.locked && draft.files.contains(where: \.isCommitted) { throw .bucketLocked }
      draft.files.removeAll()
    }
    storeChanged(&draft)
  }

  /// `PUT …/draft/files/{key}`: replaces the file's own metadata.
  func updateFileMetadata(_ id: Int, key: String, user: Int, metadata: JSON) throws(APIError)
    -> StoredFile
  {
    var draft = try ownedDraft(id, user: user)
    guard let index = draft.files.firstIndex(where: { $0.key == key }) else {
      throw APIError.notFound("File with key \(key) has not been initialized yet.")
    }
    draft.files[index].metadata = metadata
    draft.revision += 1
    state.drafts[id] = draft
    save()
    return draft.files[index]
  }

  /// The file a draft-content link serves: the draft's to those who may read the draft (403 for
  /// others, checked before the key), else the published record's, whose restricted files only
  /// its owner may read.
  func downloadable(_ id: Int, key: String, user: Int?) throws(APIError) -> StoredFile {
    if let draft = state.drafts[id], may(user, draft.owner) {
      guard let file = draft.files.first(where: { $0.key == key && $0.isCommitted }) else {
        throw APIError.notFound("File with key \(key) has not been initialized yet.")
      }
      return file
    }
    guard let record = state.records[id] else {
      if state.drafts[id] != nil { throw .permissionDenied }
      throw APIError.unknownID
    }
    if record.access["files"]?.string != "public" && !may(user, record.owner) {
      throw .permissionDenied
    }
    guard let file = record.files.first(where: { $0.key == key && $0.isCommitted }) else {
      throw APIError.notFound("File with key \(key) has not been initialized yet.")
    }
    return file
  }

  // MARK: Legacy files

  /// The draft whose bucket may change (a published record's bucket is locked).
  private func writableDraft(_ id: Int, user: Int) throws(APIError) -> RecordVersion {
    let current = try view(id, user: user)
    if current.isPublished || current.version.locked { throw .bucketLocked }
    guard let draft = state.drafts[id] else { throw APIError.noResult }
    return draft
  }

  /// Checks a legacy bucket upload before its body is read.
  func prepareUpload(bucket: String, key: String, user: Int, declaredLength: Int64?)
    throws(APIError) -> UploadTarget
  {
    guard let id = state.buckets[bucket] else { throw .notFound("Bucket does not exist.") }
    let draft = try writableDraft(id, user: user)
    return try checkLimits(draft, key: key, size: declaredLength)
  }

  /// Checks a legacy multipart upload (deposition files API) before it is stored.
  func prepareDepositUpload(_ id: Int, key: String, user: Int, size: Int64) throws(APIError)
    -> UploadTarget
  {
    let current = try view(id, user: user)
    guard current.isDraft, let draft = state.drafts[id] else { throw APIError.noResult }
    if current.isPublished || draft.locked { throw .bucketLocked }
    if draft.files.contains(where: { $0.key == key }) {
      throw .badRequest("File with key \(key) already exists.")
    }
    return try checkLimits(draft, key: key, size: size)
  }

  func checkLimits(_ draft: RecordVersion, key: String, size: Int64?, legacy: Bool = true)
    throws(APIError) -> UploadTarget
  {
    let others = draft.files.filter { $0.key != key }
    if others.count >= limits.maxFiles {
      throw .badRequest(
        "Uploading selected files will result in exceeding the max amount per record.")
    }
    let otherBytes = others.reduce(Int64(0)) { $0 + $1.size }
    if let size {
      if size > limits.maxFileBytes { throw .badRequest(Self.sizeMessage(legacy: legacy)) }
      if otherBytes + size > limits.quotaBytes { throw .badRequest("Bucket quota exceeded.") }
    }
    return UploadTarget(recordID: draft.id, key: key, otherBytes: otherBytes, legacy: legacy)
  }

  /// The per-file limit's message: the legacy bucket's, or the records API's.
  static func sizeMessage(legacy: Bool) -> String {
    legacy ? "File size limit exceeded." : "Maximum file size exceeded."
  }

  /// Bytes a streaming upload may still write before it breaks a limit.
  func remainingBytes(_ target: UploadTarget) -> Int64 {
    min(limits.maxFileBytes, limits.quotaBytes - target.otherBytes)
  }

  var fileLimits: FileLimits { limits }

  func moveBlob(_ temporary: URL) throws(APIError) -> String {
    let blob = UUID().uuidString.lowercased()
    do {
      try FileManager.default.moveItem(
        at: temporary, to: blobDirectory.appendingPathComponent(blob))
    } catch {
      throw .badRequest("The upload could not be stored.")
    }
    return blob
  }

  /// Stores and commits a legacy upload under `key`, replacing a file of the same key.
  func commitUpload(
    recordID: Int, key: String, user: Int, temporary: URL, size: Int64, md5: String
  ) throws(APIError) -> StoredFile {
    var draft = try writableDraft(recordID, user: user)
    _ = try checkLimits(draft, key: key, size: size)
    let blob = try moveBlob(temporary)
    let now = Clock.timestamp()
    let file = StoredFile(
      id: UUID().uuidString.lowercased(), key: key, status: "completed", size: size, md5: md5,
      mimetype: MimeType.forKey(key), created: now, updated: now,
      versionID: UUID().uuidString.lowercased(), blob: blob)
    if let index = draft.files.firstIndex(where: { $0.key == key }) {
      draft.files[index] = file
    } else {
      draft.files.append(file)
    }
    storeChanged(&draft)
    return file
  }

  /// The record a bucket belongs to, with the owner checked.
  func bucketView(_ bucket: String, user: Int) throws(APIError) -> RecordView {
    guard let id = state.buckets[bucket] else { throw .notFound("Bucket does not exist.") }
    return try view(id, user: user)
  }

  func deleteBucketObject(bucket: String, key: String, user: Int) throws(APIError) {
    guard let id = state.buckets[bucket] else { throw .notFound("Bucket does not exist.") }
    var draft = try writableDraft(id, user: user)
    guard let index = draft.files.firstIndex(where: { $0.key == key }) else {
      throw .notFound("Object does not exist.")
    }
    draft.files.remove(at: index)
    storeChanged(&draft)
  }

  /// The legacy `DELETE …/files/{file_id}`.
  func deleteFile(_ id: Int, fileID: String, user: Int) throws(APIError) {
    let current = try view(id, user: user)
    guard current.isDraft, var draft = state.drafts[id] else { throw .permissionDenied }
    if current.isPublished || draft.locked { throw .bucketLocked }
    guard let index = draft.files.firstIndex(where: { $0.id == fileID }) else {
      throw .notFound("File does not exist.")
    }
    draft.files.remove(at: index)
    storeChanged(&draft)
  }
}

extension RecordStore {
  // MARK: Extra formats

  /// The extra formats of `id`; a write needs the owner, a read of a draft-only id too.
  func extraFormats(_ id: Int, user: Int?, write: Bool) throws(APIError) -> [StoredFile] {
    guard let version = state.drafts[id] ?? state.records[id] else { throw APIError.unknownID }
    if write || state.records[id] == nil {
      guard may(user, version.owner) else { throw .permissionDenied }
    }
    return (state.extraFormats[id] ?? [:]).values.sorted { $0.key < $1.key }
  }

  func putExtraFormat(
    _ id: Int, user: Int, mimetype: String, temporary: URL, size: Int64, md5: String
  ) throws(APIError) {
    _ = try extraFormats(id, user: user, write: true)
    let blob = try moveBlob(temporary)
    let now = Clock.timestamp()
    state.extraFormats[id, default: [:]][mimetype] = StoredFile(
      id: UUID().uuidString.lowercased(), key: mimetype, status: "completed", size: size, md5: md5,
      mimetype: "application/octet-stream", created: now, updated: now,
      versionID: UUID().uuidString.lowercased(), blob: blob)
    save()
  }

  func deleteExtraFormat(_ id: Int, user: Int, mimetype: String) throws(APIError) {
    _ = try extraFormats(id, user: user, write: true)
    guard state.extraFormats[id]?[mimetype] != nil else {
      throw APIError.notFound("Extra format not found.")
    }
    state.extraFormats[id]?[mimetype] = nil
    save()
  }
}
