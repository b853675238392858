import Foundation

/// Loads a `.zenodo.toml` with the metadata model: validation, then the file list, every
/// problem reported at once.
public struct MetadataDepositLoader: DepositLoader {
  /// The loader.
  public init() {}

  /// Loads, validates and resolves the file list of the `.zenodo.toml` at `path`.
  public func load(path: String) -> Result<LocalDeposit, DepositLoadFailure> {
    let checked = MetadataLoader.check(url: URL(fileURLWithPath: path), displayPath: path)
    guard let file = checked.file, !checked.hasErrors else {
      return .failure(DepositLoadFailure(diagnostics: checked.diagnostics))
    }
    var deposit = LocalDeposit(
      sourcePath: path, urn: file.urn, metadata: file.metadata,
      files: checked.files)
    deposit.warnings = checked.diagnostics
    deposit.draftBody = RecordMapping.draftBody(for: file)
    deposit.communities = RecordMapping.communities(for: file)
    deposit.parentAccess = RecordMapping.parentAccess(for: file)
    return .success(deposit)
  }
}
