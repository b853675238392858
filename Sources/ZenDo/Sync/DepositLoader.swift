/// Reads and validates a `.zenodo.toml` into a `LocalDeposit`.
///
/// The files have their sizes, their MD5s are still empty. The seam between the metadata
/// model and the sync.
public protocol DepositLoader: Sendable {
  /// The deposit described by the file at `path`, or every problem found in it.
  func load(path: String) -> Result<LocalDeposit, DepositLoadFailure>
  /// The same, for sending through `api` (keys only the records API can carry are errors
  /// with ``ZenodoAPI/legacy``).
  func load(path: String, api: ZenodoAPI) -> Result<LocalDeposit, DepositLoadFailure>
}

extension DepositLoader {
  /// Loads without regard to the API (loaders that check nothing API-specific).
  public func load(path: String, api: ZenodoAPI) -> Result<LocalDeposit, DepositLoadFailure> {
    load(path: path)
  }
}

/// Every problem found in one `.zenodo.toml`, kept structured until the command prints them.
public struct DepositLoadFailure: Error, Sendable, CustomStringConvertible {
  /// The diagnostics, errors and warnings, sorted by position.
  public var diagnostics: [Diagnostic]

  /// A failure with its diagnostics.
  public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

  /// The diagnostics compiler style, one per line.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension LocalDeposit {
  /// The same deposit with the MD5 of every file computed, streaming from disk.
  public func withDigests(
    progress: (_ file: LocalFile) -> Void = { _ in }
  ) throws(LocalFileError) -> LocalDeposit {
    var copy = self
    for index in copy.files.indices where copy.files[index].md5 == nil {
      progress(copy.files[index])
      copy.files[index].md5 = try FileDigest.md5(path: copy.files[index].path)
    }
    return copy
  }
}
