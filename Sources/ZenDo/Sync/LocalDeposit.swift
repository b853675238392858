/// A validated `.zenodo.toml`, reduced to what the sync needs.
///
/// The metadata loader fills it
/// in; the planner and executor never look at TOML.
public struct LocalDeposit: Sendable {
  /// The `.zenodo.toml` it came from, for messages.
  public var sourcePath: String
  /// The deposit's identity: the `isIdenticalTo` `urn:zenodo:...` identifier.
  public var urn: String
  /// The legacy metadata object to PUT.
  public var metadata: JSONObject
  /// The files the deposit must hold, with their MD5s.
  public var files: [LocalFile]
  /// Warnings found while loading, to show the user.
  public var warnings: [Diagnostic] = []
  /// The records API's draft body (`RecordMapping.draftBody`).
  ///
  /// It holds metadata, custom_fields, access and files.enabled.
  public var draftBody = JSONObject()
  /// The communities, in order: the first gets the review request on publish, the others
  /// inclusion requests once published (`RecordMapping.communities`).
  public var communities: [String] = []
  /// The parent's access settings to PUT, if any (`RecordMapping.parentAccess`).
  public var parentAccess: JSONObject?

  /// Creates a deposit description.
  public init(sourcePath: String, urn: String, metadata: JSONObject, files: [LocalFile]) {
    self.sourcePath = sourcePath
    self.urn = urn
    self.metadata = metadata
    self.files = files
  }

  /// The `version` the file declares, if any.
  public var version: String? { metadata["version"]?.stringValue }
}
