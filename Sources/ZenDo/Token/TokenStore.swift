/// Which Zenodo a token belongs to; the raw value is the keyring account and the
/// environment variable that hold it.
public enum TokenAccount: String, Sendable, CaseIterable {
  /// zenodo.org (and any `--server` without `--sandbox`).
  case production = "ZENODO_TOKEN"
  /// sandbox.zenodo.org.
  case sandbox = "ZENODO_SANDBOX_TOKEN"

  /// The account for a run with or without `--sandbox`.
  public init(sandbox: Bool) { self = sandbox ? .sandbox : .production }
}

/// A Zenodo personal access token.
///
/// Its description never shows the secret, so printing,
/// logging or interpolating it by mistake leaks nothing.
public struct ZenodoToken: Sendable, Hashable, CustomStringConvertible,
  CustomDebugStringConvertible
{
  /// The secret itself.
  ///
  /// Use it only to build an `Authorization` header.
  public let secret: String

  public init(_ secret: String) { self.secret = secret }

  public var description: String { "<token redacted>" }
  public var debugDescription: String { "<token redacted>" }
}

/// Where a token was found.
public struct TokenLookup: Sendable {
  /// The token.
  public var token: ZenodoToken
  /// A short human name of the source that answered, such as `keyring` or `environment`.
  public var source: String

  public init(token: ZenodoToken, source: String) {
    self.token = token
    self.source = source
  }
}

/// A place tokens can be read from (the system keyring, the environment, ...).
public protocol TokenStore: Sendable {
  /// A short human name of this store, such as `keyring` or `environment`.
  var name: String { get }
  /// The token stored for `account`, or nil when this store has none.
  /// Throws only when the store itself failed (for example, the keyring did not answer).
  func token(for account: TokenAccount) throws -> ZenodoToken?
  /// Looks the token up and says what was asked on the way; never throws (a failing store is
  /// one attempt with its reason).
  func resolve(_ account: TokenAccount) -> TokenResolution
}

extension TokenStore {
  /// The lookup of a single store: one attempt.
  public func resolve(_ account: TokenAccount) -> TokenResolution {
    CompositeTokenStore([self]).resolve(account)
  }
}
