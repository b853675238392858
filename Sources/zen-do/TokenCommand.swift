import ArgumentParser
import Foundation
import ZenDo
import ZenDoKeyring

#if canImport(Glibc)
  import Glibc
#endif

/// `zen-do token`: store, inspect and delete the Zenodo token in the system keyring.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Manage the Zenodo token in the system keyring.",
    discussion: """
      zen-do looks for the token in the system keyring first (service "zen-do", username \
      ZENODO_TOKEN or ZENODO_SANDBOX_TOKEN), then in the environment variable of the same name. \
      The token is never taken from an argument and never printed.
      """,
    subcommands: [SetCommand.self, StatusCommand.self, DeleteCommand.self]
  )

  /// Options every `token` subcommand takes.
  struct AccountOptions: ParsableArguments {
    @Flag(help: "Use the sandbox token (ZENODO_SANDBOX_TOKEN) instead of ZENODO_TOKEN.")
    var sandbox = false

    var account: TokenAccount { TokenAccount(sandbox: sandbox) }
  }

  struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "Store the token in the keyring, read from a hidden prompt or from stdin.",
      discussion: """
        On a terminal, asks for the token without echoing it. Otherwise reads it from standard \
        input, for example `secret-printer | zen-do token set`.
        """
    )

    @OptionGroup var options: AccountOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      try run(CommandContext.live(format: output.format)).exit()
    }

    /// Reads the token and stores it through `context`.
    func run(_ context: CommandContext) -> ExitStatus {
      let account = options.account
      var envelope = Envelope("token set", JSONObject([("account", .string(account.rawValue))]))
      let token: ZenodoToken
      do {
        token = try context.readSecret("Zenodo token for \(account.rawValue): ")
      } catch {
        return context.fail(
          CommandFailure(status: .failure, code: "invalid_token_input", message: "\(error)"),
          envelope)
      }
      do {
        try context.keyring.setToken(token, for: account)
      } catch {
        return context.fail(
          KeyringCommandError(action: "store", account: account, reason: "\(error)").failure,
          envelope)
      }
      envelope["store"] = .string(context.keyring.name)
      if context.format == .text {
        context.line("stored \(account.rawValue) in the \(context.keyring.name)")
      }
      context.document(envelope)
      return .success
    }
  }

  struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Say where the token would come from: keyring, environment or none.",
      discussion: "Exits with status 1 when there is no token. Never prints the token."
    )

    @OptionGroup var options: AccountOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Explain on stderr what each place answered.")
    var verbose = false

    func run() async throws {
      try run(CommandContext.live(format: output.format, verbose: verbose)).exit()
    }

    /// Looks the token up through `context` and says where it was found.
    func run(_ context: CommandContext) -> ExitStatus {
      let account = options.account
      let resolution = context.tokenStore.resolve(account)
      for attempt in resolution.attempts { context.detail(attempt.explanation(for: account)) }
      var envelope = Envelope(
        "token status",
        JSONObject([
          ("account", .string(account.rawValue)),
          ("source", resolution.found.map { .string($0.source) } ?? .null),
          (
            "attempts",
            .array(
              resolution.attempts.map {
                .object(
                  JSONObject([
                    ("store", .string($0.store)), ("outcome", .string($0.outcome.code)),
                  ]))
              })
          ),
        ]))
      if context.format == .text {
        context.standardOutput.write(
          "\(account.rawValue): \(resolution.found?.source ?? "none")\n")
      }
      guard resolution.found == nil else {
        context.document(envelope)
        return .success
      }
      let failure = CommandFailure(
        status: .failure, code: "no_token",
        message: TokenError.missing(account, attempts: resolution.attempts).description)
      if context.format == .json {
        envelope.failure = failure
        context.document(envelope)
      }
      return failure.status
    }
  }

  struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete",
      abstract: "Delete the token from the keyring (the environment is left alone)."
    )

    @OptionGroup var options: AccountOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      try run(CommandContext.live(format: output.format)).exit()
    }

    /// Deletes the token through `context`.
    func run(_ context: CommandContext) -> ExitStatus {
      let account = options.account
      var envelope = Envelope(
        "token delete", JSONObject([("account", .string(account.rawValue))]))
      let deleted: Bool
      do {
        deleted = try context.keyring.deleteToken(for: account)
      } catch {
        return context.fail(
          KeyringCommandError(action: "delete", account: account, reason: "\(error)").failure,
          envelope)
      }
      let inEnvironment =
        EnvironmentTokenStore(environment: context.environment).token(for: account) != nil
      envelope["deleted"] = .bool(deleted)
      envelope["still_in_environment"] = .bool(inEnvironment)
      if context.format == .text {
        context.line(
          deleted
            ? "deleted \(account.rawValue) from the \(context.keyring.name)"
            : "no \(account.rawValue) in the \(context.keyring.name); nothing to delete")
        if inEnvironment {
          context.line("note: \(account.rawValue) is still set in the environment")
        }
      }
      context.document(envelope)
      return .success
    }
  }
}

/// The keyring failed while `set` or `delete` used it; there is nothing to fall back to.
struct KeyringCommandError: Error, CustomStringConvertible {
  /// `store` or `delete`.
  var action: String
  /// The account concerned.
  var account: TokenAccount
  /// What the keyring said.
  var reason: String

  /// Says what failed and what to do instead.
  var description: String {
    "could not \(action) \(account.rawValue) \(action == "store" ? "in" : "from") the keyring: "
      + "\(reason). Without a keyring, set the \(account.rawValue) environment variable instead "
      + "(see docs/token.md)"
  }

  /// The failure to report.
  var failure: CommandFailure {
    CommandFailure(status: .failure, code: "keyring_failed", message: description)
  }
}

extension TokenAttempt.Outcome {
  /// `found`, `not_found` or `failed`, for the JSON envelope.
  var code: String {
    switch self {
    case .found: "found"
    case .notFound: "not_found"
    case .failed: "failed"
    }
  }
}

/// Problems with the token typed or piped into `zen-do token set`.
enum SecretInputError: Error, CustomStringConvertible {
  /// Nothing but white space was given.
  case empty
  /// The token has white space or a line break inside.
  case notOneWord

  var description: String {
    switch self {
    case .empty:
      "the token is empty; paste the token from zenodo.org (Applications > Personal access "
        + "tokens) or pipe it into `zen-do token set`"
    case .notOneWord:
      "the token contains spaces or several lines; give only the token itself, on one line"
    }
  }
}

/// Reads a secret without showing it: a no-echo prompt on a terminal, else all of stdin.
enum SecretInput {
  /// Reads the token, writing the prompt (on a terminal) to `output`.
  static func read(prompt: String, output: TextStream) throws -> ZenodoToken {
    let raw =
      isatty(STDIN_FILENO) == 1
      ? readHidden(prompt: prompt, output: output) : readAllStandardInput()
    let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { throw SecretInputError.empty }
    if trimmed.contains(where: { $0.isWhitespace || $0.isNewline }) {
      throw SecretInputError.notOneWord
    }
    return ZenodoToken(trimmed)
  }

  private static func readAllStandardInput() -> String {
    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
  }

  /// Turns echo off, prompts, reads one line, and restores the terminal, also when the
  /// user presses Ctrl-C or the process is killed by a catchable signal.
  private static func readHidden(prompt: String, output: TextStream) -> String {
    guard tcgetattr(STDIN_FILENO, terminalToRestore) == 0 else {
      output.write(prompt)
      return readLine() ?? ""
    }
    let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    let previous = signals.map { signal($0, restoreTerminalAndReraise) }
    var quiet = terminalToRestore.pointee
    quiet.c_lflag &= ~tcflag_t(ECHO)
    // Echo goes off before the prompt shows, and anything typed ahead is discarded, as getpass
    // does: a user who sees the prompt can be sure that what they type now stays hidden.
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
    output.write(prompt)
    let line = readLine(strippingNewline: true) ?? ""
    tcsetattr(STDIN_FILENO, TCSANOW, terminalToRestore)
    output.write("\n")
    for (number, handler) in zip(signals, previous) { signal(number, handler) }
    return line
  }
}

// A signal handler can capture nothing, so the settings it restores must live at file scope;
// only `readHidden` writes them, before installing the handler.
nonisolated(unsafe) private let terminalToRestore = UnsafeMutablePointer<termios>.allocate(
  capacity: 1)

/// Restores the terminal, then lets the signal do what it would have done.
private func restoreTerminalAndReraise(_ number: Int32) {
  tcsetattr(STDIN_FILENO, TCSANOW, terminalToRestore)
  signal(number, SIG_DFL)
  raise(number)
}
