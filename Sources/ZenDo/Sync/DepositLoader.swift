/// Reads and validates a `.zenodo.toml` into a `LocalDeposit` (files with sizes, MD5s still
/// empty). The seam between the metadata model and the sync.
public protocol DepositLoader: Sendable {
  /// The deposit described by the file at `path`, or every problem found in it.
  func load(path: String) -> Result<LocalDeposit, DepositLoadFailure>
}

/// Every problem found in one `.zenodo.toml`, compiler style (`path:line:col: error: ...`).
public struct DepositLoadFailure: Error, Sendable, CustomStringConvertible {
  /// The diagnostics, one per line.
  public var diagnostics: [String]

  /// A failure with its diagnostics.
  public init(diagnostics: [String]) { self.diagnostics = diagnostics }

  public var description: String { diagnostics.joined(separator: "\n") }
}

extension LocalDeposit {
  /// The same deposit with the MD5 of every file computed, streaming from disk.
  public func withDigests(
    progress: (_ file: SyncFile) -> Void = { _ in }
  ) throws(LocalFileError) -> LocalDeposit {
    var copy = self
    for index in copy.files.indices where copy.files[index].md5.isEmpty {
      progress(copy.files[index])
      copy.files[index].md5 = try FileDigest.md5(path: copy.files[index].path)
    }
    return copy
  }
}
