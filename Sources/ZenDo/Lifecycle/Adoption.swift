/// Adopts the concept of `[zen-do].adopt_concept`, the one-time pointer `zen-do pull` writes.
///
/// When the URN search finds nothing, `upload` takes the pointed-to concept as the deposit, once it has checked
/// that the concept is the user's and carries no other `urn:zenodo:` identity. The plan then
/// adds the URN like any other metadata change: an edit of the published record (same DOI), or
/// a new version when the files changed.
///
/// The concept's versions are found through the legacy deposit API (a view of the same store
/// on Zenodo, whichever API the sync speaks); the version the sync starts from is re-read with
/// `backend`, so the plan compares it the way that API stores it.
public struct Adoption: Sendable {
  private let client: ZenodoClient?
  private let backend: any DepositBackend

  /// An adoption over `backend`, asking its client for the concept's versions.
  public init(backend: any DepositBackend) {
    self.backend = backend
    switch backend {
    case let records as RecordsBackend: client = records.client
    case let legacy as LegacyBackend: client = legacy.client
    default: client = nil
    }
  }

  /// The deposition of `concept` the sync should start from: its pending draft, else its
  /// newest published version, re-read by id.
  public func deposition(concept: Int, for local: LocalDeposit) async throws -> Deposition {
    guard let client else {
      throw ZenodoError.unexpectedResponse(
        method: "-", path: "-",
        reason: "[zen-do].adopt_concept needs the Zenodo client of the legacy or records backend")
    }
    let mine = try await client.userDepositions(query: "conceptrecid:\(concept)")
      .filter { $0.conceptRecordID == String(concept) || $0.id == concept }
    guard !mine.isEmpty else {
      let published = try await client.publicRecords(query: "conceptrecid:\(concept)")
      if let record = published.first {
        throw AdoptionRefusal.notYours(
          source: local.sourcePath, concept: concept,
          link: record["links"]?.objectValue?["self_html"]?.stringValue
            ?? record["links"]?.objectValue?["html"]?.stringValue)
      }
      throw AdoptionRefusal.notFound(source: local.sourcePath, concept: concept)
    }
    let drafts = mine.filter { $0.state != .done }
    let pool = drafts.isEmpty ? mine : drafts
    guard let newest = pool.max(by: { $0.id < $1.id }) else {
      throw AdoptionRefusal.notFound(source: local.sourcePath, concept: concept)
    }
    let fresh = try await backend.deposition(id: newest.id)
    let wanted = DepositIdentity.normalised(local.urn)
    for version in [fresh] + mine {
      let identities = (version.metadata["related_identifiers"]?.arrayValue ?? [])
        .compactMap(DepositIdentity.identity(inEntry:))
      if let other = identities.first(where: { $0 != wanted }) {
        throw AdoptionRefusal.otherIdentity(
          source: local.sourcePath, concept: concept, depositionID: version.id, urn: other)
      }
    }
    return fresh
  }
}

/// Why `upload` will not adopt the concept `[zen-do].adopt_concept` points to.
public enum AdoptionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// No record or draft of that concept exists.
  case notFound(source: String, concept: Int)
  /// The concept exists but the token's user does not own it.
  case notYours(source: String, concept: Int, link: String?)
  /// A version of the concept already carries another identity.
  case otherIdentity(source: String, concept: Int, depositionID: Int, urn: String)

  public var description: String {
    switch self {
    case .notFound(let source, let concept):
      return "\(source): [zen-do].adopt_concept = \(concept), but Zenodo has no record of "
        + "concept \(concept); check the number (zen-do list shows your records) or delete the "
        + "line to create a new deposit"
    case .notYours(let source, let concept, let link):
      return "\(source): [zen-do].adopt_concept = \(concept) points to a record that is not "
        + "yours\(link.map { " (\($0))" } ?? ""); zen-do only updates records of the token's "
        + "account. Use the owner's token, or delete the line to create your own deposit"
    case .otherIdentity(let source, let concept, let id, let urn):
      return "\(source): [zen-do].adopt_concept = \(concept), but deposit \(id) of that concept "
        + "already carries the identity \(urn); put that URN in the file's isIdenticalTo "
        + "related identifier instead, or delete adopt_concept"
    }
  }
}
