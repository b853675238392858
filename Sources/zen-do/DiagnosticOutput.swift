import Foundation
import ZenDo

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Prints diagnostics and messages on standard error, compiler style, in colour only on a
/// terminal (and not when `NO_COLOR` is set).
struct DiagnosticOutput {
  /// Whether to colour `error:` and `warning:`.
  var colour: Bool

  init(colour: Bool? = nil) {
    self.colour =
      colour
      ?? (isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
  }

  /// Prints one diagnostic: `path:line:col: error: keyPath: message`.
  func print(_ diagnostic: Diagnostic) {
    var text = diagnostic.description
    if colour {
      let label = "\(diagnostic.severity.rawValue):"
      let code = diagnostic.isError ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
      if let range = text.range(of: " \(label) ") {
        text.replaceSubrange(range, with: " \(code)\(label)\u{1B}[0m ")
      }
    }
    line(text)
  }

  /// Prints one line.
  func line(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
