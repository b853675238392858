/// Which of Zenodo's two APIs `zen-do upload` talks to.
public enum ZenodoAPI: String, Sendable, CaseIterable {
  /// The InvenioRDM records API (`/api/records`, `/api/user/records`): the default.
  case records
  /// The legacy deposit API (`/api/deposit/depositions`).
  case legacy
}
