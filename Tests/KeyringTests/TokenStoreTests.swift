import Testing
import ZenDo

/// A store that answers what the test tells it to.
private struct ScriptedStore: TokenStore {
  enum Answer: Sendable {
    case token(String)
    case nothing
    case failure(String)
  }
  struct Failure: Error, CustomStringConvertible { var description: String }

  var name: String
  var answer: Answer

  func token(for account: TokenAccount) throws -> ZenodoToken? {
    switch answer {
    case .token(let secret): ZenodoToken(secret)
    case .nothing: nil
    case .failure(let why): throw Failure(description: why)
    }
  }
}

@Suite struct TokenStoreTests {
  @Test func environmentStoreReadsTheAccountsVariable() {
    let store = EnvironmentTokenStore(environment: [
      "ZENODO_TOKEN": "  prod-secret\n", "ZENODO_SANDBOX_TOKEN": "sandbox-secret",
    ])
    #expect(store.token(for: .production) == ZenodoToken("prod-secret"))
    #expect(store.token(for: .sandbox) == ZenodoToken("sandbox-secret"))
  }

  @Test func environmentStoreTreatsBlankAsMissing() {
    let store = EnvironmentTokenStore(environment: ["ZENODO_TOKEN": " \n"])
    #expect(store.token(for: .production) == nil)
    #expect(store.token(for: .sandbox) == nil)
  }

  @Test func compositeAnswersWithTheFirstStoreThatHasTheToken() throws {
    let composite = CompositeTokenStore([
      ScriptedStore(name: "keyring", answer: .failure("the bus is gone")),
      ScriptedStore(name: "file", answer: .nothing),
      ScriptedStore(name: "environment", answer: .token("from-env")),
      ScriptedStore(name: "never", answer: .token("never-asked")),
    ])
    let resolution = composite.resolve(.production)
    #expect(resolution.found?.source == "environment")
    #expect(resolution.found?.token == ZenodoToken("from-env"))
    #expect(
      resolution.attempts == [
        TokenAttempt(store: "keyring", outcome: .failed("the bus is gone")),
        TokenAttempt(store: "file", outcome: .notFound),
        TokenAttempt(store: "environment", outcome: .found),
      ])
    #expect(try resolution.require().source == "environment")
    #expect(composite.token(for: .production) == ZenodoToken("from-env"))
  }

  @Test func compositeWithNoTokenSaysWhereItLooked() {
    let composite = CompositeTokenStore([
      ScriptedStore(name: "keyring", answer: .nothing),
      EnvironmentTokenStore(environment: [:]),
    ])
    let resolution = composite.resolve(.sandbox)
    #expect(resolution.found == nil)
    #expect(throws: TokenError.self) { try resolution.require() }
    let message = TokenError.missing(.sandbox, attempts: resolution.attempts).description
    #expect(message.contains("ZENODO_SANDBOX_TOKEN"))
    #expect(message.contains("keyring and environment"))
    #expect(message.contains("zen-do token set --sandbox"))
  }

  @Test func tokensNeverDescribeTheirSecret() {
    let token = ZenodoToken("very-secret-value")
    let lookup = TokenLookup(token: token, source: "environment")
    #expect(!"\(token)".contains("very-secret-value"))
    #expect(!String(reflecting: token).contains("very-secret-value"))
    #expect(!"\(lookup)".contains("very-secret-value"))
  }
}
