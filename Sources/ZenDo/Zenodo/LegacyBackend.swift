/// ``DepositBackend`` over the legacy deposit API (`/api/deposit/depositions`), through
/// ``ZenodoClient``.
public struct LegacyBackend: DepositBackend {
  /// The client.
  public let client: ZenodoClient

  /// Creates the backend.
  public init(client: ZenodoClient) { self.client = client }

  /// Always ``ZenodoAPI/legacy``.
  public var api: ZenodoAPI { .legacy }

  public func search(urn: String) async throws -> [Deposition] {
    try await client.search(urn: urn)
  }

  public func search(urns: [String]) async throws -> [Deposition] {
    try await client.search(urns: urns)
  }

  public func deposition(id: Int) async throws -> Deposition {
    try await client.deposition(id: id)
  }

  public func create(_ local: LocalDeposit) async throws -> MetadataUpdate {
    MetadataUpdate(deposition: try await client.create(metadata: local.metadata), dropped: [])
  }

  public func update(_ draft: Deposition, to local: LocalDeposit) async throws -> MetadataUpdate {
    let updated = try await client.update(id: draft.id, metadata: local.metadata)
    let dropped = MetadataComparison.differences(local: local.metadata, remote: updated.metadata)
    return MetadataUpdate(deposition: updated, dropped: dropped.map(\.key))
  }

  public func edit(_ published: Deposition) async throws -> Deposition {
    try await client.edit(id: published.id)
  }

  public func newVersion(of published: Deposition) async throws -> Deposition {
    try await client.newVersion(id: published.id)
  }

  public func upload(
    _ file: LocalFile, to draft: Deposition, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> UploadedFile {
    guard let bucket = draft.bucketURL else {
      throw ZenodoError.unexpectedResponse(
        method: "GET", path: "/deposit/depositions/\(draft.id)",
        reason: "the deposit has no links.bucket to upload to")
    }
    // A file without an MD5 yet is hashed from the chunks as they are sent.
    let receipt = try await client.upload(
      bucketURL: bucket, key: file.name, path: file.path, size: file.size,
      hashWhileSending: file.md5 == nil, progress: progress)
    return UploadedFile(md5: receipt.remoteMD5, size: nil, sentMD5: receipt.sentMD5)
  }

  public func deleteFile(named name: String, of draft: Deposition) async throws {
    // Re-read the ids: a new version or edit draft holds copies of the files.
    let fresh = try await client.deposition(id: draft.id)
    if let remote = fresh.files.first(where: { $0.name == name }) {
      try await client.deleteFile(depositionID: draft.id, fileID: remote.id)
    }
  }

  public func publish(_ draft: Deposition, local: LocalDeposit) async throws -> PublishOutcome {
    PublishOutcome(deposition: try await client.publish(id: draft.id))
  }

  public func discard(_ draft: Deposition) async throws {
    try await client.discard(id: draft.id)
  }

  public func metadataDifferences(local: LocalDeposit, remote: Deposition) -> [FieldDifference] {
    MetadataComparison.differences(local: local.metadata, remote: remote.metadata)
  }
}
