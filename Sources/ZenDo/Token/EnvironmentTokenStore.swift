/// Reads tokens from environment variables named after the account (`ZENODO_TOKEN`,
/// `ZENODO_SANDBOX_TOKEN`): how GitHub Actions and other CI systems pass secrets.
public struct EnvironmentTokenStore: TokenStore {
  /// The environment to read, usually `ProcessInfo.processInfo.environment`.
  public let environment: [String: String]

  /// A store over `environment`; tests pass a dictionary of their own.
  public init(environment: [String: String]) { self.environment = environment }

  public var name: String { "environment" }

  /// The value of the account's variable without surrounding white space, or nil when the
  /// variable is unset or blank (a CI secret that is not defined arrives as an empty string).
  public func token(for account: TokenAccount) -> ZenodoToken? {
    guard let raw = environment[account.rawValue] else { return nil }
    let value = raw.trimmingWhitespace()
    return value.isEmpty ? nil : ZenodoToken(value)
  }
}

extension String {
  /// The string without leading and trailing spaces, tabs, carriage returns and newlines.
  fileprivate func trimmingWhitespace() -> String {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
    guard let first = firstIndex(where: { !isBlank($0) }),
      let last = lastIndex(where: { !isBlank($0) })
    else { return "" }
    return String(self[first...last])
  }
}
