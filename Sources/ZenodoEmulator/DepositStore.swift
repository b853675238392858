import Foundation

/// Limits that Zenodo applies to files (zenodo-api.md §5.1).
public struct FileLimits: Sendable, Equatable {
  /// Files per deposit; Zenodo: 100.
  public var maxFiles: Int
  /// Bytes per deposit, all files together; Zenodo: 50 GB.
  public var quotaBytes: Int64
  /// Bytes per file; Zenodo: 50 GB.
  public var maxFileBytes: Int64

  /// Zenodo's limits.
  public static let zenodo = FileLimits(
    maxFiles: 100, quotaBytes: 50_000_000_000, maxFileBytes: 50_000_000_000)

  /// Creates limits.
  public init(maxFiles: Int, quotaBytes: Int64, maxFileBytes: Int64) {
    self.maxFiles = maxFiles
    self.quotaBytes = quotaBytes
    self.maxFileBytes = maxFileBytes
  }
}

/// What a deposit id currently resolves to (§11.2: drafts and records keyed by the same id).
struct DepositView: Sendable {
  var version: DepositVersion
  var isDraft: Bool
  var isPublished: Bool

  var state: String {
    if !isPublished { return "unsubmitted" }
    return isDraft ? "inprogress" : "done"
  }
}

/// Where an upload may go, checked before the body is read.
struct UploadTarget: Sendable {
  var depositID: Int
  /// Bytes the other files of the deposit already use.
  var otherBytes: Int64
}

/// The emulator's state: drafts, records, concepts and buckets, persisted as JSON plus blobs.
actor DepositStore {
  private var state: EmulatorState
  private let directory: URL
  private let limits: FileLimits
  private let indexLag: Double

  var blobDirectory: URL { directory.appendingPathComponent("blobs") }
  var uploadDirectory: URL { directory.appendingPathComponent("uploads") }
  private var stateFile: URL { directory.appendingPathComponent("state.json") }

  init(directory: URL, limits: FileLimits, indexLag: Double) throws {
    self.directory = directory
    self.limits = limits
    self.indexLag = indexLag
    let manager = FileManager.default
    try manager.createDirectory(
      at: directory.appendingPathComponent("blobs"), withIntermediateDirectories: true)
    try manager.createDirectory(
      at: directory.appendingPathComponent("uploads"), withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("state.json")
    if let data = try? Data(contentsOf: file) {
      state = try JSONDecoder().decode(EmulatorState.self, from: data)
    } else {
      state = EmulatorState()
    }
  }

  private func save() {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(state) {
      try? data.write(to: stateFile, options: .atomic)
    }
  }

  // MARK: Lookup

  /// The draft if there is one, else the record (`read_draft`); checks the owner.
  func view(_ id: Int, user: Int) throws(APIError) -> DepositView {
    if let draft = state.drafts[id] {
      guard draft.owner == user else { throw .permissionDenied }
      return DepositView(version: draft, isDraft: true, isPublished: state.records[id] != nil)
    }
    if let record = state.records[id] {
      guard record.owner == user else { throw .permissionDenied }
      return DepositView(version: record, isDraft: false, isPublished: true)
    }
    throw APIError.unknownID
  }

  /// The published record, for the public records API.
  func record(_ id: Int) -> DepositVersion? { state.records[id] }

  // MARK: Deposits

  func create(owner: Int, metadata: [String: JSON]) -> DepositView {
    let conceptID = state.counter + 1
    let id = state.counter + 2
    state.counter = id
    let now = Clock.timestamp()
    let bucket = UUID().uuidString.lowercased()
    let version = DepositVersion(
      id: id, conceptID: conceptID, owner: owner, created: now, modified: now, metadata: metadata,
      files: [], bucket: bucket, revision: 1,
      searchableAfter: Date().timeIntervalSince1970 + indexLag)
    state.drafts[id] = version
    state.concepts[conceptID] = Concept(id: conceptID, owner: owner, versions: [], nextDraftID: nil)
    state.buckets[bucket] = id
    save()
    return DepositView(version: version, isDraft: true, isPublished: false)
  }

  func update(_ id: Int, user: Int, metadata: [String: JSON], ifMatch: Int?) throws(APIError)
    -> DepositView
  {
    let current = try view(id, user: user)
    guard current.isDraft, var draft = state.drafts[id] else { throw APIError.noResult }
    if let ifMatch, ifMatch != draft.revision { throw .preconditionFailed }
    draft.metadata = metadata
    draft.modified = Clock.timestamp()
    draft.revision += 1
    state.drafts[id] = draft
    save()
    return DepositView(version: draft, isDraft: true, isPublished: current.isPublished)
  }

  /// DELETE and discard: drop the draft; a never-published deposit disappears entirely.
  func deleteDraft(_ id: Int, user: Int, ifMatch: Int?) throws(APIError) {
    let current = try view(id, user: user)
    guard current.isDraft, let draft = state.drafts[id] else { throw APIError.noResult }
    if let ifMatch, ifMatch != draft.revision { throw .preconditionFailed }
    state.drafts[id] = nil
    if var concept = state.concepts[draft.conceptID] {
      if concept.nextDraftID == id { concept.nextDraftID = nil }
      state.concepts[draft.conceptID] = concept
      if concept.versions.isEmpty && concept.nextDraftID == nil {
        state.concepts[draft.conceptID] = nil
      }
    }
    if !current.isPublished {
      state.buckets[draft.bucket] = nil
    }
    collectGarbage()
    save()
  }

  func publish(_ id: Int, user: Int) throws(APIError) -> DepositView {
    let current = try view(id, user: user)
    guard current.isDraft, var draft = state.drafts[id] else { throw APIError.noResult }
    let errors = LegacyMetadata.publishErrors(draft.metadata)
    if !errors.isEmpty { throw .validation(errors) }
    if draft.files.isEmpty {
      throw .validation([
        FieldError(
          field: "files.enabled",
          messages: [
            "Missing uploaded files. To disable files for this record please mark it as metadata-only."
          ])
      ])
    }
    draft.modified = Clock.timestamp()
    draft.revision += 1
    state.drafts[id] = nil
    state.records[id] = draft
    if var concept = state.concepts[draft.conceptID] {
      if !concept.versions.contains(id) { concept.versions.append(id) }
      if concept.nextDraftID == id { concept.nextDraftID = nil }
      state.concepts[draft.conceptID] = concept
    }
    save()
    return DepositView(version: draft, isDraft: false, isPublished: true)
  }

  func edit(_ id: Int, user: Int) throws(APIError) -> DepositView {
    let current = try view(id, user: user)
    if current.isDraft { return current }
    var draft = current.version
    draft.modified = Clock.timestamp()
    state.drafts[id] = draft
    save()
    return DepositView(version: draft, isDraft: true, isPublished: true)
  }

  func newVersion(_ id: Int, user: Int) throws(APIError) -> DepositView {
    let current = try view(id, user: user)
    guard current.isPublished, var concept = state.concepts[current.version.conceptID],
      let latestID = concept.versions.last, let latest = state.records[latestID]
    else { throw APIError.notRegistered }
    if let nextID = concept.nextDraftID, var pending = state.drafts[nextID] {
      if !pending.files.isEmpty {
        throw .validation([
          FieldError(field: "files.enabled", messages: ["Please remove all files first."])
        ])
      }
      pending.files = latest.files
      state.drafts[nextID] = pending
      save()
      return DepositView(version: pending, isDraft: true, isPublished: false)
    }
    let newID = state.counter + 1
    state.counter = newID
    var metadata = latest.metadata
    metadata["version"] = nil
    metadata["doi"] = nil
    metadata["publication_date"] = .string(Clock.today())
    let now = Clock.timestamp()
    let bucket = UUID().uuidString.lowercased()
    let draft = DepositVersion(
      id: newID, conceptID: concept.id, owner: latest.owner, created: now, modified: now,
      metadata: metadata,
      files: latest.files, bucket: bucket, revision: 1,
      searchableAfter: Date().timeIntervalSince1970 + indexLag)
    state.drafts[newID] = draft
    state.buckets[bucket] = newID
    concept.nextDraftID = newID
    state.concepts[concept.id] = concept
    save()
    return DepositView(version: draft, isDraft: true, isPublished: false)
  }

  // MARK: Search

  struct SearchParameters: Sendable {
    var query: SearchQuery
    var allVersions: Bool
    var sort: String
    var page: Int
    var size: Int
  }

  func search(user: Int, _ parameters: SearchParameters) -> [DepositView] {
    let now = Date().timeIntervalSince1970
    var hits: [DepositView] = []
    var candidates: [DepositView] = state.drafts.values.map {
      DepositView(version: $0, isDraft: true, isPublished: state.records[$0.id] != nil)
    }
    for record in state.records.values where state.drafts[record.id] == nil {
      candidates.append(DepositView(version: record, isDraft: false, isPublished: true))
    }
    for candidate in candidates {
      let version = candidate.version
      guard version.owner == user, version.searchableAfter <= now else { continue }
      if !parameters.allVersions && !isLatestDraft(version) { continue }
      if parameters.query != .all && !document(candidate).matches(parameters.query) { continue }
      hits.append(candidate)
    }
    switch parameters.sort {
    case "oldest", "-mostrecent":
      hits.sort { ($0.version.created, $0.version.id) < ($1.version.created, $1.version.id) }
    case "updated-desc":
      hits.sort { ($0.version.modified, $0.version.id) > ($1.version.modified, $1.version.id) }
    case "updated-asc":
      hits.sort { ($0.version.modified, $0.version.id) < ($1.version.modified, $1.version.id) }
    default:
      hits.sort { ($0.version.created, $0.version.id) > ($1.version.created, $1.version.id) }
    }
    let start = (parameters.page - 1) * parameters.size
    guard start < hits.count else { return [] }
    return Array(hits[start..<min(hits.count, start + parameters.size)])
  }

  /// `versions.is_latest_draft`: the pending new-version draft, else the latest record.
  private func isLatestDraft(_ version: DepositVersion) -> Bool {
    guard let concept = state.concepts[version.conceptID] else { return true }
    if let next = concept.nextDraftID { return next == version.id }
    if let latest = concept.versions.last { return latest == version.id }
    return true
  }

  private func document(_ view: DepositView) -> SearchDocument {
    let version = view.version
    let metadata = version.metadata
    let related = metadata["related_identifiers"]?.array ?? []
    func identifiers(alternate: Bool) -> [String] {
      related.compactMap { item in
        (item["relation"]?.string == "isAlternateIdentifier") == alternate
          ? item["identifier"]?.string : nil
      }
    }
    var keywords: [String: [String]] = [
      "id": [String(version.id)],
      "parent.id": [String(version.conceptID)],
      "parent.access.owned_by.user": [String(version.owner)],
      "is_published": [view.isPublished ? "true" : "false"],
      "metadata.related_identifiers.identifier": identifiers(alternate: false),
      "metadata.publication_date": metadata["publication_date"]?.string.map { [$0] } ?? [],
      "metadata.version": metadata["version"]?.string.map { [$0] } ?? [],
      "metadata.resource_type.id": metadata["upload_type"]?.string.map { [$0] } ?? [],
      "pids.doi.identifier": [],
      "parent.pids.doi.identifier": [],
    ]
    if view.isPublished {
      keywords["pids.doi.identifier"] = [metadata["doi"]?.string ?? "10.5281/zenodo.\(version.id)"]
      keywords["parent.pids.doi.identifier"] = ["10.5281/zenodo.\(version.conceptID)"]
    }
    let texts: [String: [String]] = [
      "metadata.title": metadata["title"]?.string.map { [$0] } ?? [],
      "metadata.description": metadata["description"]?.string.map { [$0] } ?? [],
      "metadata.creators.person_or_org.name": (metadata["creators"]?.array ?? []).compactMap {
        $0["name"]?.string
      },
      "metadata.subjects.subject": (metadata["keywords"]?.array ?? []).compactMap(\.string),
      "metadata.identifiers.identifier": identifiers(alternate: true),
    ]
    return SearchDocument(keywords: keywords, texts: texts)
  }

  // MARK: Files

  /// The draft whose bucket may change: a published record's bucket (with or without an edit
  /// draft) is locked.
  private func writableDraft(_ id: Int, user: Int) throws(APIError) -> DepositVersion {
    let current = try view(id, user: user)
    if current.isPublished { throw .bucketLocked }
    guard let draft = state.drafts[id] else { throw APIError.noResult }
    return draft
  }

  /// Checks a bucket upload before its body is read.
  func prepareUpload(bucket: String, key: String, user: Int, declaredLength: Int64?)
    throws(APIError) -> UploadTarget
  {
    guard let id = state.buckets[bucket] else { throw .notFound("Bucket does not exist.") }
    let draft = try writableDraft(id, user: user)
    return try checkLimits(draft, key: key, size: declaredLength)
  }

  /// Checks a multipart upload (deposition files API) before it is stored.
  func prepareDepositUpload(_ id: Int, key: String, user: Int, size: Int64) throws(APIError)
    -> UploadTarget
  {
    let current = try view(id, user: user)
    guard current.isDraft, let draft = state.drafts[id] else { throw APIError.noResult }
    if current.isPublished { throw .bucketLocked }
    if draft.files.contains(where: { $0.key == key }) {
      throw .badRequest("File with key \(key) already exists.")
    }
    return try checkLimits(draft, key: key, size: size)
  }

  private func checkLimits(_ draft: DepositVersion, key: String, size: Int64?) throws(APIError)
    -> UploadTarget
  {
    let others = draft.files.filter { $0.key != key }
    if others.count >= limits.maxFiles {
      throw .badRequest(
        "Uploading selected files will result in exceeding the max amount per record.")
    }
    let otherBytes = others.reduce(Int64(0)) { $0 + $1.size }
    if let size {
      if size > limits.maxFileBytes { throw .badRequest("File size limit exceeded.") }
      if otherBytes + size > limits.quotaBytes { throw .badRequest("Bucket quota exceeded.") }
    }
    return UploadTarget(depositID: draft.id, otherBytes: otherBytes)
  }

  /// Bytes a streaming upload may still write before it breaks a limit.
  func remainingBytes(_ target: UploadTarget) -> Int64 {
    min(limits.maxFileBytes, limits.quotaBytes - target.otherBytes)
  }

  var fileLimits: FileLimits { limits }

  /// Stores an uploaded blob under `key`, replacing a file of the same key.
  func commitUpload(
    depositID: Int, key: String, user: Int, temporary: URL, size: Int64, md5: String
  ) throws(APIError) -> StoredFile {
    var draft = try writableDraft(depositID, user: user)
    _ = try checkLimits(draft, key: key, size: size)
    let versionID = UUID().uuidString.lowercased()
    let blob = versionID
    do {
      try FileManager.default.moveItem(
        at: temporary, to: blobDirectory.appendingPathComponent(blob))
    } catch {
      throw .badRequest("The upload could not be stored.")
    }
    let now = Clock.timestamp()
    let file = StoredFile(
      id: UUID().uuidString.lowercased(), key: key, size: size, md5: md5,
      mimetype: MimeType.forKey(key),
      created: now, updated: now, versionID: versionID, blob: blob)
    if let index = draft.files.firstIndex(where: { $0.key == key }) {
      draft.files[index] = file
    } else {
      draft.files.append(file)
    }
    draft.modified = now
    draft.revision += 1
    state.drafts[depositID] = draft
    collectGarbage()
    save()
    return file
  }

  /// The deposit a bucket belongs to, with the owner checked.
  func bucketView(_ bucket: String, user: Int) throws(APIError) -> DepositView {
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
    draft.modified = Clock.timestamp()
    draft.revision += 1
    state.drafts[id] = draft
    collectGarbage()
    save()
  }

  func deleteFile(_ id: Int, fileID: String, user: Int) throws(APIError) {
    let current = try view(id, user: user)
    guard current.isDraft, var draft = state.drafts[id] else { throw .permissionDenied }
    if current.isPublished { throw .bucketLocked }
    guard let index = draft.files.firstIndex(where: { $0.id == fileID }) else {
      throw .notFound("File does not exist.")
    }
    draft.files.remove(at: index)
    draft.modified = Clock.timestamp()
    draft.revision += 1
    state.drafts[id] = draft
    collectGarbage()
    save()
  }

  /// Removes blobs that no draft or record refers to any more.
  private func collectGarbage() {
    var used = Set<String>()
    for version in state.drafts.values { used.formUnion(version.files.map(\.blob)) }
    for version in state.records.values { used.formUnion(version.files.map(\.blob)) }
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: blobDirectory.path) else { return }
    for name in names where !used.contains(name) {
      try? manager.removeItem(at: blobDirectory.appendingPathComponent(name))
    }
  }
}
