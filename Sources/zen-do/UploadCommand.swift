import ArgumentParser
import Foundation
import Synchronization
import ZenDo
import ZenDoKeyring

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

  @Flag(help: "Print the plan (with a metadata diff) and stop; no write request is made.")
  var dryRun = false

  @Flag(help: "Publish the deposit afterwards. A DOI is permanent.")
  var publish = false

  @Option(help: "Output format: text, or json (one document on stdout).")
  var format: OutputFormat = .text

  @Flag(help: "Say more: retries, token source.")
  var verbose = false

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

  func validate() throws {
    if dryRun && publish {
      throw ValidationError("Please use either --dry-run or --publish, not both.")
    }
  }

  func run() async throws {
    #if canImport(Glibc)
      // Upload chunks are 1 MiB. glibc raises its mmap threshold after the first one is freed
      // and then serves them from per-thread arenas that fragment: peak RSS grew with the file
      // size (49 MiB at 100 MB, 66 MiB at 5 GB). A fixed threshold keeps them mmapped and
      // returned at once (46 MiB at 2 GB), at no measurable cost in throughput.
      _ = glibcMallopt(-3, 128 * 1024)  // -3: M_MMAP_THRESHOLD
    #endif
    let environment = ProcessInfo.processInfo.environment
    let console = Console(json: format == .json, verbose: verbose)
    let serverURL: String
    do {
      serverURL = try ServerChoice.resolve(
        option: server, environment: environment["ZEN_DO_SERVER"], sandbox: sandbox)
    } catch {
      console.error("\(error)")
      throw ExitCode(1)
    }
    let transport = AsyncHTTPClientTransport()
    let context = UploadContext(
      loader: defaultDepositLoader(),
      tokenStore: CompositeTokenStore.standard(environment: environment),
      transport: transport, clock: SystemClock(), console: console,
      requestsPerMinute: environment["ZEN_DO_REQUESTS_PER_MINUTE"].flatMap(Double.init))
    let code = await run(context, serverURL: serverURL)
    await transport.shutdown()
    if code != 0 { throw ExitCode(code) }
  }

  /// The whole command over explicit seams; returns the exit code.
  func run(_ context: UploadContext, serverURL: String) async -> Int32 {
    let console = context.console
    let paths = files.isEmpty ? [".zenodo.toml"] : files
    // 1. Everything local first: all files, all problems, before any request.
    var deposits: [LocalDeposit] = []
    var invalid = false
    for path in paths {
      switch context.loader.load(path: path) {
      case .success(let deposit):
        for line in deposit.warnings { console.info(line) }
        deposits.append(deposit)
      case .failure(let failure):
        invalid = true
        for line in failure.diagnostics { console.error(line) }
      }
    }
    if invalid { return 1 }
    do {
      deposits = try deposits.map { deposit in
        try deposit.withDigests { file in
          let text = "computing MD5 of \(file.name) (\(ByteCount.format(file.size)))"
          if file.size >= 64_000_000 { console.info(text) } else { console.verbose(text) }
        }
      }
    } catch {
      console.error("\(error)")
      return 1
    }
    let account = TokenAccount(sandbox: sandbox)
    let token: ZenodoToken
    if let composite = context.tokenStore as? CompositeTokenStore {
      let resolution = composite.resolve(account)
      for attempt in resolution.attempts {
        console.verbose("token: " + attempt.explanation(for: account))
      }
      guard let found = resolution.found else {
        console.error(TokenError.missing(account, attempts: resolution.attempts).description)
        return 1
      }
      token = found.token
    } else {
      do {
        guard let found = try context.tokenStore.token(for: account) else {
          console.error(TokenError.missing(account, attempts: []).description)
          return 1
        }
        token = found
      } catch {
        console.error("reading the token failed: \(error)")
        return 1
      }
    }
    console.verbose("server \(serverURL)")

    // 2. Remote work, one deposit after the other.
    // Tests that run many syncs against a local emulator raise the pace; Zenodo itself
    // allows 100 requests per minute.
    let pace = context.requestsPerMinute ?? 85
    let client = ZenodoClient(
      baseURL: serverURL, token: token, transport: context.transport, clock: context.clock,
      pacer: RequestPacer(clock: context.clock, perMinute: pace),
      onRetry: { console.verbose("retry: \($0)") })
    let progress = ProgressRenderer(console: console)
    let executor = SyncExecutor(
      client: client, clock: context.clock, events: { progress.handle($0) })
    var exitCode: Int32 = 0
    var reports: [JSONValue] = []
    for deposit in deposits {
      var report = JSONObject([("source", .string(deposit.sourcePath))])
      do {
        let plan = try await executor.plan(deposit, publish: publish)
        if dryRun {
          console.output(plan.rendered())
          report["dry_run"] = .bool(true)
          report["up_to_date"] = .bool(plan.isUpToDate)
          report["planned_actions"] = .array(plan.steps.map { .string($0.description) })
          if let remote = plan.remote { report.merge(Self.describe(remote)) }
          reports.append(.object(report))
          continue
        }
        if plan.isUpToDate, let remote = plan.remote {
          console.info("\(deposit.sourcePath): up to date")
          Self.finalLine(console, remote)
          report.merge(Self.describe(remote))
          report["up_to_date"] = .bool(true)
          report["actions"] = .array([])
          reports.append(.object(report))
          continue
        }
        let result = try await executor.execute(plan)
        report.merge(Self.describe(result.deposition))
        report["up_to_date"] = .bool(false)
        report["actions"] = .array(result.steps.map { .string($0.description) })
        reports.append(.object(report))
        if !publish && result.deposition.state != .done {
          console.info(
            "\(deposit.sourcePath): the draft is ready for review; run again with --publish "
              + "to publish it")
        }
        Self.finalLine(console, result.deposition)
      } catch let refusal as SyncRefusal {
        console.error("\(refusal)")
        report["error"] = .string(refusal.description)
        reports.append(.object(report))
        exitCode = max(exitCode, 1)
      } catch {
        console.error("\(deposit.sourcePath): \(error)")
        report["error"] = .string("\(error)")
        reports.append(.object(report))
        exitCode = 3
      }
    }
    if format == .json {
      console.json(
        ZenodoJSON.serialize(.object(JSONObject([("deposits", .array(reports))])), pretty: true))
    }
    return exitCode
  }

  static func describe(_ deposition: Deposition) -> JSONObject {
    var object = JSONObject()
    object["id"] = .number(JSONNumber(Int64(deposition.id)))
    object["state"] = .string(deposition.state.rawValue)
    if let doi = deposition.doi { object["doi"] = .string(doi) }
    if let doi = deposition.prereservedDOI { object["prereserved_doi"] = .string(doi) }
    var links = JSONObject()
    for key in deposition.links.keys.sorted() {
      links[key] = .string(deposition.links[key]!)
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

  static func finalLine(_ console: Console, _ deposition: Deposition) {
    let link = deposition.webURL ?? "(no web link)"
    let doi =
      deposition.doi.map { "DOI \($0)" }
      ?? deposition.prereservedDOI.map { "reserved DOI \($0) (not registered until published)" }
      ?? "no DOI yet"
    console.info("\(link)  \(doi)")
  }
}

extension JSONObject {
  fileprivate mutating func merge(_ other: JSONObject) {
    for member in other { self[member.key] = member.value }
  }
}

/// The seams of `zen-do upload`, so tests can run it with fakes.
struct UploadContext: Sendable {
  var loader: any DepositLoader
  var tokenStore: any TokenStore
  var transport: any HTTPTransport
  var clock: any SyncClock
  var console: Console
  var requestsPerMinute: Double? = nil
}

/// Where requests go.
enum ServerChoice {
  struct Refused: Error, CustomStringConvertible {
    var url: String
    var description: String {
      "the server URL '\(url)' must start with https:// (plain http:// is allowed only for "
        + "loopback addresses such as 127.0.0.1)"
    }
  }

  static func resolve(option: String?, environment: String?, sandbox: Bool) throws -> String {
    let chosen = option ?? environment.flatMap { $0.isEmpty ? nil : $0 }
    guard let url = chosen else {
      return sandbox ? "https://sandbox.zenodo.org/api" : "https://zenodo.org/api"
    }
    let lowered = url.lowercased()
    if lowered.hasPrefix("https://") { return url }
    if lowered.hasPrefix("http://") {
      let rest = lowered.dropFirst("http://".count)
      let hostPort = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
      let host: String
      if hostPort.hasPrefix("[") {
        host = String(hostPort.prefix { $0 != "]" }.dropFirst())
      } else {
        host = String(hostPort.split(separator: ":").first ?? "")
      }
      if host == "localhost" || host == "::1" || host.hasPrefix("127.") { return url }
    }
    throw Refused(url: url)
  }
}

/// Human messages on stderr, the JSON document (or the dry-run plan) on stdout.
final class Console: Sendable {
  let json: Bool
  let verboseOn: Bool
  let isTTY: Bool
  private let lock = Mutex<Void>(())

  init(json: Bool, verbose: Bool) {
    self.json = json
    self.verboseOn = verbose
    self.isTTY = isatty(2) == 1
  }

  func info(_ text: String) { write(text + "\n", to: .standardError) }
  func error(_ text: String) { write("error: " + text + "\n", to: .standardError) }
  func verbose(_ text: String) { if verboseOn { write(text + "\n", to: .standardError) } }
  /// Results for people: the plan. Goes to stdout unless JSON owns stdout.
  func output(_ text: String) { write(text + "\n", to: json ? .standardError : .standardOutput) }
  func json(_ text: String) { write(text + "\n", to: .standardOutput) }
  /// Rewrites the current terminal line (progress bars).
  func status(_ text: String) { write("\r\u{1B}[2K" + text, to: .standardError) }

  private func write(_ text: String, to handle: FileHandle) {
    lock.withLock { _ in handle.write(Data(text.utf8)) }
  }
}

/// Turns sync events into a progress bar per file on a terminal, plain lines elsewhere.
final class ProgressRenderer: Sendable {
  private let console: Console
  private struct State {
    var lastDraw: Double = 0
    var started: [String: Double] = [:]
  }
  private let state = Mutex(State())

  init(console: Console) { self.console = console }

  func handle(_ event: SyncEvent) {
    switch event {
    case .stepStarted(let source, let step):
      console.info("\(source): \(step)")
      if case .upload(let file, _) = step {
        state.withLock { $0.started[file.name] = Self.now() }
      }
    case .uploadProgress(let name, let sent, let total):
      guard console.isTTY else { return }
      let now = Self.now()
      let line: String? = state.withLock { state in
        guard now - state.lastDraw >= 0.1 || sent == total else { return nil }
        state.lastDraw = now
        let elapsed = max(now - (state.started[name] ?? now), 0.001)
        return Self.bar(name: name, sent: sent, total: total, elapsed: elapsed)
      }
      if let line { console.status(line) }
    case .uploadFinished(let name, let size, let seconds):
      if console.isTTY { console.status("") }
      let rate = Double(size) / max(seconds, 0.001)
      console.info(
        "  uploaded \(name): \(ByteCount.format(size)) at \(ByteCount.format(Int64(rate)))/s, MD5 verified"
      )
    case .warning(let text):
      console.info("warning: \(text)")
    case .retry(let text):
      console.verbose("retry: \(text)")
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

#if canImport(Glibc)
  /// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not import).
  @_silgen_name("mallopt")
  func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
