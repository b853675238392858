import ArgumentParser

/// zen-do's exit statuses, the same for every command (docs/commands.md).
enum ExitStatus: Int32, Sendable {
  /// Success (also: nothing to do).
  case success = 0
  /// Invalid input, or an action refused (an output file exists, no token, ...).
  case failure = 1
  /// `status`: every file was read and Zenodo answered, but something differs or waits to be
  /// published.
  case notInSync = 2
  /// Zenodo or the network failed.
  case remoteFailure = 3
  /// The command line itself is wrong (argument-parser's own status for usage errors).
  case usage = 64

  /// Ends the command with this status: returns for success, else throws argument-parser's
  /// `ExitCode`.
  func exit() throws {
    if self != .success { throw ExitCode(rawValue) }
  }
}

/// Why a command failed: the exit status, a stable machine code for the JSON envelope, and a
/// message for people that says what to do.
struct CommandFailure: Error, Sendable, Equatable {
  /// The exit status it leads to.
  var status: ExitStatus
  /// A stable `snake_case` code (docs/commands.md lists them).
  var code: String
  /// One sentence, without an `error:` prefix.
  var message: String
  /// The file (and `:line:col`) it is about, printed in front of `error:`.
  var location: String? = nil

  /// A `.zenodo.toml` or other input has errors (already printed as diagnostics).
  static func invalidInput(_ message: String) -> CommandFailure {
    CommandFailure(status: .failure, code: "invalid_input", message: message)
  }
}
