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

  struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "Store the token in the keyring, read from a hidden prompt or from stdin.",
      discussion: """
        On a terminal, asks for the token without echoing it. Otherwise reads it from standard \
        input, for example `secret-printer | zen-do token set`.
        """
    )

    @OptionGroup var options: AccountOptions

    func run() throws {
      let account = options.account
      let environment = ProcessInfo.processInfo.environment
      let token = try SecretInput.read(prompt: "Zenodo token for \(account.rawValue): ")
      let keyring = LibsecretTokenStore(environment: environment)
      do {
        try keyring.setToken(token, for: account)
      } catch let error as KeyringError {
        throw KeyringCommandError(action: "store", account: account, reason: error)
      }
      writeToStandardError(
        "stored \(account.rawValue) in the keyring (service \"\(keyring.service)\")")
    }
  }

  struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Say where the token would come from: keyring, environment or none.",
      discussion: "Exits with status 1 when there is no token. Never prints the token."
    )

    @OptionGroup var options: AccountOptions

    @Flag(name: .shortAndLong, help: "Explain on stderr what each place answered.")
    var verbose = false

    func run() throws {
      let account = options.account
      let resolution = CompositeTokenStore.standard(
        environment: ProcessInfo.processInfo.environment
      ).resolve(account)
      if verbose {
        for attempt in resolution.attempts {
          writeToStandardError(attempt.explanation(for: account))
        }
      }
      print("\(account.rawValue): \(resolution.found?.source ?? "none")")
      if resolution.found == nil { throw ExitCode(1) }
    }
  }

  struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete",
      abstract: "Delete the token from the keyring (the environment is left alone)."
    )

    @OptionGroup var options: AccountOptions

    func run() throws {
      let account = options.account
      let environment = ProcessInfo.processInfo.environment
      let keyring = LibsecretTokenStore(environment: environment)
      let deleted: Bool
      do {
        deleted = try keyring.deleteToken(for: account)
      } catch let error as KeyringError {
        throw KeyringCommandError(action: "delete", account: account, reason: error)
      }
      if deleted {
        writeToStandardError("deleted \(account.rawValue) from the keyring")
      } else {
        writeToStandardError("no \(account.rawValue) in the keyring; nothing to delete")
      }
      if EnvironmentTokenStore(environment: environment).token(for: account) != nil {
        writeToStandardError("note: \(account.rawValue) is still set in the environment")
      }
    }
  }
}

/// The keyring failed while `set` or `delete` used it; there is nothing to fall back to.
struct KeyringCommandError: Error, CustomStringConvertible {
  var action: String
  var account: TokenAccount
  var reason: KeyringError

  var description: String {
    "could not \(action) \(account.rawValue) \(action == "store" ? "in" : "from") the keyring: \(reason). Without a keyring, "
      + "set the \(account.rawValue) environment variable instead (see docs/token.md)"
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
  static func read(prompt: String) throws -> ZenodoToken {
    let raw = isatty(STDIN_FILENO) == 1 ? readHidden(prompt: prompt) : readAllStandardInput()
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
  private static func readHidden(prompt: String) -> String {
    guard tcgetattr(STDIN_FILENO, terminalToRestore) == 0 else {
      FileHandle.standardError.write(Data(prompt.utf8))
      return readLine() ?? ""
    }
    let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    let previous = signals.map { signal($0, restoreTerminalAndReraise) }
    var quiet = terminalToRestore.pointee
    quiet.c_lflag &= ~tcflag_t(ECHO)
    // Echo goes off before the prompt shows, and anything typed ahead is discarded, as getpass
    // does: a user who sees the prompt can be sure that what they type now stays hidden.
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
    FileHandle.standardError.write(Data(prompt.utf8))
    let line = readLine(strippingNewline: true) ?? ""
    tcsetattr(STDIN_FILENO, TCSANOW, terminalToRestore)
    FileHandle.standardError.write(Data("\n".utf8))
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

/// Writes one human message line to stderr.
private func writeToStandardError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
