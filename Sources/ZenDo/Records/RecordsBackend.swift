import Synchronization

/// ``DepositBackend`` over Zenodo's InvenioRDM records API (`/api/records`,
/// `/api/user/records`), through ``ZenodoClient``'s requests (the same pacing and retries).
///
/// Every request asks for `application/vnd.inveniordm.v1+json`, the native record with its
/// `errors`, `pids`, `access` and `parent`. Saves are lax on Zenodo: `errors` on a 200/201 are
/// a report, and what Zenodo kept is compared with what was sent.
public struct RecordsBackend: DepositBackend {
  /// The native JSON media type, sent as `Accept` on every request.
  public static let nativeJSON = "application/vnd.inveniordm.v1+json"
  /// Save errors Zenodo reports on every save until files are uploaded: not worth a warning.
  static let expectedErrors = ["Missing uploaded files"]

  /// The client whose requests (pacing, retries, token) this backend uses.
  public let client: ZenodoClient
  private let clock: any SyncClock
  /// The waits for a file another run is sending to the same draft to be committed.
  private let pendingWaits: [Double]
  private var base: String { client.baseURL }

  /// Keys (`"record id/key"`) initialised by ``prepareUploads(_:to:)`` whose upload has not run.
  private let prepared = PreparedKeys()

  /// Creates the backend.
  public init(
    client: ZenodoClient, clock: any SyncClock = SystemClock(),
    pendingWaits: [Double] = [0.25, 0.5, 1, 2]
  ) {
    self.client = client
    self.clock = clock
    self.pendingWaits = pendingWaits
  }

  /// Always ``ZenodoAPI/records``.
  public var api: ZenodoAPI { .records }

  // MARK: Finding

  /// Every record and draft of the user (not shared ones) whose related identifiers hold
  /// `urn`, all versions, paged.
  public func search(urn: String, pageSize: Int = 100, maxPages: Int = 100) async throws
    -> [Deposition]
  {
    try await search(urns: [urn], pageSize: pageSize, maxPages: maxPages)
  }

  /// The user's records carrying any of `urns`: one query ORing them, paged.
  public func search(urns: [String], pageSize: Int = 100, maxPages: Int = 100) async throws
    -> [Deposition]
  {
    let query = urns.map { "metadata.related_identifiers.identifier:\"\($0)\"" }
      .joined(separator: " OR ")
    var results: [Deposition] = []
    for page in 1...maxPages {
      let url =
        "\(base)/user/records?q=\(ZenodoClient.percentEncode(query))&allversions=true"
        + "&shared_with_me=false&sort=oldest&size=\(pageSize)&page=\(page)"
      let object = try await json("GET", url)
      guard let hits = object["hits"]?.objectValue?["hits"]?.arrayValue else {
        throw ZenodoError.unexpectedResponse(
          method: "GET", path: ZenodoClient.path(of: url), reason: "no hits.hits in the answer")
      }
      results += hits.compactMap(Deposition.init(record:))
      let total = object["hits"]?.objectValue?["total"]?.intValue
      if hits.count < pageSize || total.map({ results.count >= $0 }) == true { break }
    }
    return results
  }

  public func search(urn: String) async throws -> [Deposition] {
    try await search(urn: urn, pageSize: 100, maxPages: 100)
  }

  public func search(urns: [String]) async throws -> [Deposition] {
    try await search(urns: urns, pageSize: 100, maxPages: 100)
  }

  /// The open draft of the record, else the published record.
  public func deposition(id: Int) async throws -> Deposition {
    do {
      return try await record("GET", "\(base)/records/\(id)/draft")
    } catch let error as ZenodoError where error.status == 404 {
      return try await record("GET", "\(base)/records/\(id)")
    }
  }

  // MARK: Drafts

  public func create(_ local: LocalDeposit) async throws -> MetadataUpdate {
    let (created, reported) = try await recordWithErrors(
      "POST", "\(base)/records", body: local.draftBody, idempotent: false)
    let draft = try await putParentAccess(try await reserveDOI(created), local)
    return MetadataUpdate(
      deposition: draft,
      dropped: RecordComparison.differences(
        local: local.draftBody, remote: draft.record ?? JSONObject()),
      reported: reported)
  }

  public func update(_ draft: Deposition, to local: LocalDeposit) async throws -> MetadataUpdate {
    var body = local.draftBody
    // A PUT without pids keeps the draft's, but say so: the reserved DOI must stay.
    if let pids = draft.record?["pids"] { body["pids"] = pids }
    let (saved, reported) = try await recordWithErrors(
      "PUT", "\(base)/records/\(draft.id)/draft", body: body, idempotent: true)
    let updated = try await putParentAccess(saved, local)
    return MetadataUpdate(
      deposition: updated,
      dropped: RecordComparison.differences(
        local: local.draftBody, remote: updated.record ?? JSONObject()),
      reported: reported)
  }

  public func edit(_ published: Deposition) async throws -> Deposition {
    try await record("POST", "\(base)/records/\(published.id)/draft", idempotent: true)
  }

  /// `POST /records/{id}/versions` (which returns the pending draft when there is one), then
  /// `files-import` of the latest version's files, and a reserved DOI.
  public func newVersion(of published: Deposition) async throws -> Deposition {
    let draft = try await record(
      "POST", "\(base)/records/\(published.id)/versions", idempotent: true)
    let url = "\(base)/records/\(draft.id)/draft/actions/files-import"
    do {
      _ = try await client.send("POST", url, accept: Self.nativeJSON, idempotent: true)
    } catch let error as ZenodoError where error.status == 400 {
      // "Please remove all files first." (imported already) or "The record has no files.".
    }
    return try await reserveDOI(try await deposition(id: draft.id))
  }

  public func discard(_ draft: Deposition) async throws {
    do {
      _ = try await client.send(
        "DELETE", "\(base)/records/\(draft.id)/draft", accept: Self.nativeJSON, idempotent: true)
    } catch let error as ZenodoError where error.status == 404 || error.status == 410 {
      return
    }
  }

  /// Reserves the draft's DOI so every draft shows the DOI it will get; a draft that has one
  /// already is returned as is.
  private func reserveDOI(_ draft: Deposition) async throws -> Deposition {
    if draft.prereservedDOI != nil || draft.doi != nil { return draft }
    do {
      return try await record(
        "POST", "\(base)/records/\(draft.id)/draft/pids/doi", idempotent: true)
    } catch let error as ZenodoError where error.status == 400 {
      // "A PID already exists for type doi": an earlier attempt's answer was lost.
      return try await deposition(id: draft.id)
    }
  }

  /// Sends `local.parentAccess` (the parent's access-request settings, which hold the
  /// conditions for restricted files) with `PUT /records/{id}/access` when the draft's parent
  /// does not hold them yet; returns the draft re-read after a change.
  private func putParentAccess(_ draft: Deposition, _ local: LocalDeposit) async throws
    -> Deposition
  {
    guard let settings = local.parentAccess, !Self.parentHolds(settings, draft) else {
      return draft
    }
    _ = try await client.send(
      "PUT", "\(base)/records/\(draft.id)/access",
      body: .bytes(Array(ZenodoJSON.serialize(.object(settings)).utf8)),
      contentType: "application/json", accept: Self.nativeJSON, idempotent: true)
    return try await deposition(id: draft.id)
  }

  /// Whether the parent's `access.settings` already hold every key of `settings`.
  static func parentHolds(_ settings: JSONObject, _ remote: Deposition) -> Bool {
    let held =
      remote.record?["parent"]?.objectValue?["access"]?.objectValue?["settings"]?.objectValue
      ?? JSONObject()
    return settings.allSatisfy { held[$0.key] == $0.value }
  }

  // MARK: Files

  /// The three-step upload: init the key, PUT the content with its real length, commit;
  /// returns the checksum and size of the commit.
  ///
  /// A key that exists already is replaced (Zenodo has no overwrite), unless it holds this
  /// very content (another run sent it). A key that vanishes mid-way (another run replaced
  /// it) reports no checksum, so the executor sends the file again.
  public func upload(
    _ file: LocalFile, to draft: Deposition, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> UploadedFile {
    let files = "\(base)/records/\(draft.id)/draft/files"
    let key = Self.encodeKey(file.name)
    let initBody = JSONValue.array([.object(JSONObject([("key", .string(file.name))]))])
    let lost = UploadedFile(md5: "", size: nil)
    // A changed file: delete the old one first (Zenodo has no overwrite). A pending one (not
    // committed) may be another run's upload in flight: the init below finds out.
    if draft.files.contains(where: { $0.name == file.name && !$0.md5.isEmpty }) {
      try await deleteFile(named: file.name, of: draft)
    }
    do {
      if !prepared.take("\(draft.id)/\(file.name)") { try await initialise(files, initBody) }
    } catch let error as ZenodoError where error.status == 400 {
      // "File with key … already exists.": another run may be sending it right now.
      if let done = try await awaitOtherUpload(file, of: draft) { return done }
      try await deleteFile(named: file.name, of: draft)
      do {
        try await initialise(files, initBody)
      } catch let error as ZenodoError where error.status == 400 {
        return try await awaitOtherUpload(file, of: draft) ?? lost
      }
    }
    let content: TransportResponse
    let committed: TransportResponse
    do {
      content = try await client.send(
        "PUT", "\(files)/\(key)/content", body: .file(path: file.path, size: file.size),
        contentType: "application/octet-stream", accept: Self.nativeJSON, idempotent: true,
        hashFileBody: file.md5 == nil, progress: progress)
      if let answer = try? ZenodoJSON.parse(content.body).objectValue, answer["errors"] != nil {
        // The transfer failed and Zenodo deleted the file.
        return try await awaitOtherUpload(file, of: draft) ?? lost
      }
      committed = try await client.send(
        "POST", "\(files)/\(key)/commit", accept: Self.nativeJSON, idempotent: true)
    } catch let error as ZenodoError where error.status == 404 || error.status == 400 {
      // Another run replaced the key meanwhile: its upload may hold this very content.
      return try await awaitOtherUpload(file, of: draft) ?? lost
    }
    let entry = try ZenodoClient.json(committed, "POST", "\(files)/\(key)/commit")
    guard let stored = RemoteFile(recordEntry: entry), !stored.md5.isEmpty else {
      throw ZenodoError.unexpectedResponse(
        method: "POST", path: ZenodoClient.path(of: "\(files)/\(key)/commit"),
        reason: "no checksum in the answer")
    }
    return UploadedFile(md5: stored.md5, size: stored.size, sentMD5: content.sentMD5)
  }

  /// When the draft's file of that key is pending (not committed: another run is sending
  /// it, or a killed run left it), waits ``pendingWaits`` for it to be committed; returns it
  /// when it then holds this very content, nil when it must be replaced.
  private func awaitOtherUpload(_ file: LocalFile, of draft: Deposition) async throws
    -> UploadedFile?
  {
    // A file hashed while sent has no MD5 yet: the comparison needs it (rare: a collision).
    let expected = try file.md5 ?? FileDigest.md5(path: file.path)
    for wait in [0] + pendingWaits {
      try await clock.sleep(seconds: wait)
      guard let stored = try await storedFile(file.name, of: draft) else { return nil }
      if !stored.md5.isEmpty {
        return stored.md5 == expected && stored.size == file.size
          ? UploadedFile(md5: stored.md5, size: stored.size) : nil
      }
    }
    return nil
  }

  /// The draft's file `name` as stored now, if any.
  private func storedFile(_ name: String, of draft: Deposition) async throws -> RemoteFile? {
    try await deposition(id: draft.id).files.first { $0.name == name }
  }

  /// Initialises the keys of new files in one `POST …/draft/files`, which takes an array.
  ///
  /// Each of their uploads is then two requests (content, commit) instead of three. If the
  /// batch is refused (a key appeared meanwhile), each upload initialises its own key as before.
  public func prepareUploads(_ files: [LocalFile], to draft: Deposition) async {
    let new = files.filter { file in !draft.files.contains(where: { $0.name == file.name }) }
    guard new.count > 1 else { return }
    let body = JSONValue.array(
      new.map { .object(JSONObject([("key", .string($0.name))])) })
    do {
      try await initialise("\(base)/records/\(draft.id)/draft/files", body)
      for file in new { prepared.add("\(draft.id)/\(file.name)") }
    } catch {
      return
    }
  }

  private func initialise(_ files: String, _ body: JSONValue) async throws {
    _ = try await client.send(
      "POST", files, body: .bytes(Array(ZenodoJSON.serialize(body).utf8)),
      contentType: "application/json", accept: Self.nativeJSON, idempotent: true)
  }

  public func deleteFile(named name: String, of draft: Deposition) async throws {
    let url = "\(base)/records/\(draft.id)/draft/files/\(Self.encodeKey(name))"
    do {
      _ = try await client.send("DELETE", url, accept: Self.nativeJSON, idempotent: true)
    } catch let error as ZenodoError where error.status == 404 {
      return
    }
  }

  /// A file key for a URL path: each `/`-separated segment percent-encoded, the slashes kept
  /// (record file keys may hold folders).
  static func encodeKey(_ key: String) -> String {
    key.split(separator: "/", omittingEmptySubsequences: false)
      .map { ZenodoClient.percentEncode(String($0)) }.joined(separator: "/")
  }

  // MARK: Publishing and communities

  /// Publishes, through a community's review where the file names one.
  ///
  /// A never-published draft with communities goes through the first community's
  /// review (which may publish at once); the others get inclusion requests once published.
  /// An open review is reported, never cancelled.
  public func publish(_ draft: Deposition, local: LocalDeposit) async throws -> PublishOutcome {
    if let review = draft.review, review.status == "submitted" {
      throw SyncRefusal.openReview(
        source: local.sourcePath, depositionID: draft.id,
        community: try await communityName(review.community))
    }
    var notes: [String] = []
    let published: Deposition
    if let first = local.communities.first, !draft.submitted, draft.communityIDs.isEmpty {
      let community = try await communityID(first)
      let state = try await submitReview(draft, community: community)
      if state != "accepted" {
        notes.append("waiting for review by \(first) (request \(state))")
        let others = local.communities.dropFirst()
        if !others.isEmpty {
          notes.append(
            "inclusion requests to " + others.joined(separator: ", ")
              + " follow once the record is published")
        }
        return PublishOutcome(deposition: try await deposition(id: draft.id), notes: notes)
      }
      notes.append("accepted into \(first)")
      published = try await deposition(id: draft.id)
    } else {
      published = try await record(
        "POST", "\(base)/records/\(draft.id)/draft/actions/publish", idempotent: false)
    }
    notes += try await requestInclusions(published, local: local)
    return PublishOutcome(deposition: published, notes: notes)
  }

  /// Creates (or replaces) the draft's review for `community` and submits it; returns the
  /// request's status (`accepted` when Zenodo published at once).
  private func submitReview(_ draft: Deposition, community: String) async throws -> String {
    let review = JSONObject([
      ("receiver", .object(JSONObject([("community", .string(community))]))),
      ("type", .string("community-submission")),
    ])
    _ = try await client.send(
      "PUT", "\(base)/records/\(draft.id)/draft/review",
      body: .bytes(Array(ZenodoJSON.serialize(.object(review)).utf8)),
      contentType: "application/json", accept: Self.nativeJSON, idempotent: true)
    let submit = JSONObject([
      (
        "payload",
        .object(
          JSONObject([
            ("content", .string("Submitted by zen-do.")), ("format", .string("html")),
          ]))
      )
    ])
    let url = "\(base)/records/\(draft.id)/draft/actions/submit-review"
    let answer = try await client.send(
      "POST", url, body: .bytes(Array(ZenodoJSON.serialize(.object(submit)).utf8)),
      contentType: "application/json", accept: Self.nativeJSON, idempotent: false)
    return try ZenodoClient.json(answer, "POST", url).objectValue?["status"]?.stringValue
      ?? "submitted"
  }

  /// Inclusion requests for the communities after the first that the record is not in yet;
  /// one note per community with the request's state.
  private func requestInclusions(_ record: Deposition, local: LocalDeposit) async throws
    -> [String]
  {
    guard record.state == .done || record.state == .inprogress else { return [] }
    var wanted: [(slug: String, id: String)] = []
    for slug in local.communities.dropFirst() {
      let id = try await communityID(slug)
      if !record.communityIDs.contains(id) { wanted.append((slug, id)) }
    }
    guard !wanted.isEmpty else { return [] }
    let body = JSONObject([
      ("communities", .array(wanted.map { .object(JSONObject([("id", .string($0.id))])) }))
    ])
    let url = "\(base)/records/\(record.id)/communities"
    let answer: JSONObject
    do {
      let response = try await client.send(
        "POST", url, body: .bytes(Array(ZenodoJSON.serialize(.object(body)).utf8)),
        contentType: "application/json", accept: Self.nativeJSON, idempotent: true)
      answer = try ZenodoClient.json(response, "POST", url).objectValue ?? JSONObject()
    } catch ZenodoError.http(_, _, 400, let message, _) {
      return ["inclusion requests not made: \(message ?? "refused")"]
    }
    let slugs = Dictionary(wanted.map { ($0.id, $0.slug) }, uniquingKeysWith: { a, _ in a })
    var notes: [String] = []
    for item in answer["processed"]?.arrayValue ?? [] {
      let id = item.objectValue?["community_id"]?.stringValue ?? ""
      let status =
        item.objectValue?["request"]?.objectValue?["status"]?.stringValue ?? "submitted"
      let name = slugs[id] ?? id
      notes.append(
        status == "accepted" ? "included in \(name)" : "waiting for review by \(name)")
    }
    for item in answer["errors"]?.arrayValue ?? [] {
      let id = item.objectValue?["community_id"]?.stringValue ?? ""
      let message = item.objectValue?["message"]?.stringValue ?? "refused"
      notes.append("\(slugs[id] ?? id): \(message)")
    }
    return notes
  }

  /// The id of a community given by slug or id.
  private func communityID(_ slugOrID: String) async throws -> String {
    let url = "\(base)/communities/\(ZenodoClient.percentEncode(slugOrID))"
    let object = try await json("GET", url)
    guard let id = object["id"]?.stringValue else {
      throw ZenodoError.unexpectedResponse(
        method: "GET", path: ZenodoClient.path(of: url), reason: "the community has no id")
    }
    return id
  }

  /// The slug of a community id, for messages (the id when the lookup fails).
  private func communityName(_ id: String) async throws -> String {
    let object = try? await json("GET", "\(base)/communities/\(ZenodoClient.percentEncode(id))")
    return object?["slug"]?.stringValue ?? id
  }

  // MARK: Comparing

  public func metadataDifferences(local: LocalDeposit, remote: Deposition) -> [FieldDifference] {
    let record = remote.record ?? JSONObject()
    var differences = RecordComparison.differences(local: local.draftBody, remote: record).map {
      path in
      FieldDifference(
        key: path, local: Self.value(at: path, in: local.draftBody),
        remote: Self.value(at: path, in: record))
    }
    if let settings = local.parentAccess, !Self.parentHolds(settings, remote) {
      differences.append(
        FieldDifference(
          key: "parent.access.settings", local: .object(settings),
          remote: Self.value(at: "parent.access.settings", in: record)))
    }
    return differences
  }

  static func value(at path: String, in object: JSONObject) -> JSONValue? {
    var current: JSONValue? = .object(object)
    for part in path.split(separator: ".") {
      current = current?.objectValue?[String(part)]
    }
    return current
  }

  // MARK: Plumbing

  private func json(_ method: String, _ url: String) async throws -> JSONObject {
    let response = try await client.send(method, url, accept: Self.nativeJSON, idempotent: true)
    guard let object = try ZenodoClient.json(response, method, url).objectValue else {
      throw ZenodoError.unexpectedResponse(
        method: method, path: ZenodoClient.path(of: url), reason: "expected a JSON object")
    }
    return object
  }

  private func record(_ method: String, _ url: String, idempotent: Bool = true) async throws
    -> Deposition
  {
    try await recordWithErrors(method, url, body: nil, idempotent: idempotent).0
  }

  /// Sends a request answered by a record; returns it and the `errors` Zenodo reported.
  private func recordWithErrors(
    _ method: String, _ url: String, body: JSONObject?, idempotent: Bool
  ) async throws -> (Deposition, [String]) {
    let response = try await client.send(
      method, url,
      body: body.map { .bytes(Array(ZenodoJSON.serialize(.object($0)).utf8)) } ?? .none,
      contentType: body == nil ? nil : "application/json", accept: Self.nativeJSON,
      idempotent: idempotent)
    let json = try ZenodoClient.json(response, method, url)
    guard let deposition = Deposition(record: json) else {
      throw ZenodoError.unexpectedResponse(
        method: method, path: ZenodoClient.path(of: url), reason: "expected a record with an id")
    }
    var reported: [String] = []
    for entry in json.objectValue?["errors"]?.arrayValue ?? [] {
      guard let error = entry.objectValue else { continue }
      let field = error["field"]?.stringValue ?? "?"
      let messages = (error["messages"]?.arrayValue ?? []).compactMap(\.stringValue)
      let text = messages.joined(separator: " ")
      if Self.expectedErrors.contains(where: { text.contains($0) }) { continue }
      reported.append("\(field): \(text)")
    }
    return (deposition, reported)
  }
}

/// The keys a batch initialised, each taken by its upload once (a retry initialises afresh).
final class PreparedKeys: Sendable {
  private let keys = Mutex<Set<String>>([])

  func add(_ key: String) { keys.withLock { _ = $0.insert(key) } }
  /// True, once, for a key that was added.
  func take(_ key: String) -> Bool { keys.withLock { $0.remove(key) != nil } }
}
