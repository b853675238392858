/// A token store that can also save and remove tokens (the system keyring).
public protocol WritableTokenStore: TokenStore {
  /// Saves `token` for `account`, replacing any token already stored for it.
  func setToken(_ token: ZenodoToken, for account: TokenAccount) throws
  /// Removes the token stored for `account`; returns false when there was none.
  @discardableResult
  func deleteToken(for account: TokenAccount) throws -> Bool
}
