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
  /// A fact about the deposit worth a line of its own, such as a community request's state.
  case note(String)
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

/// Finds the deposit for a `.zenodo.toml`, plans, and carries the plan out, over any
/// ``DepositBackend`` (the legacy deposit API or the records API).
public struct SyncExecutor: Sendable {
  private let backend: any DepositBackend
  private let clock: any SyncClock
  private let events: @Sendable (SyncEvent) -> Void
  private let lookup: RemoteLookup
  private let cache: HashCache?
  private let parallelUploads: Int

  /// The default number of files uploaded at once (see docs/performance.md).
  public static let defaultParallelUploads = 3

  /// Creates an executor over `backend`; `lookAgainDelays` are the waits between searches
  /// after a lost answer; `cache` keeps MD5s between runs; `parallelUploads` (1 to 4) files of
  /// a plan are sent at once.
  public init(
    backend: any DepositBackend, clock: any SyncClock = SystemClock(),
    lookAgainDelays: [Double] = [1, 2, 4], cache: HashCache? = nil,
    parallelUploads: Int = SyncExecutor.defaultParallelUploads,
    events: @escaping @Sendable (SyncEvent) -> Void = { _ in }
  ) {
    self.backend = backend
    self.cache = cache
    self.parallelUploads = min(max(parallelUploads, 1), 4)
    self.clock = clock
    self.lookup = RemoteLookup(backend: backend, clock: clock, lookAgainDelays: lookAgainDelays)
    self.events = events
  }

  /// Creates an executor over the legacy deposit API through `client`.
  public init(
    client: ZenodoClient, clock: any SyncClock = SystemClock(),
    lookAgainDelays: [Double] = [1, 2, 4], cache: HashCache? = nil,
    parallelUploads: Int = SyncExecutor.defaultParallelUploads,
    events: @escaping @Sendable (SyncEvent) -> Void = { _ in }
  ) {
    self.init(
      backend: LegacyBackend(client: client), clock: clock, lookAgainDelays: lookAgainDelays,
      cache: cache, parallelUploads: parallelUploads, events: events)
  }

  /// Finds the deposit for `local` (see ``RemoteLookup/find(for:)``), or the concept its
  /// `adopt_concept` pointer names when no deposit carries the URN (``Adoption``).
  public func findRemote(for local: LocalDeposit) async throws -> RemoteMatch {
    let match = try await lookup.find(for: local)
    // `[zen-do].adopt_concept` (zen-do pull) counts only while the URN is on no deposit.
    if case .none = match, let concept = local.adoptConcept {
      return .found(try await Adoption(backend: backend).deposition(concept: concept, for: local))
    }
    return match
  }

  /// Plans without acting (also for `--dry-run`).
  public func plan(_ local: LocalDeposit, publish: Bool) async throws -> SyncPlan {
    try makePlan(local, match: try await findRemote(for: local), publish: publish)
  }

  /// The deposits of many `.zenodo.toml` files, found with few requests.
  ///
  /// One search per `batchSize` URNs (ORed, paged), then each URN's hits re-checked exactly
  /// (``RemoteMatch/resolve(urn:hits:)``). The matches hold the search's copies:
  /// ``plan(_:searched:publish:)`` re-reads only the deposits that will change.
  public func findRemotes(for locals: [LocalDeposit], batchSize: Int = 20) async throws
    -> [RemoteMatch]
  {
    var urns: [String] = []
    for urn in locals.map(\.urn) where !urns.contains(urn) { urns.append(urn) }
    var hits: [Deposition] = []
    for start in stride(from: 0, to: urns.count, by: max(batchSize, 1)) {
      let batch = Array(urns[start..<min(start + max(batchSize, 1), urns.count)])
      hits += try await backend.search(urns: batch)
    }
    return locals.map { RemoteMatch.resolve(urn: $0.urn, hits: hits) }
  }

  /// Plans from a search's copy of the deposit (``findRemotes(for:batchSize:)``); when that
  /// plan would change anything, the deposition is re-read by id and planned again, so every
  /// write rests on its current state and an up-to-date deposit costs no read of its own.
  public func plan(_ local: LocalDeposit, searched match: RemoteMatch, publish: Bool)
    async throws -> SyncPlan
  {
    let fromSearch = try makePlan(local, match: match, publish: publish)
    guard case .found(let hit) = match, !fromSearch.isUpToDate else { return fromSearch }
    return try makePlan(
      local, match: .found(try await backend.deposition(id: hit.id)), publish: publish)
  }

  /// Only the files the remote holds under the same name and size are hashed first (through
  /// the cache): any other file is known to need an upload, and is hashed while it is sent.
  private func makePlan(_ local: LocalDeposit, match: RemoteMatch, publish: Bool) throws
    -> SyncPlan
  {
    let backend = self.backend
    var remoteFiles: [RemoteFile] = []
    if case .found(let remote) = match { remoteFiles = remote.files }
    let events = self.events
    let hashed = try local.withDigests(
      where: { file in remoteFiles.contains { $0.name == file.name && $0.size == file.size } },
      cache: cache, progress: { events(.hashing(name: $0.name, size: $0.size)) })
    return try SyncPlan.make(
      local: hashed, remote: match, publish: publish,
      differences: { backend.metadataDifferences(local: $0, remote: $1) })
  }

  /// Carries out `plan`.
  public func execute(_ plan: SyncPlan) async throws -> SyncResult {
    let local = plan.local
    var current = plan.remote
    var done: [SyncStep] = []
    var pending = plan.steps[...]
    while let step = pending.popFirst() {
      events(.stepStarted(source: local.sourcePath, step: step))
      switch step {
      case .create:
        let created = try await create(local)
        let dropped = backend.metadataDifferences(local: local, remote: created).map(\.key)
        if !dropped.isEmpty {
          events(
            .warning(
              "\(local.sourcePath): Zenodo did not keep " + dropped.joined(separator: ", ")
                + " as sent; it checks them strictly only at publish"))
        }
        let winner = try await converge(created, local)
        current = winner
        if winner.id != created.id {
          // Another run's draft won: carry on with it, syncing only what it lacks.
          done.append(step)
          let again = try makePlan(local, match: .found(winner), publish: plan.publishes)
          pending = again.steps[...]
          continue
        }
      case .edit:
        current = try await backend.edit(try require(current))
      case .newVersion:
        current = try await newVersion(of: try require(current), local: local)
      case .updateMetadata:
        let update = try await backend.update(try require(current), to: local)
        for problem in update.reported {
          events(.warning("\(local.sourcePath): Zenodo reported: \(problem)"))
        }
        if !update.dropped.isEmpty {
          events(
            .warning(
              "\(local.sourcePath): Zenodo did not keep "
                + update.dropped.joined(separator: ", ")
                + " as sent; it checks them strictly only at publish"))
        }
        current = update.deposition
      case .upload:
        // The uploads of a plan are consecutive and independent (deletions come after all of
        // them): send them a few at a time.
        var batch = [step]
        while let next = pending.first, next.isUpload { batch.append(pending.removeFirst()) }
        let draft = try require(current)
        let executor = self
        let events = self.events
        let first = step
        await backend.prepareUploads(
          batch.compactMap { if case .upload(let file, replacing: nil) = $0 { file } else { nil } },
          to: draft)
        done += try await BoundedConcurrency.map(batch, width: parallelUploads) { step in
          guard case .upload(let file, let old) = step else { return step }
          if step != first { events(.stepStarted(source: local.sourcePath, step: step)) }
          return .upload(try await executor.upload(file, to: draft), replacing: old)
        }
        continue
      case .delete(let file):
        try await backend.deleteFile(named: file.name, of: try require(current))
      case .publish:
        let outcome = try await publish(try require(current), local: local)
        for note in outcome.notes { events(.note("\(local.sourcePath): \(note)")) }
        current = outcome.deposition
      }
      done.append(step)
    }
    guard var final = current else {
      throw ZenodoError.unexpectedResponse(method: "-", path: "-", reason: "no deposition")
    }
    if !plan.steps.isEmpty { final = try await backend.deposition(id: final.id) }
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
        let update = try await backend.create(local)
        for problem in update.reported {
          events(.warning("\(local.sourcePath): Zenodo reported: \(problem)"))
        }
        return update.deposition
      } catch ZenodoError.uncertain(_, _, let reason) {
        events(.retry("\(reason); looking for the deposit before trying again"))
        if let found = try await lookup.lookAgain(local, where: { _ in true }) { return found }
      }
    }
    throw ZenodoError.uncertain(
      method: "POST", path: "create", reason: "creating the deposit failed 3 times")
  }

  /// After creating, settles on one deposit when concurrent runs created several.
  ///
  /// When other never-published drafts carry the same URN, the oldest (lowest id) wins; this
  /// run deletes only the draft it created itself and returns the winner. Drafts this run did
  /// not create are never deleted.
  private func converge(_ created: Deposition, _ local: LocalDeposit) async throws -> Deposition {
    let hits = try await backend.search(urn: local.urn)
    let rivals = RemoteMatch.neverPublishedDrafts(urn: local.urn, hits: hits)
    guard let oldest = (rivals + [created]).min(by: { $0.id < $1.id }), oldest.id != created.id
    else { return created }
    events(
      .warning(
        "\(local.sourcePath): another run created deposit \(oldest.id) for \(local.urn) at the "
          + "same time; deleting the draft this run created (\(created.id)) and using \(oldest.id)"
      ))
    try await backend.discard(created)
    return try await backend.deposition(id: oldest.id)
  }

  /// Starts a new version; when the answer was lost (or the draft already exists), finds the
  /// pending draft by search instead of starting a new version twice (zenodo-api.md §6).
  private func newVersion(of published: Deposition, local: LocalDeposit) async throws
    -> Deposition
  {
    let isPendingDraft: @Sendable (Deposition) -> Bool = {
      $0.state == .unsubmitted && $0.id != published.id
        && $0.conceptRecordID == published.conceptRecordID
    }
    for _ in 0..<3 {
      do {
        return try await backend.newVersion(of: published)
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
      method: "POST", path: "new version of \(published.id)",
      reason: "starting a new version failed 3 times")
  }

  private func publish(_ draft: Deposition, local: LocalDeposit) async throws -> PublishOutcome {
    do {
      return try await backend.publish(draft, local: local)
    } catch ZenodoError.uncertain(_, _, let reason) {
      events(.retry("\(reason); checking whether it was published"))
      let fresh = try await backend.deposition(id: draft.id)
      if fresh.state == .done { return PublishOutcome(deposition: fresh) }
      return try await backend.publish(fresh, local: local)
    }
  }

  /// The one place a file is uploaded; returns the file with its MD5.
  ///
  /// Sends it, compares MD5 and size with what Zenodo stored, and sends it again when they differ
  /// (``ZenodoError/maximumUploadAttempts`` sends in all).
  ///
  /// The MD5 is the one computed before the plan, or else the one computed from the chunks as
  /// they were sent (one read of the file); a file that changed while it was sent is sent again.
  private func upload(_ file: LocalFile, to draft: Deposition) async throws -> LocalFile {
    let events = self.events
    let start = clock.now()
    var lastRemote = ""
    var lastLocal = file.md5 ?? ""
    for _ in 0..<ZenodoError.maximumUploadAttempts {
      let before = file.md5 == nil ? FileIdentity(path: file.path) : nil
      let stored = try await backend.upload(
        file, to: draft,
        progress: { sent in events(.uploadProgress(name: file.name, sent: sent, total: file.size)) }
      )
      var expected = file.md5
      if expected == nil {
        guard let before, before == FileIdentity(path: file.path) else {
          events(.retry("\(file.name) changed while it was sent; sending it again"))
          continue
        }
        // A backend or transport that cannot hash what it sends: read the file once more.
        expected = try stored.sentMD5 ?? FileDigest.md5(path: file.path)
        if let expected { cache?.store(expected, for: before) }
      }
      let sizeMatches = stored.size.map { $0 == file.size } ?? true
      if let expected, stored.md5 == expected, sizeMatches {
        events(.uploadFinished(name: file.name, size: file.size, seconds: clock.now() - start))
        var sent = file
        sent.md5 = expected
        return sent
      }
      lastRemote = stored.md5
      lastLocal = expected ?? ""
      let sizeNote = sizeMatches ? "" : " and \(stored.size ?? 0) bytes (expected \(file.size))"
      events(
        .retry(
          "\(file.name) arrived with MD5 \(stored.md5)\(sizeNote), expected \(lastLocal); "
            + "sending again"))
    }
    throw ZenodoError.checksumMismatch(file: file.name, local: lastLocal, remote: lastRemote)
  }
}
