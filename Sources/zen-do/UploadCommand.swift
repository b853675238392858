import ArgumentParser
import Foundation
import Synchronization
import ZenDo

/// `zen-do upload`: make each deposit match its `.zenodo.toml`.
struct UploadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "upload",
    abstract: "Make the Zenodo deposit of each .zenodo.toml match the file.",
    discussion: """
      Exit codes: 0 success (also: up to date), 1 invalid input or refused action, \
      3 Zenodo failed after retries. See docs/upload.md.
      """
  )

  @Argument(help: "The .zenodo.toml files (default: ./.zenodo.toml).")
  var files: [String] = []

  @Flag(help: "Use sandbox.zenodo.org and ZENODO_SANDBOX_TOKEN.")
  var sandbox = false

  @Option(help: "The API root of a compatible server, such as http://127.0.0.1:8080/api.")
  var server: String?

  @Option(
    help: ArgumentHelp(
      "Which Zenodo API to use: records (InvenioRDM, the default) or legacy (the deposit API).",
      discussion: "Also ZEN_DO_API. See docs/upload.md."))
  var api: ZenodoAPI?

  @Flag(help: "Print the plan (with a metadata diff) and stop; no write request is made.")
  var dryRun = false

  @Flag(help: "Publish the deposit afterwards. A DOI is permanent.")
  var publish = false

  @Flag(
    help: "Neither read nor write the MD5 cache ($XDG_CACHE_HOME/zen-do, else ~/.cache/zen-do).")
  var noCache = false

  @Option(help: "Files uploaded at once, 1 to 4.")
  var parallel = SyncExecutor.defaultParallelUploads

  @OptionGroup var output: OutputOptions

  @Flag(help: "Say more: the server, the token's source, MD5 progress.")
  var verbose = false

  func validate() throws {
    if !(1...4).contains(parallel) {
      throw ValidationError("Please give --parallel as a number from 1 to 4, not \(parallel).")
    }
    if dryRun && publish {
      throw ValidationError("Please use either --dry-run or --publish, not both.")
    }
  }

  func run() async throws {
    let transport: AsyncHTTPClientTransport
    do {
      transport = try AsyncHTTPClientTransport(environment: ProcessInfo.processInfo.environment)
    } catch {
      throw ValidationError(error.description)
    }
    let status = await run(
      CommandContext.live(format: output.format, verbose: verbose, transport: transport))
    await transport.shutdown()
    try status.exit()
  }

  /// The whole command through `context`: everything local first, then each deposit in turn.
  func run(_ context: CommandContext) async -> ExitStatus {
    var envelope = Envelope("upload")
    let serverURL: String
    do {
      serverURL = try ServerURL.resolve(
        option: server, environment: context.environment["ZEN_DO_SERVER"], sandbox: sandbox)
    } catch {
      return context.fail(
        CommandFailure(status: .failure, code: "invalid_server", message: error.description),
        envelope)
    }
    let chosenAPI: ZenodoAPI
    switch context.api(api) {
    case .success(let chosen): chosenAPI = chosen
    case .failure(let failure): return context.fail(failure, envelope)
    }
    // 1. Everything local first: all files, all problems, before any request.
    let deposits: [LocalDeposit]
    switch loadDeposits(context, api: chosenAPI, into: &envelope) {
    case .success(let loaded): deposits = loaded
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let token: ZenodoToken
    switch findToken(context) {
    case .success(let found): token = found
    case .failure(let failure): return context.fail(failure, envelope)
    }
    context.detail("server \(serverURL), \(chosenAPI.rawValue) API")
    // 2. Remote work, one deposit after the other.
    if chosenAPI == .legacy,
      let folders = deposits.first(where: { $0.files.contains { $0.name.contains("/") } })
    {
      return context.fail(
        .invalidInput(
          "\(folders.sourcePath): keep_folders = true needs the records API (the legacy deposit "
            + "API stores no folders in file names); drop --api legacy or keep_folders; "
            + "nothing was sent"),
        envelope)
    }
    let cache =
      noCache
      ? nil
      : HashCache.defaultDirectory(environment: context.environment).map {
        HashCache(directory: $0)
      }
    let executor = makeExecutor(
      context, serverURL: serverURL, token: token, api: chosenAPI, cache: cache)
    var reports: [JSONValue] = []
    var worst: CommandFailure?
    // Many files: their deposits are found in a few batched searches, not one search each.
    var matches: [RemoteMatch?] = Array(repeating: nil, count: deposits.count)
    if deposits.count > 1, let found = try? await executor.findRemotes(for: deposits) {
      matches = found
    }
    for (deposit, match) in zip(deposits, matches) {
      let (report, failure) = await sync(deposit, match: match, with: executor, context)
      reports.append(.object(report))
      if let failure, failure.status.rawValue > (worst?.status.rawValue ?? 0) { worst = failure }
    }
    if let cache {
      let warning = cache.save()
      for text in cache.takeWarnings() + [warning].compactMap({ $0 }) { context.warning(text) }
    }
    envelope["deposits"] = .array(reports)
    envelope.failure = worst
    context.document(envelope)
    return worst?.status ?? .success
  }

  /// Loads and validates every file, then computes the MD5s; diagnostics are printed (text)
  /// or added to the envelope (JSON).
  private func loadDeposits(
    _ context: CommandContext, api: ZenodoAPI, into envelope: inout Envelope
  ) -> Result<
    [LocalDeposit], CommandFailure
  > {
    let paths = files.isEmpty ? [".zenodo.toml"] : files
    var deposits: [LocalDeposit] = []
    var diagnostics: [Diagnostic] = []
    var invalid = 0
    for path in paths {
      switch context.loader.load(path: path, api: api) {
      case .success(let deposit):
        diagnostics += deposit.warnings
        deposits.append(deposit)
      case .failure(let failure):
        invalid += 1
        diagnostics += failure.diagnostics
      }
    }
    if context.format == .text { context.print(diagnostics) }
    if !diagnostics.isEmpty { envelope["diagnostics"] = .array(diagnostics.map(\.json)) }
    if invalid > 0 {
      let message =
        "\(invalid) of \(paths.count) file\(paths.count == 1 ? "" : "s") "
        + "\(invalid == 1 ? "has" : "have") errors; nothing was sent"
      return .failure(.invalidInput(message))
    }
    // Hashing waits for the plan (only files the remote may already hold are hashed first),
    // but an unreadable file still stops everything before the first request.
    for deposit in deposits {
      for file in deposit.files where access(file.path, R_OK) != 0 {
        let reason = String(cString: strerror(errno))
        return .failure(
          CommandFailure(
            status: .failure, code: "unreadable_file",
            message: "cannot read '\(file.path)': \(reason); check that it exists"))
      }
    }
    return .success(deposits)
  }

  /// The token for the account, saying with `--verbose` where zen-do looked.
  private func findToken(_ context: CommandContext) -> Result<ZenodoToken, CommandFailure> {
    let account = TokenAccount(sandbox: sandbox)
    let resolution = context.tokenStore.resolve(account)
    for attempt in resolution.attempts {
      context.detail("token: " + attempt.explanation(for: account))
    }
    guard let found = resolution.found else {
      return .failure(
        CommandFailure(
          status: .failure, code: "no_token",
          message: TokenError.missing(account, attempts: resolution.attempts).description))
    }
    return .success(found.token)
  }

  /// The client and executor, with retries and progress reported through `context`.
  private func makeExecutor(
    _ context: CommandContext, serverURL: String, token: ZenodoToken, api: ZenodoAPI,
    cache: HashCache?
  ) -> SyncExecutor {
    // Tests that run many syncs against a local emulator raise the pace; Zenodo itself
    // allows 100 requests per minute.
    let pace = context.environment["ZEN_DO_REQUESTS_PER_MINUTE"].flatMap(Double.init) ?? 85
    let client = ZenodoClient(
      baseURL: serverURL, token: token, transport: context.transport, clock: context.clock,
      pacer: RequestPacer(clock: context.clock, perMinute: pace),
      onRetry: { context.retry($0) })
    let progress = ProgressRenderer(context: context)
    return SyncExecutor(
      backend: context.backend(api, client: client), clock: context.clock, cache: cache,
      parallelUploads: parallel,
      events: { progress.handle($0) })
  }

  /// Plans and carries out one deposit; returns its JSON report and its failure, if any.
  private func sync(
    _ deposit: LocalDeposit, match: RemoteMatch?, with executor: SyncExecutor,
    _ context: CommandContext
  ) async -> (JSONObject, CommandFailure?) {
    var report = JSONObject([("source", .string(deposit.sourcePath))])
    do {
      let plan =
        if let match {
          try await executor.plan(deposit, searched: match, publish: publish)
        } else {
          try await executor.plan(deposit, publish: publish)
        }
      if dryRun {
        context.result(plan.rendered())
        report["dry_run"] = .bool(true)
        report["up_to_date"] = .bool(plan.isUpToDate)
        report["planned_actions"] = .array(plan.steps.map { .string($0.description) })
        if let remote = plan.remote { report.merge(Self.describe(remote)) }
        return (report, nil)
      }
      if plan.isUpToDate, let remote = plan.remote {
        context.line("\(deposit.sourcePath): up to date")
        Self.finalLine(context, remote)
        report.merge(Self.describe(remote))
        report["up_to_date"] = .bool(true)
        report["actions"] = .array([])
        if let concept = deposit.adoptConcept {
          context.line(
            "\(deposit.sourcePath): the deposit carries \(deposit.urn); `adopt_concept = "
              + "\(concept)` in [zen-do] is no longer needed and can go")
          report["adopt_concept_can_go"] = .bool(true)
        }
        return (report, nil)
      }
      let result = try await executor.execute(plan)
      report.merge(Self.describe(result.deposition))
      report["up_to_date"] = .bool(false)
      report["actions"] = .array(result.steps.map { .string($0.description) })
      if !publish && result.deposition.state != .done {
        context.line(
          "\(deposit.sourcePath): the draft is ready for review; run again with --publish "
            + "to publish it")
      }
      Self.finalLine(context, result.deposition)
      if let concept = deposit.adoptConcept {
        context.line(
          "\(deposit.sourcePath): the deposit now carries \(deposit.urn); the one-time pointer "
            + "`adopt_concept = \(concept)` in [zen-do] is no longer needed and can go")
        report["adopt_concept_can_go"] = .bool(true)
      }
      return (report, nil)
    } catch {
      let failure = Self.failure(error, source: deposit.sourcePath)
      if context.format == .text {
        context.message(location: failure.location, severity: "error", failure.message)
      }
      var object = JSONObject([("code", .string(failure.code))])
      object["message"] = .string(failure.message)
      report["error"] = .object(object)
      return (report, failure)
    }
  }

  /// The failure for an error of one deposit's sync: refusals exit 1, the rest 3.
  static func failure(_ error: any Error, source: String) -> CommandFailure {
    if let refusal = error as? AdoptionRefusal {
      var message = refusal.description
      if message.hasPrefix(source + ": ") { message.removeFirst(source.count + 2) }
      return CommandFailure(
        status: .failure, code: "adoption_refused", message: message, location: source)
    }
    if let refusal = error as? SyncRefusal {
      // The refusal's text starts with the source; keep it as the location.
      var message = refusal.description
      if message.hasPrefix(source + ": ") { message.removeFirst(source.count + 2) }
      return CommandFailure(
        status: .failure, code: "sync_refused", message: message, location: source)
    }
    let code: String
    switch error as? ZenodoError {
    case .unreachable: code = "unreachable"
    case .connection: code = "network_failed"
    case .http: code = "zenodo_error"
    case .uncertain: code = "outcome_uncertain"
    case .checksumMismatch: code = "checksum_mismatch"
    case .unexpectedResponse, nil: code = "unexpected_response"
    }
    return CommandFailure(
      status: .remoteFailure, code: code, message: "\(error)", location: source)
  }

  /// The deposition in JSON: id, state, DOIs, links and files.
  static func describe(_ deposition: Deposition) -> JSONObject {
    var object = JSONObject()
    object["id"] = .number(JSONNumber(Int64(deposition.id)))
    object["state"] = .string(deposition.state.rawValue)
    if let doi = deposition.doi { object["doi"] = .string(doi) }
    if let doi = deposition.prereservedDOI { object["prereserved_doi"] = .string(doi) }
    var links = JSONObject()
    for (key, value) in deposition.links.sorted(by: { $0.key < $1.key }) {
      links[key] = .string(value)
    }
    object["links"] = .object(links)
    object["files"] = .array(
      deposition.files.map {
        .object(
          JSONObject([
            ("name", .string($0.name)), ("size", .number(JSONNumber($0.size))),
            ("md5", .string($0.md5)),
          ]))
      })
    return object
  }

  /// The last line for a deposit: its web link and DOI.
  static func finalLine(_ context: CommandContext, _ deposition: Deposition) {
    let link = deposition.webURL ?? "(no web link)"
    let doi =
      deposition.doi.map { "DOI \($0)" }
      ?? deposition.prereservedDOI.map { "reserved DOI \($0) (not registered until published)" }
      ?? "no DOI yet"
    context.line("\(link)  \(doi)")
  }
}

extension JSONObject {
  fileprivate mutating func merge(_ other: JSONObject) {
    for member in other { self[member.key] = member.value }
  }
}

/// Turns sync events into one progress bar on a terminal (for all the files being sent at
/// once), plain lines elsewhere.
final class ProgressRenderer: Sendable {
  private let context: CommandContext
  private struct State {
    var lastDraw: Double = 0
    var started: [String: Double] = [:]
    /// The files being sent now: bytes sent and total.
    var active: [String: (sent: Int64, total: Int64)] = [:]
  }
  private let state = Mutex(State())

  init(context: CommandContext) { self.context = context }

  func handle(_ event: SyncEvent) {
    switch event {
    case .stepStarted(let source, let step):
      if case .upload(let file, _) = step {
        state.withLock {
          $0.started[file.name] = Self.now()
          $0.active[file.name] = (0, file.size)
        }
      }
      context.line("\(source): \(step)")
    case .hashing(let name, let size):
      let text = "computing MD5 of \(name) (\(ByteCount.format(size)))"
      if size >= 64_000_000 { context.line(text) } else { context.detail(text) }
    case .uploadProgress(let name, let sent, let total):
      guard context.errorIsTerminal else { return }
      let now = Self.now()
      let line: String? = state.withLock { state in
        state.active[name] = (sent, total)
        guard now - state.lastDraw >= 0.1 || sent == total else { return nil }
        state.lastDraw = now
        let begun = state.active.keys.compactMap { state.started[$0] }.min() ?? now
        let elapsed = max(now - begun, 0.001)
        let label = state.active.count == 1 ? name : "\(state.active.count) files"
        let sentAll = state.active.values.reduce(0) { $0 + $1.sent }
        let totalAll = state.active.values.reduce(0) { $0 + $1.total }
        return Self.bar(name: label, sent: sentAll, total: totalAll, elapsed: elapsed)
      }
      if let line { context.status(line) }
    case .uploadFinished(let name, let size, let seconds):
      state.withLock { _ = $0.active.removeValue(forKey: name) }
      context.status("")
      let rate = Double(size) / max(seconds, 0.001)
      context.line(
        "  uploaded \(name): \(ByteCount.format(size)) at \(ByteCount.format(Int64(rate)))/s, MD5 verified"
      )
    case .warning(let text):
      context.warning(text)
    case .note(let text):
      context.line(text)
    case .retry(let text):
      context.retry(text)
    }
  }

  static func bar(name: String, sent: Int64, total: Int64, elapsed: Double) -> String {
    let fraction = total > 0 ? min(1, Double(sent) / Double(total)) : 1
    let width = 24
    let filled = Int(fraction * Double(width))
    let rate = Double(sent) / elapsed
    let remaining = rate > 0 ? Double(total - sent) / rate : 0
    let eta = remaining < 1 ? "<1s" : "\(Int(remaining.rounded()))s"
    return "  \(name) [" + String(repeating: "#", count: filled)
      + String(repeating: "-", count: width - filled) + "] \(Int(fraction * 100))% "
      + "\(ByteCount.format(sent))/\(ByteCount.format(total)) "
      + "\(ByteCount.format(Int64(rate)))/s ETA \(eta)"
  }

  static func now() -> Double { Date().timeIntervalSince1970 }
}
