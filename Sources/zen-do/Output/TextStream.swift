import Foundation
import Synchronization

/// Where a command's text goes: a file handle (standard output or error), or a buffer that
/// tests read back.
///
/// Writes are whole and in order, also from several tasks.
final class TextStream: Sendable {
  private enum Target {
    case handle(FileHandle)
    case buffer
  }

  private let target: Target
  private let captured = Mutex("")

  private init(_ target: Target) { self.target = target }

  /// The process's standard output.
  static let standardOutput = TextStream(.handle(.standardOutput))
  /// The process's standard error.
  static let standardError = TextStream(.handle(.standardError))

  /// A stream that keeps what is written, for tests.
  static func buffer() -> TextStream { TextStream(.buffer) }

  /// Writes `text` as is.
  func write(_ text: String) {
    captured.withLock { buffer in
      switch target {
      case .handle(let handle): handle.write(Data(text.utf8))
      case .buffer: buffer += text
      }
    }
  }

  /// Everything written so far (empty for file handles).
  var text: String { captured.withLock { $0 } }
}
