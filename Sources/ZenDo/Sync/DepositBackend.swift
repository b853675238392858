/// The deposit operations the sync needs, in terms of ``Deposition`` and ``LocalDeposit``, so the
/// same planner and executor drive Zenodo's legacy deposit API (``LegacyBackend``) and its
/// InvenioRDM records API (``RecordsBackend``).
///
/// Every method is one logical operation; retries of idempotent requests happen inside.
/// Non-idempotent ones (``create(_:)``, ``newVersion(of:)``, ``publish(_:)``) throw
/// `ZenodoError.uncertain` when the outcome is unknown, so the executor can look before repeating.
public protocol DepositBackend: Sendable {
  /// Which API this backend speaks.
  var api: ZenodoAPI { get }

  /// Every deposition of the user whose related identifiers may carry `urn`, across all
  /// versions; callers re-check the hits (``RemoteMatch/resolve(urn:hits:)``).
  func search(urn: String) async throws -> [Deposition]

  /// The hits of ``search(urn:)`` for many URNs at once (one query ORing them, paged); callers
  /// re-check each URN's hits exactly.
  func search(urns: [String]) async throws -> [Deposition]

  /// Reads a deposition by id: its current draft if one is open, else the published record.
  func deposition(id: Int) async throws -> Deposition

  /// Creates a new deposit (a new concept) holding `local`'s metadata; returns it with what
  /// Zenodo did not keep as sent.
  func create(_ local: LocalDeposit) async throws -> MetadataUpdate

  /// Replaces the metadata of the draft `draft` with `local`'s; returns the draft as stored and
  /// what Zenodo did not keep as sent.
  func update(_ draft: Deposition, to local: LocalDeposit) async throws -> MetadataUpdate

  /// Opens (or returns the open) edit draft of a published deposition.
  func edit(_ published: Deposition) async throws -> Deposition

  /// Starts a new version of a published deposition holding the files of the latest version.
  func newVersion(of published: Deposition) async throws -> Deposition

  /// Uploads one file to a draft (replacing a file of the same name) and returns what Zenodo
  /// says it stored; the caller compares MD5 and size and retries.
  func upload(
    _ file: LocalFile, to draft: Deposition, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> UploadedFile

  /// Prepares a batch of new files (names the draft does not hold) for ``upload(_:to:progress:)``
  /// in as few requests as the API allows; a failure here is left for each upload to meet.
  func prepareUploads(_ files: [LocalFile], to draft: Deposition) async

  /// Deletes the file named `name` from a draft; a file already gone counts as deleted.
  func deleteFile(named name: String, of draft: Deposition) async throws

  /// Publishes a draft (through `local`'s first community's review where the API has one);
  /// returns the deposition and what the user should know (request states).
  func publish(_ draft: Deposition, local: LocalDeposit) async throws -> PublishOutcome

  /// Deletes a never-published draft (only ever one this run created itself).
  func discard(_ draft: Deposition) async throws

  /// The metadata fields that differ between the file and the deposition, compared the way
  /// this API stores them.
  func metadataDifferences(local: LocalDeposit, remote: Deposition) -> [FieldDifference]
}

/// What a metadata update stored.
public struct MetadataUpdate: Sendable {
  /// The draft as Zenodo answered.
  public var deposition: Deposition
  /// The fields Zenodo did not keep as sent (dotted paths or top-level keys).
  public var dropped: [String]
  /// Problems Zenodo reported with a successful answer (`errors` on a 200), as text.
  public var reported: [String]

  /// Creates an update result.
  public init(deposition: Deposition, dropped: [String], reported: [String] = []) {
    self.deposition = deposition
    self.dropped = dropped
    self.reported = reported
  }
}

/// A file as Zenodo stored it after an upload.
public struct UploadedFile: Sendable, Equatable {
  /// The MD5 Zenodo computed, bare lower-case hex.
  public var md5: String
  /// The size Zenodo stored, when it says (the legacy bucket answer may not).
  public var size: Int64?
  /// The MD5 of the bytes sent, computed while sending: asked for when the file has no MD5
  /// yet (``LocalFile/md5`` nil); nil when not asked for or the transport cannot.
  public var sentMD5: String?

  /// Creates an upload result.
  public init(md5: String, size: Int64?, sentMD5: String? = nil) {
    self.md5 = md5
    self.size = size
    self.sentMD5 = sentMD5
  }
}

/// What a publish did.
public struct PublishOutcome: Sendable {
  /// The deposition afterwards: published, or still a draft waiting for a community's review.
  public var deposition: Deposition
  /// Lines for the user, such as "waiting for review by <community>".
  public var notes: [String]

  /// Creates a publish result.
  public init(deposition: Deposition, notes: [String] = []) {
    self.deposition = deposition
    self.notes = notes
  }
}

extension DepositBackend {
  /// Nothing to prepare: each upload is one request (the legacy bucket PUT).
  public func prepareUploads(_ files: [LocalFile], to draft: Deposition) async {}
}
