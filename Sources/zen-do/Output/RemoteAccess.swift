import ArgumentParser
import ZenDo

/// The options of the commands that talk to Zenodo besides `upload`: which server, and how
/// much to say.
struct RemoteOptions: ParsableArguments {
  @Flag(help: "Use sandbox.zenodo.org and ZENODO_SANDBOX_TOKEN.")
  var sandbox = false

  @Option(help: "The API root of a compatible server, such as http://127.0.0.1:8080/api.")
  var server: String?

  @Flag(help: "Say more: the server and where the token came from.")
  var verbose = false
}

extension CommandContext {
  /// Runs `body` with a live context and a real network, then shuts the network down.
  static func runLive(
    format: OutputFormat, _ remote: RemoteOptions,
    _ body: (CommandContext) async -> ExitStatus
  ) async -> ExitStatus {
    let transport = AsyncHTTPClientTransport()
    let status = await body(live(format: format, verbose: remote.verbose, transport: transport))
    await transport.shutdown()
    return status
  }

  /// A client for the server `remote` names, with the account's token; retries are reported.
  func client(_ remote: RemoteOptions) -> Result<ZenodoClient, CommandFailure> {
    let serverURL: String
    do {
      serverURL = try ServerURL.resolve(
        option: remote.server, environment: environment["ZEN_DO_SERVER"], sandbox: remote.sandbox)
    } catch {
      return .failure(
        CommandFailure(status: .failure, code: "invalid_server", message: error.description))
    }
    let account = TokenAccount(sandbox: remote.sandbox)
    let resolution = tokenStore.resolve(account)
    for attempt in resolution.attempts { detail("token: " + attempt.explanation(for: account)) }
    guard let found = resolution.found else {
      return .failure(
        CommandFailure(
          status: .failure, code: "no_token",
          message: TokenError.missing(account, attempts: resolution.attempts).description))
    }
    detail("server \(serverURL)")
    let pace = environment["ZEN_DO_REQUESTS_PER_MINUTE"].flatMap(Double.init) ?? 85
    return .success(
      ZenodoClient(
        baseURL: serverURL, token: found.token, transport: transport, clock: clock,
        pacer: RequestPacer(clock: clock, perMinute: pace), onRetry: { retry($0) }))
  }

  /// The API to talk to: `option` (`--api`), else `ZEN_DO_API`, else the records API.
  func api(_ option: ZenodoAPI?) -> Result<ZenodoAPI, CommandFailure> {
    if let option { return .success(option) }
    guard let name = environment["ZEN_DO_API"], !name.isEmpty else { return .success(.records) }
    guard let named = ZenodoAPI(rawValue: name) else {
      return .failure(
        CommandFailure(
          status: .failure, code: "invalid_api",
          message: "ZEN_DO_API is '\(name)'; expected 'records' or 'legacy'"))
    }
    return .success(named)
  }

  /// The backend that talks to Zenodo through `api` with `client`.
  func backend(_ api: ZenodoAPI, client: ZenodoClient) -> any DepositBackend {
    switch api {
    case .records: RecordsBackend(client: client, clock: clock)
    case .legacy: LegacyBackend(client: client)
    }
  }

  /// Loads and validates one `.zenodo.toml` for talking through `api` (with `.legacy`,
  /// records-only keys are errors, as for `upload`) and computes its files' MD5s; diagnostics
  /// are printed (text) or collected in `diagnostics` (JSON).
  func loadDeposit(_ path: String, api: ZenodoAPI, diagnostics: inout [JSONValue]) -> Result<
    LocalDeposit, CommandFailure
  > {
    let found: [Diagnostic]
    let loaded: LocalDeposit?
    switch loader.load(path: path, api: api) {
    case .success(let deposit):
      (found, loaded) = (deposit.warnings, deposit)
    case .failure(let failure):
      (found, loaded) = (failure.diagnostics, nil)
    }
    if format == .text { print(found) }
    diagnostics += found.map(\.json)
    guard let loaded else {
      return .failure(
        CommandFailure(
          status: .failure, code: "invalid_input", message: "the file has errors", location: path))
    }
    do {
      return .success(try loaded.withDigests())
    } catch {
      return .failure(
        CommandFailure(
          status: .failure, code: "unreadable_file", message: "\(error)", location: path))
    }
  }

  /// The failure for an error of a request: exit 3 with the code `upload` uses.
  func remoteFailure(_ error: any Error, location: String? = nil) -> CommandFailure {
    if error is AdoptionRefusal || error is PullError || error is PullDownloadError
      || error is LocalFileError
    {
      return CommandFailure(
        status: .failure, code: Self.code(error), message: "\(error)", location: location)
    }
    var failure = UploadCommand.failure(error, source: location ?? "")
    failure.location = location
    return failure
  }

  private static func code(_ error: any Error) -> String {
    switch error {
    case is AdoptionRefusal: "adoption_refused"
    case is PullError: "not_found"
    case PullDownloadError.checksumMismatch: "checksum_mismatch"
    case is PullDownloadError: "local_file_differs"
    default: "unreadable_file"
    }
  }
}
