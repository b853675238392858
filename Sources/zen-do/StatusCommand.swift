import ArgumentParser
import ZenDo

/// `zen-do status`: says whether each deposit is up to date.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Say for each .zenodo.toml whether its Zenodo deposit is up to date.",
    discussion: """
      One line per file: not on Zenodo yet, in sync, which metadata fields and files differ, a \
      draft or edit waiting to be published, or a community review waiting. Makes no write \
      request. Exit codes: 0 everything in sync, 2 something differs or waits, 1 invalid input, \
      3 Zenodo failed. See docs/commands.md.
      """
  )

  @Argument(help: "The .zenodo.toml files (default: ./.zenodo.toml).")
  var files: [String] = []

  @Option(
    help: ArgumentHelp(
      "Which Zenodo API to compare through: records (the default) or legacy.",
      discussion: "Also ZEN_DO_API, as for upload."))
  var api: ZenodoAPI?

  @OptionGroup var remote: RemoteOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandContext.runLive(format: output.format, remote) { await run($0) }.exit()
  }

  /// Reads every file, then asks Zenodo about each.
  func run(_ context: CommandContext) async -> ExitStatus {
    var envelope = Envelope("status")
    var diagnostics: [JSONValue] = []
    var deposits: [LocalDeposit] = []
    var worst: CommandFailure?
    // The API first, as upload does: the files are checked for what it can carry.
    let chosenAPI: ZenodoAPI
    switch context.api(api) {
    case .success(let chosen): chosenAPI = chosen
    case .failure(let failure): return context.fail(failure, envelope)
    }
    for path in files.isEmpty ? [".zenodo.toml"] : files {
      switch context.loadDeposit(path, api: chosenAPI, diagnostics: &diagnostics) {
      case .success(let deposit): deposits.append(deposit)
      case .failure(let failure): worst = failure
      }
    }
    if !diagnostics.isEmpty { envelope["diagnostics"] = .array(diagnostics) }
    if let worst { return context.fail(worst, envelope) }
    let client: ZenodoClient
    switch context.client(remote) {
    case .success(let made): client = made
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let backend = context.backend(chosenAPI, client: client)
    var reports: [JSONValue] = []
    var allInSync = true
    for deposit in deposits {
      do {
        let status = try await Self.status(
          of: deposit, backend: backend, client: client, clock: context.clock)
        context.result(status.line)
        reports.append(status.json)
        if status.state != .inSync { allInSync = false }
      } catch {
        let failure = context.remoteFailure(error, location: deposit.sourcePath)
        if context.format == .text {
          context.message(location: failure.location, severity: "error", failure.message)
        }
        reports.append(
          .object(
            JSONObject([
              ("source", .string(deposit.sourcePath)), ("state", .string("error")),
              (
                "error",
                .object(
                  JSONObject([
                    ("code", .string(failure.code)), ("message", .string(failure.message)),
                  ]))
              ),
            ])))
        if failure.status.rawValue > (worst?.status.rawValue ?? 0) { worst = failure }
      }
    }
    envelope["deposits"] = .array(reports)
    envelope["in_sync"] = .bool(allInSync && worst == nil)
    envelope.failure = worst
    context.document(envelope)
    return worst?.status ?? (allInSync ? .success : .notInSync)
  }

  /// The status of one deposit: the URN search (no adoption), then for a draft whether the
  /// concept was published before and whether a community review waits.
  static func status(
    of deposit: LocalDeposit, backend: any DepositBackend, client: ZenodoClient,
    clock: any SyncClock
  ) async throws -> DepositStatus {
    let match = try await RemoteLookup(backend: backend, clock: clock).find(for: deposit)
    switch match {
    case .none:
      return DepositStatus.compare(deposit, with: nil, hasPublishedVersion: false, review: nil)
    case .ambiguous(let candidates):
      throw SyncRefusal.ambiguous(
        source: deposit.sourcePath, urn: deposit.urn, candidates: candidates)
    case .found(let remote):
      var published = remote.state != .unsubmitted
      if !published, let concept = remote.conceptRecordID {
        published = try await client.hasPublishedVersion(concept: concept)
      }
      var review: String?
      if remote.state != .done {
        review =
          backend.api == .records
          ? remote.review?.status : try await client.reviewStatus(draftID: remote.id)
      }
      return DepositStatus.compare(
        deposit, with: remote, hasPublishedVersion: published, review: review,
        differences: backend.metadataDifferences(local: deposit, remote: remote).map(\.key))
    }
  }
}
