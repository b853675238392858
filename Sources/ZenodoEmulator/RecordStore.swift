import Foundation

/// Limits that Zenodo applies to files (`docs/zenodo-rdm-api.md` §4.5).
public struct FileLimits: Sendable, Equatable {
  /// Files per record; Zenodo: 100.
  public var maxFiles: Int
  /// Bytes per record, all files together; Zenodo: 50 GB.
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

/// One draft or record as a response shows it, with what the serializers need around it.
struct RecordView: Sendable {
  var version: RecordVersion
  var isDraft: Bool
  var isPublished: Bool
  var parent: Parent
  var isLatest: Bool
  var isLatestDraft: Bool
  var communities: [Community]
  var review: ReviewRequest?
  /// Lax-validation errors of the save that produced this view.
  var errors: [FieldError] = []

  /// The legacy `state`: `unsubmitted`, `inprogress` or `done`.
  var state: String {
    if !isPublished { return "unsubmitted" }
    return isDraft ? "inprogress" : "done"
  }
}

/// Where an upload may go, checked before the body is read.
struct UploadTarget: Sendable {
  var recordID: Int
  var key: String
  /// Bytes the other files of the record already use.
  var otherBytes: Int64
  /// Whether the legacy API's messages apply.
  var legacy: Bool
}

/// The emulator's one store: parents, drafts and records in native InvenioRDM form, persisted as
/// JSON plus blobs. Both APIs read and write it.
actor RecordStore {
  var state: EmulatorState
  let directory: URL
  let limits: FileLimits
  let indexLag: Double
  let vocabularies: Vocabularies
  /// Users with zenodo-rdm's `superuser-access` role (`--superuser`).
  let superusers: Set<Int>
  /// Whether records without files may be published (`--allow-metadata-only`; zenodo.org: no).
  let allowMetadataOnly: Bool

  /// `state.json` and `state.journal`.
  let persistence: StatePersistence
  /// How many drafts, records and extra formats refer to each blob; a blob no longer referred
  /// to is removed by the save that dropped its last reference.
  var blobUse: [String: Int] = [:]

  var blobDirectory: URL { directory.appendingPathComponent("blobs") }
  var uploadDirectory: URL { directory.appendingPathComponent("uploads") }

  /// Loads the snapshot and replays the journal, adds the command line's communities, then
  /// compacts (a new snapshot, an empty journal) and removes blobs nothing refers to.
  init(
    directory: URL, limits: FileLimits, indexLag: Double, vocabularies: Vocabularies,
    communities: [(slug: String, owner: Int)], superusers: Set<Int> = [],
    allowMetadataOnly: Bool = false, compactionFloor: Int = 1 << 20
  ) throws {
    self.superusers = superusers
    self.allowMetadataOnly = allowMetadataOnly
    self.directory = directory
    self.limits = limits
    self.indexLag = indexLag
    self.vocabularies = vocabularies
    let manager = FileManager.default
    let blobs = directory.appendingPathComponent("blobs")
    try manager.createDirectory(at: blobs, withIntermediateDirectories: true)
    try manager.createDirectory(
      at: directory.appendingPathComponent("uploads"), withIntermediateDirectories: true)
    let persistence = StatePersistence(directory: directory, compactionFloor: compactionFloor)
    let (replayed, notes) = persistence.load()
    var loaded = replayed
    for note in notes { emulatorNote(note) }
    for (slug, owner) in communities
    where !loaded.communities.values.contains(where: { $0.slug == slug }) {
      let id = UUID().uuidString.lowercased()
      loaded.communities[id] = Community(
        id: id, slug: slug, owner: owner, created: Clock.timestamp())
    }
    _ = loaded.takeChanges()
    try persistence.compact(loaded)
    let use = Self.collectGarbage(loaded, blobDirectory: blobs)
    self.persistence = persistence
    self.blobUse = use
    self.state = loaded
  }

  /// Persists what changed since the last save: one journal line, then the blobs whose last
  /// reference went; a new snapshot when the journal has grown past its bound.
  func save() {
    guard state.hasChanges else { return }
    let changes = state.takeChanges()
    do {
      try persistence.append(changes.line)
    } catch {
      emulatorNote("\(error)")
    }
    for blob in changes.newBlobs { blobUse[blob, default: 0] += 1 }
    for blob in changes.oldBlobs { blobUse[blob, default: 0] -= 1 }
    for blob in Set(changes.oldBlobs) where (blobUse[blob] ?? 0) <= 0 {
      blobUse[blob] = nil
      try? FileManager.default.removeItem(at: blobDirectory.appendingPathComponent(blob))
    }
    if persistence.needsCompaction {
      do {
        try persistence.compact(state)
      } catch {
        emulatorNote("\(error)")
      }
    }
  }

  /// Removes the blobs `state` does not refer to (left by a crash between storing a blob and
  /// saving); returns the references counted per blob.
  static func collectGarbage(_ state: EmulatorState, blobDirectory: URL) -> [String: Int] {
    var use: [String: Int] = [:]
    for blob in state.blobReferences { use[blob, default: 0] += 1 }
    let manager = FileManager.default
    if let names = try? manager.contentsOfDirectory(atPath: blobDirectory.path) {
      for name in names where use[name] == nil {
        try? manager.removeItem(at: blobDirectory.appendingPathComponent(name))
      }
    }
    return use
  }

  /// Whether `user` may act on something `owner` owns: the owner, or a superuser.
  func may(_ user: Int?, _ owner: Int) -> Bool {
    guard let user else { return false }
    return user == owner || superusers.contains(user)
  }

  /// Stores a changed draft: a new revision and `updated` time, then saves (which also removes
  /// the blobs no longer referred to).
  func storeChanged(_ draft: inout RecordVersion) {
    draft.updated = Clock.timestamp()
    draft.revision += 1
    state.drafts[draft.id] = draft
    save()
  }

  // MARK: Views

  func makeView(_ version: RecordVersion, isDraft: Bool, errors: [FieldError] = []) -> RecordView {
    let parent =
      state.parents[version.parentID]
      ?? Parent(id: version.parentID, owner: version.owner, versions: [], nextDraftID: nil)
    let latest = parent.versions.last
    let latestDraft = parent.nextDraftID ?? latest ?? version.id
    return RecordView(
      version: version, isDraft: isDraft, isPublished: state.records[version.id] != nil,
      parent: parent, isLatest: latest == version.id && state.records[version.id] != nil,
      isLatestDraft: latestDraft == version.id,
      communities: parent.communities.compactMap { state.communities[$0] },
      review: parent.reviewID.flatMap { state.requests[$0] }, errors: errors)
  }

  /// The draft if there is one, else the record (the legacy API's view); checks the owner.
  func view(_ id: Int, user: Int) throws(APIError) -> RecordView {
    if let draft = state.drafts[id] {
      guard may(user, draft.owner) else { throw .permissionDenied }
      return makeView(draft, isDraft: true)
    }
    if let record = state.records[id] {
      guard may(user, record.owner) else { throw .permissionDenied }
      return makeView(record, isDraft: false)
    }
    throw APIError.unknownID
  }

  /// `GET /api/records/{id}/draft`: only an existing draft, owner checked.
  func draftView(_ id: Int, user: Int?) throws(APIError) -> RecordView {
    guard let draft = state.drafts[id] else { throw APIError.unknownID }
    guard may(user, draft.owner) else { throw .permissionDenied }
    return makeView(draft, isDraft: true)
  }

  /// A published record for the public records routes.
  func recordView(_ id: Int) throws(APIError) -> RecordView {
    guard let record = state.records[id] else {
      if state.drafts[id] != nil { throw APIError.notRegistered }
      throw APIError.unknownID
    }
    return makeView(record, isDraft: false)
  }

  /// The latest published version of the parent `id`, for a concept-id read.
  func latestOfParent(_ id: Int) -> Int? { state.parents[id]?.versions.last }

  func record(_ id: Int) -> RecordVersion? { state.records[id] }

  func ownedDraft(_ id: Int, user: Int) throws(APIError) -> RecordVersion {
    guard let draft = state.drafts[id] else {
      if state.records[id] != nil { throw APIError.unknownID }
      throw APIError.unknownID
    }
    guard may(user, draft.owner) else { throw .permissionDenied }
    return draft
  }

  // MARK: Create and update

  /// `POST /api/records` (and the legacy create): a new parent and its first draft.
  func create(owner: Int, body: LoadedBody) throws(APIError) -> RecordView {
    try Relations.check(body.metadata, vocabularies)
    if let access = body.access, access["record"] != .string("public"), !superusers.contains(owner)
    {
      throw Self.accessDenied
    }
    let parentID = state.counter + 1
    let id = state.counter + 2
    let now = Clock.timestamp()
    var draft = RecordVersion(
      id: id, parentID: parentID, owner: owner, created: now, updated: now, revision: 1,
      metadata: body.metadata, customFields: body.customFields,
      access: body.access ?? ["record": "public", "files": "public"], pids: body.pids ?? [:],
      files: [], filesEnabled: true, bucket: UUID().uuidString.lowercased(), locked: false,
      defaultPreview: nil, versionIndex: 1, searchableAfter: Date().timeIntervalSince1970 + indexLag
    )
    var errors = body.errors
    checkComponents(&draft, body: body, user: owner, errors: &errors)
    state.counter = id
    state.drafts[id] = draft
    state.parents[parentID] = Parent(id: parentID, owner: owner, versions: [], nextDraftID: nil)
    state.buckets[draft.bucket] = id
    save()
    return makeView(draft, isDraft: true, errors: errors.items)
  }

  static let accessDenied = APIError.validation([
    FieldError(field: "access", messages: ["You don't have permissions to manage record access."])
  ])

  /// `PUT /api/records/{id}/draft`: replaces `metadata` and `custom_fields`, keeps `access` and
  /// `pids` when the body omits them.
  func update(_ id: Int, user: Int, body: LoadedBody, ifMatch: Int?) throws(APIError)
    -> RecordView
  {
    var draft = try ownedDraft(id, user: user)
    if let ifMatch, ifMatch != draft.revision { throw .preconditionFailed }
    try Relations.check(body.metadata, vocabularies)
    if let access = body.access, access["record"] != draft.access["record"],
      !superusers.contains(user)
    {
      throw Self.accessDenied
    }
    draft.metadata = body.metadata
    draft.customFields = body.customFields
    if let access = body.access { draft.access = access }
    if let pids = body.pids { draft.pids = pids }
    var errors = body.errors
    checkComponents(&draft, body: body, user: user, errors: &errors)
    storeChanged(&draft)
    return makeView(draft, isDraft: true, errors: errors.items)
  }

  /// The components' lax checks on save: files options, missing files, DOI requirements.
  func checkComponents(
    _ draft: inout RecordVersion, body: LoadedBody, user: Int, errors: inout ErrorList
  ) {
    // As the drafts files component: an omitted `enabled` means the default (true); a refused
    // toggle reports only itself.
    let canToggle = allowMetadataOnly || superusers.contains(user)
    let enabled = body.filesEnabled ?? true
    var filesChecked = true
    if enabled != draft.filesEnabled {
      if canToggle && (enabled || draft.files.isEmpty) {
        draft.filesEnabled = enabled
      } else if !canToggle {
        errors.addEntry("files.enabled", "You don't have permissions to manage files options.")
        filesChecked = false
      }
    }
    if filesChecked {
      if draft.filesEnabled && draft.files.isEmpty {
        errors.addEntry(
          "files.enabled",
          canToggle
            ? "Missing uploaded files. To disable files for this record please mark it as metadata-only."
            : "Missing uploaded files.")
      }
      if let preview = body.defaultPreview, !draft.files.contains(where: { $0.key == preview }) {
        errors.addEntry("files.default_preview", "No file with key \"\(preview)\"")
      } else {
        draft.defaultPreview = body.defaultPreview
      }
    }
    for item in pidErrors(draft).items {
      for message in item.messages { errors.addEntry(item.field, message) }
    }
  }

  /// The PID manager's checks (`docs/zenodo-rdm-api.md` §5.4).
  func pidErrors(_ draft: RecordVersion) -> ErrorList {
    var errors = ErrorList()
    let doi = draft.pids["doi"]?.object
    if doi?["provider"]?.string == "external" {
      let identifier = doi?["identifier"]?.string ?? ""
      func taken(_ other: RecordVersion) -> Bool {
        other.parentID != draft.parentID && other.pids["doi"]?["identifier"]?.string == identifier
      }
      if identifier.isEmpty {
        errors.add("pids.doi", "Missing DOI for required field.")
      } else if identifier.hasPrefix("10.5281/") {
        errors.add(
          "pids.doi",
          "The prefix '10.5281' is managed by Zenodo. Please supply an external DOI or select 'No' to have a DOI generated for you."
        )
      } else if Identifier.doi(identifier) == nil {
        errors.add("pids.doi", "Invalid DOI")
      } else if state.records.values.contains(where: taken)
        || state.drafts.values.contains(where: taken)
      {
        errors.add("pids.doi", "doi:\(identifier) already exists.")
      }
    } else if (draft.metadata["publisher"]?.string ?? "").isEmpty {
      errors.add("metadata.publisher", "Missing publisher field required for DOI registration.")
    }
    return errors
  }

  /// `DELETE /api/records/{id}/draft` and the legacy discard/delete: drops the draft; a
  /// never-published draft takes its parent with it if it was the only child.
  func deleteDraft(_ id: Int, user: Int, ifMatch: Int?) throws(APIError) {
    let draft = try ownedDraft(id, user: user)
    if let ifMatch, ifMatch != draft.revision { throw .preconditionFailed }
    var parent = state.parents[draft.parentID]
    if let review = parent?.reviewID.flatMap({ state.requests[$0] }), review.isOpen,
      review.status == "submitted"
    {
      throw APIError.badRequest(
        "You cannot delete a draft with an open review. Please cancel the review first.")
    }
    state.drafts[id] = nil
    if parent?.nextDraftID == id { parent?.nextDraftID = nil }
    if state.records[id] == nil {
      state.buckets[draft.bucket] = nil
      if let reviewID = parent?.reviewID {
        state.requests[reviewID] = nil
        parent?.reviewID = nil
      }
    }
    if let parent {
      state.parents[parent.id] =
        parent.versions.isEmpty && parent.nextDraftID == nil ? nil : parent
    }
    save()
  }
}
