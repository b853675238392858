/// Something the sync did or is doing, for the progress display.
public enum SyncEvent: Sendable {
  /// A step starts.
  case stepStarted(source: String, step: SyncStep)
  /// The MD5 of a file is being computed before planning (the remote holds a file of the same
  /// name and size, so it may be unchanged).
  case hashing(name: String, size: Int64)
  /// Bytes of an upload handed to the network so far.
  case uploadProgress(name: String, sent: Int64, total: Int64)
  /// An upload finished and its checksum matched.
  case uploadFinished(name: String, size: Int64, seconds: Double)
  /// Something the user should know but that does not stop the sync.
  case warning(String)
  /// A request is being retried (shown with `--verbose`).
  case retry(String)
}

/// What one sync did.
public struct SyncResult: Sendable {
  /// The `.zenodo.toml`.
  public var source: String
  /// The deposition now holding the file's content.
  public var deposition: Deposition
  /// The steps done, in order.
  public var steps: [SyncStep]
  /// True when nothing needed to change.
  public var upToDate: Bool { steps.isEmpty }

  /// Creates a result.
  public init(source: String, deposition: Deposition, steps: [SyncStep]) {
    self.source = source
    self.deposition = deposition
    self.steps = steps
  }
}

/// Finds the deposit for a `.zenodo.toml`, plans, and carries the plan out.
public struct SyncExecutor: Sendable {
  private let client: ZenodoClient
  private let clock: any SyncClock
  private let events: @Sendable (SyncEvent) -> Void
  private let lookup: RemoteLookup
  private let cache: HashCache?

  /// Creates an executor; `lookAgainDelays` are the waits between searches after a lost answer.
  public init(
    client: ZenodoClient, clock: any SyncClock = SystemClock(),
    lookAgainDelays: [Double] = [1, 2, 4], cache: HashCache? = nil,
    events: @escaping @Sendable (SyncEvent) -> Void = { _ in }
  ) {
    self.client = client
    self.cache = cache
    self.clock = clock
    self.lookup = RemoteLookup(client: client, clock: clock, lookAgainDelays: lookAgainDelays)
    self.events = events
  }

  /// Finds the deposit for `local` (see ``RemoteLookup/find(for:)``).
  public func findRemote(for local: LocalDeposit) async throws -> RemoteMatch {
    try await lookup.find(for: local)
  }

  /// Plans without acting (also for `--dry-run`).
  ///
  /// Only the files the remote holds under the same name and size are hashed first (through
  /// `cache` when given): any other file is known to need an upload, and is hashed while it is
  /// sent.
  public func plan(_ local: LocalDeposit, publish: Bool, cache: HashCache? = nil) async throws
    -> SyncPlan
  {
    let match = try await findRemote(for: local)
    var remoteFiles: [RemoteFile] = []
    if case .found(let remote) = match { remoteFiles = remote.files }
    let events = self.events
    let hashed = try local.withDigests(
      where: { file in remoteFiles.contains { $0.name == file.name && $0.size == file.size } },
      cache: cache, progress: { events(.hashing(name: $0.name, size: $0.size)) })
    return try SyncPlan.make(local: hashed, remote: match, publish: publish)
  }

  /// Carries out `plan`.
  public func execute(_ plan: SyncPlan) async throws -> SyncResult {
    let local = plan.local
    var current = plan.remote
    var done: [SyncStep] = []
    for step in plan.steps {
      events(.stepStarted(source: local.sourcePath, step: step))
      switch step {
      case .create:
        current = try await create(local)
      case .edit:
        current = try await client.edit(id: try require(current).id)
      case .newVersion:
        current = try await newVersion(of: try require(current), local: local)
      case .updateMetadata:
        let updated = try await client.update(id: try require(current).id, metadata: local.metadata)
        let dropped = MetadataComparison.differences(
          local: local.metadata, remote: updated.metadata)
        if !dropped.isEmpty {
          events(
            .warning(
              "\(local.sourcePath): Zenodo did not keep "
                + dropped.map(\.key).joined(separator: ", ")
                + " as sent; it checks them strictly only at publish"))
        }
        current = updated
      case .upload(let file, let old):
        let sent = try await upload(file, to: try require(current))
        done.append(.upload(sent, replacing: old))
        continue
      case .delete(let file):
        // Re-read the ids: a new version or edit draft holds copies of the files.
        let target = try require(current)
        let fresh = try await client.deposition(id: target.id)
        if let remote = fresh.files.first(where: { $0.name == file.name }) {
          try await client.deleteFile(depositionID: target.id, fileID: remote.id)
        }
      case .publish:
        current = try await publish(try require(current))
      }
      done.append(step)
    }
    guard var final = current else {
      throw ZenodoError.unexpectedResponse(method: "-", path: "-", reason: "no deposition")
    }
    if !plan.steps.isEmpty { final = try await client.deposition(id: final.id) }
    return SyncResult(source: local.sourcePath, deposition: final, steps: done)
  }

  private func require(_ deposition: Deposition?) throws -> Deposition {
    guard let deposition else {
      throw ZenodoError.unexpectedResponse(
        method: "-", path: "-", reason: "the plan acted on a deposit it does not have")
    }
    return deposition
  }

  /// Creates the deposition; when the answer was lost, looks for it by URN before creating
  /// again, so a flaky network never leaves two deposits.
  private func create(_ local: LocalDeposit) async throws -> Deposition {
    for _ in 0..<3 {
      do {
        return try await client.create(metadata: local.metadata)
      } catch ZenodoError.uncertain(_, _, let reason) {
        events(.retry("\(reason); looking for the deposit before trying again"))
        if let found = try await lookup.lookAgain(local, where: { _ in true }) { return found }
      }
    }
    throw ZenodoError.uncertain(
      method: "POST", path: "/deposit/depositions", reason: "creating the deposit failed 3 times")
  }

  /// Starts a new version; when the answer was lost (or the draft already exists), finds the
  /// pending draft by search instead of calling newversion twice (zenodo-api.md §6).
  private func newVersion(of published: Deposition, local: LocalDeposit) async throws
    -> Deposition
  {
    let isPendingDraft: @Sendable (Deposition) -> Bool = {
      $0.state == .unsubmitted && $0.id != published.id
        && $0.conceptRecordID == published.conceptRecordID
    }
    for _ in 0..<3 {
      do {
        return try await client.newVersion(id: published.id)
      } catch let error as ZenodoError {
        switch error {
        case .uncertain, .http(_, _, 400, _, _):
          events(.retry("\(error); looking for the new-version draft before trying again"))
          if let found = try await lookup.lookAgain(local, where: isPendingDraft) { return found }
          if case .http = error { throw error }
        default: throw error
        }
      }
    }
    throw ZenodoError.uncertain(
      method: "POST", path: "/deposit/depositions/\(published.id)/actions/newversion",
      reason: "starting a new version failed 3 times")
  }

  private func publish(_ draft: Deposition) async throws -> Deposition {
    do {
      return try await client.publish(id: draft.id)
    } catch ZenodoError.uncertain(_, _, let reason) {
      events(.retry("\(reason); checking whether it was published"))
      let fresh = try await client.deposition(id: draft.id)
      if fresh.state == .done { return fresh }
      return try await client.publish(id: draft.id)
    }
  }

  /// Uploads `file` and checks the checksum Zenodo returns against its MD5.
  ///
  /// The MD5 is the one computed before, or else the one computed from the chunks as they were sent (one read of the
  /// file). A mismatch, or a file that changed while it was sent, sends it again. Returns the
  /// file with its MD5.
  private func upload(_ file: LocalFile, to draft: Deposition) async throws -> LocalFile {
    guard let bucket = draft.bucketURL else {
      throw ZenodoError.unexpectedResponse(
        method: "GET", path: "/deposit/depositions/\(draft.id)",
        reason: "the deposit has no links.bucket to upload to")
    }
    let events = self.events
    let start = clock.now()
    var lastRemote = ""
    var lastLocal = file.md5 ?? ""
    for _ in 0..<3 {
      let before = file.md5 == nil ? FileIdentity(path: file.path) : nil
      let receipt = try await client.upload(
        bucketURL: bucket, key: file.name, path: file.path, size: file.size,
        hashWhileSending: file.md5 == nil,
        progress: { sent in events(.uploadProgress(name: file.name, sent: sent, total: file.size)) }
      )
      var expected = file.md5
      if expected == nil {
        guard let before, before == FileIdentity(path: file.path) else {
          events(.retry("\(file.name) changed while it was sent; sending it again"))
          continue
        }
        // A transport that cannot hash what it sends: read the file once more.
        expected = try receipt.sentMD5 ?? FileDigest.md5(path: file.path)
        if let expected { cache?.store(expected, for: before) }
      }
      if let expected, receipt.remoteMD5 == expected {
        events(.uploadFinished(name: file.name, size: file.size, seconds: clock.now() - start))
        var sent = file
        sent.md5 = expected
        return sent
      }
      lastRemote = receipt.remoteMD5
      lastLocal = expected ?? ""
      events(
        .retry("\(file.name) arrived with MD5 \(lastRemote), expected \(lastLocal); sending again")
      )
    }
    throw ZenodoError.checksumMismatch(file: file.name, local: lastLocal, remote: lastRemote)
  }
}
