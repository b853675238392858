import ZenDo

/// The `.zenodo.toml` loader used by `zen-do upload`.
func defaultDepositLoader() -> any DepositLoader { MetadataDepositLoader() }
