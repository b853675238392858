/// Finds the Zenodo deposit of a `.zenodo.toml` by its identity.
///
/// The search, the exact re-check of the hits, the re-read by id, and the patient second look
/// after a lost answer. Kept apart from the executor so another API can bring its own lookup.
public struct RemoteLookup: Sendable {
  private let backend: any DepositBackend
  private let clock: any SyncClock
  /// The waits between searches after a lost answer (the search index lags behind).
  private let lookAgainDelays: [Double]

  /// Creates a lookup through `backend`.
  public init(
    backend: any DepositBackend, clock: any SyncClock, lookAgainDelays: [Double] = [1, 2, 4]
  ) {
    self.backend = backend
    self.clock = clock
    self.lookAgainDelays = lookAgainDelays
  }

  /// Searches for the URN and resolves the hits; the chosen deposition is re-read by id, so
  /// the plan sees its current files and metadata, not the search index's copy.
  public func find(for local: LocalDeposit) async throws -> RemoteMatch {
    let match = RemoteMatch.resolve(urn: local.urn, hits: try await backend.search(urn: local.urn))
    if case .found(let hit) = match {
      return .found(try await backend.deposition(id: hit.id))
    }
    return match
  }

  /// Searches again, waiting ``lookAgainDelays`` between tries, until the URN resolves to a
  /// deposition that `accept` takes; nil when it never does.
  func lookAgain(_ local: LocalDeposit, where accept: (Deposition) -> Bool) async throws
    -> Deposition?
  {
    for delay in [0] + lookAgainDelays {
      try await clock.sleep(seconds: delay)
      if case .found(let hit) = RemoteMatch.resolve(
        urn: local.urn, hits: try await backend.search(urn: local.urn)), accept(hit)
      {
        return try await backend.deposition(id: hit.id)
      }
    }
    return nil
  }

  /// All deposits carrying the URN, one per concept (the newest of each), read by id.
  func candidates(_ local: LocalDeposit) async throws -> [Deposition] {
    switch RemoteMatch.resolve(urn: local.urn, hits: try await backend.search(urn: local.urn)) {
    case .none: return []
    case .found(let hit): return [hit]
    case .ambiguous(let hits): return hits
    }
  }
}
