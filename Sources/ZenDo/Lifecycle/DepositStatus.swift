/// Where one `.zenodo.toml` stands against Zenodo, for `zen-do status`.
public struct DepositStatus: Sendable {
  /// The overall answer, one per file.
  public enum State: String, Sendable {
    /// No deposit carries the URN.
    case notOnZenodo = "not_on_zenodo"
    /// The deposit matches the file and nothing waits to be published.
    case inSync = "in_sync"
    /// Metadata or files differ (and nothing waits to be published).
    case differs
    /// A draft, an edit or a new version waits to be published (files may differ too).
    case pending
    /// A community review request was submitted and waits for the community.
    case inReview = "in_review"
  }

  /// What waits to be published.
  public enum Pending: String, Sendable {
    /// A deposit that was never published.
    case newDeposit = "new_deposit"
    /// An edit draft of a published record.
    case edit
    /// A new version of a published record.
    case newVersion = "new_version"
  }

  /// A file that differs.
  public struct FileDifference: Sendable, Equatable {
    /// How.
    public enum Change: String, Sendable {
      /// Listed locally, not on Zenodo.
      case onlyLocal = "only_local"
      /// On Zenodo, not listed locally.
      case onlyOnZenodo = "only_on_zenodo"
      /// On both, with different MD5s.
      case changed
    }
    /// The file name.
    public var name: String
    /// How it differs.
    public var change: Change
  }

  /// The `.zenodo.toml`.
  public var source: String
  /// Its identity.
  public var urn: String
  /// The deposition compared with, if any.
  public var deposition: Deposition?
  /// What waits to be published, if anything.
  public var pending: Pending?
  /// The status of the draft's community review request, if it has one.
  public var review: String?
  /// The metadata fields that differ.
  public var metadataDifferences: [String]
  /// The files that differ.
  public var fileDifferences: [FileDifference]
  /// The `adopt_concept` pointer, when the URN is on no deposit yet.
  public var adoptConcept: Int?

  /// The overall state.
  public var state: State {
    guard deposition != nil else { return .notOnZenodo }
    if review == "submitted" { return .inReview }
    if pending != nil { return .pending }
    return metadataDifferences.isEmpty && fileDifferences.isEmpty ? .inSync : .differs
  }

  /// Compares `local` (with MD5s) with `remote`; `hasPublishedVersion` tells a pending new
  /// version from a never-published deposit.
  ///
  /// `differences` are the metadata fields that differ as the sync's backend compares them
  /// (`DepositBackend.metadataDifferences`); nil compares legacy metadata.
  public static func compare(
    _ local: LocalDeposit, with remote: Deposition?, hasPublishedVersion: Bool,
    review: String?, differences: [String]? = nil
  ) -> DepositStatus {
    var status = DepositStatus(
      source: local.sourcePath, urn: local.urn, deposition: remote, pending: nil, review: review,
      metadataDifferences: [], fileDifferences: [], adoptConcept: nil)
    guard let remote else {
      status.adoptConcept = local.adoptConcept
      return status
    }
    switch remote.state {
    case .inprogress: status.pending = .edit
    case .unsubmitted, .other: status.pending = hasPublishedVersion ? .newVersion : .newDeposit
    case .done: break
    }
    status.metadataDifferences =
      differences
      ?? MetadataComparison.differences(local: local.metadata, remote: remote.metadata).map(\.key)
    for file in local.files {
      if let theirs = remote.files.first(where: { $0.name == file.name }) {
        if theirs.md5 != file.md5 {
          status.fileDifferences.append(FileDifference(name: file.name, change: .changed))
        }
      } else {
        status.fileDifferences.append(FileDifference(name: file.name, change: .onlyLocal))
      }
    }
    let names = Set(local.files.map(\.name))
    for file in remote.files where !names.contains(file.name) {
      status.fileDifferences.append(FileDifference(name: file.name, change: .onlyOnZenodo))
    }
    return status
  }

  /// The one line for people.
  public var line: String {
    guard let deposition else {
      var text = "\(source): not on Zenodo yet (no deposit carries \(urn))"
      if let adoptConcept {
        text += "; zen-do upload will adopt concept \(adoptConcept) ([zen-do].adopt_concept)"
      }
      return text
    }
    var parts: [String] = []
    switch pending {
    case .newDeposit: parts.append("draft \(deposition.id), never published, waits to be published")
    case .edit: parts.append("an edit of record \(deposition.id) waits to be published")
    case .newVersion:
      parts.append("new version draft \(deposition.id) waits to be published")
    case nil: break
    }
    if let review {
      parts.append(
        review == "submitted"
          ? "a community review waits for the community's decision"
          : "community review request \(review)")
    }
    if !metadataDifferences.isEmpty {
      parts.append("metadata differs: " + metadataDifferences.joined(separator: ", "))
    }
    if !fileDifferences.isEmpty {
      parts.append(
        "files differ: "
          + fileDifferences.map {
            "\($0.name) (\($0.change.rawValue.replacingOccurrences(of: "_", with: " ")))"
          }
          .joined(separator: ", "))
    }
    if parts.isEmpty { parts.append("in sync with record \(deposition.id)") }
    return "\(source): " + parts.joined(separator: "; ")
  }

  /// The status in JSON.
  public var json: JSONValue {
    var object = JSONObject([
      ("source", .string(source)), ("urn", .string(urn)), ("state", .string(state.rawValue)),
    ])
    if let deposition {
      object["id"] = .number(JSONNumber(Int64(deposition.id)))
      if let concept = deposition.conceptRecordID { object["concept"] = .string(concept) }
      if let doi = deposition.doi { object["doi"] = .string(doi) }
      if let link = deposition.webURL { object["link"] = .string(link) }
    }
    object["pending"] = pending.map { .string($0.rawValue) } ?? .null
    object["review"] = review.map(JSONValue.string) ?? .null
    object["metadata_differences"] = .array(metadataDifferences.map(JSONValue.string))
    object["file_differences"] = .array(
      fileDifferences.map {
        .object(JSONObject([("name", .string($0.name)), ("change", .string($0.change.rawValue))]))
      })
    if let adoptConcept { object["adopt_concept"] = .number(JSONNumber(Int64(adoptConcept))) }
    return .object(object)
  }
}

/// One record or draft of the user's, for `zen-do list`.
public struct RecordListing: Sendable {
  /// The deposition.
  public var deposition: Deposition
  /// `draft`, `new_version_draft`, `edit_draft` (published, an edit open) or `published`.
  public var state: String
  /// The `urn:zenodo:` identity, if it carries one.
  public var urn: String?

  /// The listing of `depositions` (all versions), states decided across versions.
  public static func make(_ depositions: [Deposition]) -> [RecordListing] {
    let published = Set(
      depositions.filter { $0.state != .unsubmitted }.compactMap(\.conceptRecordID))
    return depositions.map { deposition in
      let state: String
      switch deposition.state {
      case .done: state = "published"
      case .inprogress: state = "edit_draft"
      case .unsubmitted, .other:
        state =
          deposition.conceptRecordID.map(published.contains) == true
          ? "new_version_draft" : "draft"
      }
      let urn = (deposition.metadata["related_identifiers"]?.arrayValue ?? [])
        .lazy.compactMap(DepositIdentity.identity(inEntry:)).first
      return RecordListing(deposition: deposition, state: state, urn: urn)
    }
  }

  /// The listing in JSON.
  public var json: JSONValue {
    var object = JSONObject([("id", .number(JSONNumber(Int64(deposition.id))))])
    object["concept"] = deposition.conceptRecordID.map(JSONValue.string) ?? .null
    object["title"] = .string(deposition.title)
    object["version"] = deposition.version.map(JSONValue.string) ?? .null
    object["state"] = .string(state)
    object["urn"] = urn.map(JSONValue.string) ?? .null
    object["doi"] = deposition.doi.map(JSONValue.string) ?? .null
    object["link"] = deposition.webURL.map(JSONValue.string) ?? .null
    return .object(object)
  }
}
