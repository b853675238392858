import Foundation
import TOML

/// The toml-test corpus copied under `Tests/Fixtures/toml-test`.
enum TOMLTestCorpus {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/toml-test")

  /// Every `.toml` file under `valid/` or `invalid/`, sorted, as paths relative to the corpus.
  static func files(_ folder: String) -> [String] {
    let base = root.appendingPathComponent(folder).path
    let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return all.filter { $0.hasSuffix(".toml") }.sorted().map { folder + "/" + $0 }
  }

  static func bytes(_ relativePath: String) throws -> [UInt8] {
    Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
  }

  static func data(_ relativePath: String) throws -> Data {
    try Data(contentsOf: root.appendingPathComponent(relativePath))
  }
}

/// How many lines a text has (a final line without newline counts; "" has one line).
func lineCount(of bytes: [UInt8]) -> Int {
  bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
}

/// The length in bytes of a 1-based line (an upper bound for its length in scalars).
func byteLength(ofLine line: Int, in bytes: [UInt8]) -> Int {
  var current = 1
  var length = 0
  for b in bytes {
    if b == 0x0A {
      if current == line { return length }
      current += 1
    } else if current == line {
      length += 1
    }
  }
  return length
}

/// True when an error position points inside the input: a real line, and a column no further
/// than one past that line's end.
func isWithinInput(_ position: SourcePosition, _ bytes: [UInt8]) -> Bool {
  let lines = lineCount(of: bytes)
  guard position.line >= 1, position.line <= lines, position.column >= 1 else { return false }
  return position.column <= byteLength(ofLine: position.line, in: bytes) + 1
}
