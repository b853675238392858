/// What the search for a URN found (upload.md §2).
public enum RemoteMatch: Sendable, Equatable {
  /// No deposition carries the URN.
  case none
  /// One concept: its newest deposition (a pending draft, else the latest published one).
  case found(Deposition)
  /// Several concepts carry the URN: one deposition per concept.
  case ambiguous([Deposition])

  /// Keeps the hits that really carry `urn` as an `isIdenticalTo` identifier, groups them by
  /// concept and picks each concept's newest deposition.
  public static func resolve(urn: String, hits: [Deposition]) -> RemoteMatch {
    let wanted = DepositIdentity.normalised(urn)
    let exact = hits.filter { hit in
      (hit.metadata["related_identifiers"]?.arrayValue ?? []).contains {
        DepositIdentity.identity(inEntry: $0) == wanted
      }
    }
    var concepts: [String] = []
    var byConcept: [String: [Deposition]] = [:]
    for hit in exact {
      let concept = hit.conceptRecordID ?? "record \(hit.id)"
      if byConcept[concept] == nil { concepts.append(concept) }
      byConcept[concept, default: []].append(hit)
    }
    let newest = concepts.compactMap { concept in
      let members = byConcept[concept] ?? []
      let drafts = members.filter { $0.state != .done }
      return (drafts.isEmpty ? members : drafts).max { $0.id < $1.id }
    }
    switch newest.count {
    case 0: return .none
    case 1: return .found(newest[0])
    default: return .ambiguous(newest.sorted { $0.id < $1.id })
    }
  }

  /// The newest deposition of each concept carrying `urn` that was never published (no hit
  /// of the concept is published): the drafts concurrent runs may have created.
  public static func neverPublishedDrafts(urn: String, hits: [Deposition]) -> [Deposition] {
    let published = Set(
      hits.filter { $0.state == .done || $0.state == .inprogress }.map {
        $0.conceptRecordID ?? "record \($0.id)"
      })
    let candidates: [Deposition]
    switch resolve(urn: urn, hits: hits) {
    case .none: candidates = []
    case .found(let hit): candidates = [hit]
    case .ambiguous(let hits): candidates = hits
    }
    return candidates.filter {
      $0.state == .unsubmitted && !published.contains($0.conceptRecordID ?? "record \($0.id)")
    }
  }
}

/// One step of a sync.
public enum SyncStep: Sendable, Equatable, CustomStringConvertible {
  /// Create a deposition carrying the metadata (so it is findable by its URN at once).
  case create
  /// Open an edit draft of the published deposition.
  case edit
  /// Start a new version of the published deposition.
  case newVersion
  /// Replace the draft's metadata with the file's.
  case updateMetadata
  /// Upload a file (new, or replacing a changed one).
  case upload(LocalFile, replacing: RemoteFile?)
  /// Delete a remote file the file list no longer names.
  case delete(RemoteFile)
  /// Publish the draft.
  case publish

  public var description: String {
    switch self {
    case .create: "create a new deposit with the metadata"
    case .edit: "open an edit draft of the published deposit"
    case .newVersion: "start a new version of the published deposit"
    case .updateMetadata: "update the metadata"
    case .upload(let file, let old):
      if let old, let md5 = file.md5 {
        "upload \(file.name) (\(ByteCount.format(file.size)), changed: MD5 \(old.md5) -> \(md5))"
      } else if let old {
        "upload \(file.name) (\(ByteCount.format(file.size)), changed: size "
          + "\(ByteCount.format(old.size)) -> \(ByteCount.format(file.size)))"
      } else {
        "upload \(file.name) (\(ByteCount.format(file.size)), new)"
      }
    case .delete(let file): "delete \(file.name) (no longer in the file list)"
    case .publish: "publish"
    }
  }

  /// True for uploads.
  public var isUpload: Bool {
    if case .upload = self { return true }
    return false
  }
}

/// Why a sync will not go ahead.
public enum SyncRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// Files differ from a published version but `version` did not change.
  case versionUnchanged(source: String, version: String?, depositionID: Int)
  /// An edit draft is open and the files differ; files of an edit draft are locked.
  case editDraftWithChangedFiles(source: String, depositionID: Int, discardURL: String)
  /// Several concepts carry the URN.
  case ambiguous(source: String, urn: String, candidates: [Deposition])
  /// The draft has an open community review, which blocks publishing.
  case openReview(source: String, depositionID: Int, community: String)

  public var description: String {
    switch self {
    case .versionUnchanged(let source, let version, let id):
      let shown = version.map { "'\($0)'" } ?? "(not set)"
      return "\(source): the files differ from published deposit \(id), but `version` is still "
        + "\(shown); files of a published version never change without a new version number. "
        + "Set a new `version` in the file and run zen-do upload again"
    case .editDraftWithChangedFiles(let source, let id, let discardURL):
      // The records API discards with DELETE …/draft, the legacy API with POST …/discard.
      let method = discardURL.hasSuffix("/draft") ? "DELETE" : "POST"
      return "\(source): deposit \(id) has an open edit draft and the files differ; Zenodo locks "
        + "the files of an edit draft. Publish the edit first (zen-do upload --publish), or "
        + "discard it with:\n  curl -X \(method) -H \"Authorization: Bearer $ZENODO_TOKEN\" "
        + "\(discardURL)\nthen run zen-do upload again to make a new version"
    case .openReview(let source, let id, let community):
      return "\(source): draft \(id) is waiting for review by \(community); Zenodo does not "
        + "publish a draft with an open review request. Wait for the community's decision, or "
        + "cancel the request on Zenodo and run zen-do upload --publish again (zen-do never "
        + "cancels a review itself)"
    case .ambiguous(let source, let urn, let candidates):
      var text = "\(source): \(candidates.count) separate deposits carry \(urn):"
      for candidate in candidates {
        let title = candidate.title.isEmpty ? "(no title)" : candidate.title
        text += "\n  - id \(candidate.id), \"\(title)\", state \(candidate.state.rawValue)"
        if let link = candidate.webURL { text += ", \(link)" }
      }
      text +=
        "\nKeep one: delete or discard the others on Zenodo (drafts), or change the "
        + "`isIdenticalTo` URN of the ones that are different works, then run zen-do again"
      return text
    }
  }
}

/// The decision for one `.zenodo.toml` (upload.md §3): what exists, what differs, what to do.
public struct SyncPlan: Sendable {
  /// The local side.
  public var local: LocalDeposit
  /// The deposition the plan starts from, if any.
  public var remote: Deposition?
  /// The metadata fields that differ (empty for a new deposit).
  public var metadataDifferences: [FieldDifference]
  /// The steps, in order.
  public var steps: [SyncStep]
  /// Whether the plan publishes (asked for with `--publish`).
  public var publishes: Bool { steps.contains(.publish) }

  /// True when nothing needs to change.
  public var isUpToDate: Bool { steps.isEmpty }

  /// Decides the steps.
  ///
  /// Pure: no I/O, so `--dry-run` and tests call it directly.
  /// `differences` compares the metadata the way the API in use stores it (the legacy
  /// comparison by default).
  public static func make(
    local: LocalDeposit, remote match: RemoteMatch, publish: Bool,
    differences compare: (LocalDeposit, Deposition) -> [FieldDifference] = {
      MetadataComparison.differences(local: $0.metadata, remote: $1.metadata)
    }
  ) throws(SyncRefusal) -> SyncPlan {
    let remote: Deposition
    switch match {
    case .none:
      var steps: [SyncStep] = [.create]
      steps += local.files.map { .upload($0, replacing: nil) }
      if publish { steps.append(.publish) }
      return SyncPlan(local: local, remote: nil, metadataDifferences: [], steps: steps)
    case .ambiguous(let candidates):
      throw .ambiguous(source: local.sourcePath, urn: local.urn, candidates: candidates)
    case .found(let found):
      remote = found
    }
    let differences = compare(local, remote)
    let fileSteps = fileSync(local: local.files, remote: remote.files)
    let filesDiffer = !fileSteps.isEmpty
    var steps: [SyncStep] = []
    switch remote.state {
    case .unsubmitted, .other:
      if !differences.isEmpty { steps.append(.updateMetadata) }
      steps += fileSteps
      if publish { steps.append(.publish) }
    case .inprogress:
      if filesDiffer {
        throw .editDraftWithChangedFiles(
          source: local.sourcePath, depositionID: remote.id,
          discardURL: remote.links["discard"]
            ?? "<api>/deposit/depositions/\(remote.id)/actions/discard")
      }
      if !differences.isEmpty { steps.append(.updateMetadata) }
      if publish { steps.append(.publish) }
    case .done:
      if filesDiffer {
        if local.version == remote.version {
          throw .versionUnchanged(
            source: local.sourcePath, version: local.version, depositionID: remote.id)
        }
        steps = [.newVersion, .updateMetadata] + fileSteps
        if publish { steps.append(.publish) }
      } else if !differences.isEmpty {
        steps = [.edit, .updateMetadata]
        if publish { steps.append(.publish) }
      }
    }
    return SyncPlan(local: local, remote: remote, metadataDifferences: differences, steps: steps)
  }

  /// Uploads of new and changed files (by name and MD5, or size when the MD5 was not needed)
  /// first, deletions of extras last.
  static func fileSync(local: [LocalFile], remote: [RemoteFile]) -> [SyncStep] {
    var uploads: [SyncStep] = []
    for file in local {
      let existing = remote.first { $0.name == file.name }
      // No MD5 yet means the remote holds no file of that name and size: it must be sent.
      if existing == nil || file.md5 == nil || existing?.md5 != file.md5 {
        uploads.append(.upload(file, replacing: existing))
      }
    }
    let names = Set(local.map(\.name))
    let deletions = remote.filter { !names.contains($0.name) }.map { SyncStep.delete($0) }
    return uploads + deletions
  }

  /// The plan as text for `--dry-run`: what exists, the metadata diff, the steps.
  public func rendered() -> String {
    var lines: [String] = []
    if let remote {
      lines.append(
        "\(local.sourcePath): deposit \(remote.id) (\(remote.state.rawValue))"
          + (remote.webURL.map { ", \($0)" } ?? ""))
    } else {
      lines.append("\(local.sourcePath): no deposit carries \(local.urn) yet")
    }
    if !metadataDifferences.isEmpty {
      lines.append("  metadata differences:")
      for difference in metadataDifferences {
        lines.append("    \(difference.key):")
        lines.append("      - remote: " + (difference.remote.map(Self.short) ?? "(not set)"))
        lines.append("      + local:  " + (difference.local.map(Self.short) ?? "(not set)"))
      }
    }
    if steps.isEmpty {
      lines.append("  up to date: nothing to do")
    } else {
      lines.append("  steps:")
      for (index, step) in steps.enumerated() { lines.append("    \(index + 1). \(step)") }
    }
    return lines.joined(separator: "\n")
  }

  static func short(_ value: JSONValue) -> String {
    let text = ZenodoJSON.serialize(value)
    return text.count > 300 ? String(text.prefix(297)) + "..." : text
  }
}
