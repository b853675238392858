import Foundation
import TOML
import ZenDo
import ZenDoKeyring

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Everything one command run may touch, built once by `run()` and passed to `run(_:)`: where
/// text goes, how it looks, the environment, the token store, the network and the clock.
///
/// Tests build one with buffers and fakes and call `run(_:)` in process.
struct CommandContext: Sendable {
  /// Where results go.
  var standardOutput: TextStream
  /// Where diagnostics, progress and notices go.
  var standardError: TextStream
  /// `--format`.
  var format: OutputFormat = .text
  /// Whether `error:` and `warning:` are coloured: standard error is a terminal and
  /// `NO_COLOR` is not set.
  var colour: Bool = false
  /// Whether standard error is a terminal (progress bars redraw one line).
  var errorIsTerminal: Bool = false
  /// `--verbose`.
  var verbose: Bool = false
  /// The process environment (`ZEN_DO_SERVER`, `ZENODO_TOKEN`, ...).
  var environment: [String: String] = [:]
  /// Where tokens are read from.
  var tokenStore: any TokenStore
  /// Where `token set` and `token delete` write.
  var keyring: any WritableTokenStore
  /// Reads a secret for `token set`: a hidden prompt on a terminal, else standard input.
  var readSecret: @Sendable (_ prompt: String) throws -> ZenodoToken
  /// How requests are sent.
  var transport: any HTTPTransport
  /// The time, and waiting.
  var clock: any SyncClock = SystemClock()
  /// Reads `.zenodo.toml` files for `upload`.
  var loader: any DepositLoader = MetadataDepositLoader()
  /// Asks a yes/no question (`discard`); nil when nobody can answer (standard input or error
  /// is not a terminal), so the command needs `--yes`.
  var confirm: (@Sendable (_ question: String) -> Bool)? = nil

  /// The context of a real run: the process's streams, environment and keyring.
  static func live(
    format: OutputFormat = .text, verbose: Bool = false,
    transport: any HTTPTransport = NoNetwork()
  ) -> CommandContext {
    let environment = ProcessInfo.processInfo.environment
    let terminal = isatty(STDERR_FILENO) == 1
    return CommandContext(
      standardOutput: .standardOutput, standardError: .standardError, format: format,
      colour: terminal && environment["NO_COLOR"] == nil, errorIsTerminal: terminal,
      verbose: verbose, environment: environment,
      tokenStore: CompositeTokenStore.standard(environment: environment),
      keyring: LibsecretTokenStore(environment: environment),
      readSecret: { try SecretInput.read(prompt: $0, output: .standardError) },
      transport: transport,
      confirm: terminal && isatty(STDIN_FILENO) == 1 ? Self.askOnTerminal : nil
    )
  }

  /// Asks `question [y/N]` on standard error and reads the answer from standard input.
  @Sendable static func askOnTerminal(_ question: String) -> Bool {
    TextStream.standardError.write(question + " [y/N] ")
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    return answer == "y" || answer == "yes"
  }

  /// Today's date in UTC by ``clock``, for `init`'s template.
  var today: TOMLDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents(
      [.year, .month, .day], from: Date(timeIntervalSince1970: clock.now()))
    return TOMLDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
  }
}

/// A transport for commands that make no request; using it is a programming error reported
/// as a connection failure.
struct NoNetwork: HTTPTransport {
  func send(
    _ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> TransportResponse {
    throw TransportError.connection("this command makes no network requests")
  }
}
