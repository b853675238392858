import ZenDo

/// The `.zenodo.toml` loader used by `zen-do upload`.
func defaultDepositLoader() -> any DepositLoader { PendingModelLoader() }

/// Stands in until the metadata model (branch `model`) lands: refuses with a clear message.
struct PendingModelLoader: DepositLoader {
  func load(path: String) -> Result<LocalDeposit, DepositLoadFailure> {
    .failure(
      DepositLoadFailure(diagnostics: [
        "\(path): error: this build of zen-do cannot read .zenodo.toml files yet"
      ]))
  }
}
