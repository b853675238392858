/// Tries several token stores in order and answers with the first token found, remembering
/// why the stores before it had none: the keyring-then-environment policy.
public struct CompositeTokenStore: TokenStore {
  /// The stores, in the order they are asked.
  public let stores: [any TokenStore]

  /// A composite asking `stores` in order.
  public init(_ stores: [any TokenStore]) { self.stores = stores }

  public var name: String { stores.map(\.name).joined(separator: ", then ") }

  /// Asks each store in turn until one has a token; a store that fails is skipped, and its
  /// error kept in the resolution.
  ///
  /// Never throws.
  public func resolve(_ account: TokenAccount) -> TokenResolution {
    var attempts: [TokenAttempt] = []
    let clock = ContinuousClock()
    for store in stores {
      let start = clock.now
      do {
        if let token = try store.token(for: account) {
          attempts.append(
            TokenAttempt(store: store.name, outcome: .found, duration: clock.now - start))
          return TokenResolution(
            account: account, found: TokenLookup(token: token, source: store.name),
            attempts: attempts)
        }
        attempts.append(
          TokenAttempt(store: store.name, outcome: .notFound, duration: clock.now - start))
      } catch {
        attempts.append(
          TokenAttempt(
            store: store.name, outcome: .failed("\(error)"), duration: clock.now - start))
      }
    }
    return TokenResolution(account: account, found: nil, attempts: attempts)
  }

  /// The first token found, or nil; failures of single stores are not errors here.
  public func token(for account: TokenAccount) -> ZenodoToken? {
    resolve(account).found?.token
  }
}

/// What one store answered during a `CompositeTokenStore` lookup.
public struct TokenAttempt: Sendable, Equatable {
  /// How a store answered.
  public enum Outcome: Sendable, Equatable {
    /// The store had the token.
    case found
    /// The store works but holds no token for the account.
    case notFound
    /// The store could not be asked; the text says why (never contains the token).
    case failed(String)
  }

  /// The store's short name, such as `keyring`.
  public var store: String
  /// What it answered.
  public var outcome: Outcome
  /// How long the store took to answer.
  public var duration: Duration

  /// An attempt of `store` that ended with `outcome` after `duration`.
  public init(store: String, outcome: Outcome, duration: Duration = .zero) {
    self.store = store
    self.outcome = outcome
    self.duration = duration
  }

  /// Attempts are equal when store and outcome are; the duration is not compared.
  public static func == (left: TokenAttempt, right: TokenAttempt) -> Bool {
    left.store == right.store && left.outcome == right.outcome
  }

  /// One line for `--verbose` output, such as `keyring: not usable (2001 ms): ...`.
  public func explanation(for account: TokenAccount) -> String {
    let parts = duration.components
    let milliseconds = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    return switch outcome {
    case .found: "\(store): has \(account.rawValue) (\(milliseconds) ms)"
    case .notFound: "\(store): no \(account.rawValue) there (\(milliseconds) ms)"
    case .failed(let why): "\(store): not usable (\(milliseconds) ms): \(why)"
    }
  }
}

/// The result of a composite lookup: the token and its source, if any, and every attempt.
public struct TokenResolution: Sendable {
  /// The account looked up.
  public var account: TokenAccount
  /// The token and the store that answered, or nil when no store had one.
  public var found: TokenLookup?
  /// Each store asked, in order, with its answer.
  public var attempts: [TokenAttempt]

  /// A resolution for `account`.
  public init(account: TokenAccount, found: TokenLookup?, attempts: [TokenAttempt]) {
    self.account = account
    self.found = found
    self.attempts = attempts
  }

  /// The token found, or a `TokenError.missing` that says where zen-do looked.
  public func require() throws(TokenError) -> TokenLookup {
    guard let found else { throw TokenError.missing(account, attempts: attempts) }
    return found
  }
}

/// Problems with finding a Zenodo token.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No store had a token for the account.
  case missing(TokenAccount, attempts: [TokenAttempt])

  public var description: String {
    switch self {
    case .missing(let account, let attempts):
      let looked = attempts.map(\.store).joined(separator: " and ")
      let place = looked.isEmpty ? "" : " (looked in the \(looked))"
      return
        "no Zenodo token for \(account.rawValue)\(place): store one with "
        + "`zen-do token set\(account == .sandbox ? " --sandbox" : "")` or set the "
        + "\(account.rawValue) environment variable"
    }
  }
}
