/// Which of zenodo.org's two APIs zen-do talks to.
///
/// The records API (InvenioRDM, `/api/records`) stores everything a `.zenodo.toml` says; the
/// legacy deposit API (`/api/deposit/depositions`) goes through Zenodo's legacy layer, which
/// cannot carry the keys ``MetadataSchema`` marks as records-only.
public enum ZenodoAPI: String, Sendable, CaseIterable {
  /// The InvenioRDM records API: the default.
  case records
  /// The legacy deposit API, kept until the records API has proven itself on zenodo.org.
  case legacy
}
