/// Why a TOML document could not be read: where, and what was expected there.
public struct TOMLError: Error, CustomStringConvertible, Sendable, Hashable {
  /// Where the problem is (1-based line and column, columns in Unicode scalars).
  public var position: SourcePosition
  /// What is wrong, one sentence saying what was expected.
  public var message: String

  /// Creates an error at a position.
  public init(position: SourcePosition, message: String) {
    self.position = position
    self.message = message
  }

  /// `line:col: message`.
  public var description: String { "\(position): \(message)" }
}
