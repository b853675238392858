import Foundation

extension RecordStore {
  // MARK: Publish

  /// `POST …/draft/actions/publish`: strict schema first (all errors at once), then files, then
  /// PIDs and publisher, then an open review; mints the DOIs on success.
  func publish(_ id: Int, user: Int, legacy: Bool = false) throws(APIError) -> RecordView {
    var draft = try ownedDraft(id, user: user)
    try checkPublishable(draft)
    let parentID = draft.parentID
    var parent =
      state.parents[parentID]
      ?? Parent(id: parentID, owner: draft.owner, versions: [], nextDraftID: nil)
    if let review = parent.reviewID.flatMap({ state.requests[$0] }), review.isOpen {
      throw APIError.badRequest(
        "You cannot publish a draft with an open review request. Please cancel the review request first."
      )
    }
    if legacy { includeLegacyCommunities(&draft, parent: &parent) }
    return finishPublish(&draft, parent: &parent)
  }

  func checkPublishable(_ draft: RecordVersion) throws(APIError) {
    let schema = RDMSchema.requiredErrors(draft.metadata)
    if !schema.items.isEmpty { throw .validation(schema.items) }
    if draft.filesEnabled && draft.files.isEmpty {
      throw .validation([
        FieldError(
          field: "files.enabled",
          messages: [
            "Missing uploaded files. To disable files for this record please mark it as metadata-only."
          ])
      ])
    }
    if draft.files.contains(where: { !$0.isCommitted }) {
      throw .validation([
        FieldError(
          field: "files",
          messages: ["One or more files have not completed their transfer, please wait."])
      ])
    }
    let pids = pidErrors(draft)
    if !pids.items.isEmpty { throw .validation(pids.items) }
  }

  /// Moves a checked draft to the records, minting DOIs and updating the parent.
  func finishPublish(_ draft: inout RecordVersion, parent: inout Parent) -> RecordView {
    let id = draft.id
    if draft.pids["doi"] == nil {
      draft.pids["doi"] = .object([
        "identifier": .string("10.5281/zenodo.\(id)"), "provider": "datacite",
        "client": "datacite",
      ])
    }
    draft.pids["oai"] = .object(["identifier": .string("oai:zenodo.org:\(id)"), "provider": "oai"])
    if draft.pids["doi"]?["provider"]?.string == "datacite" { parent.conceptDOI = true }
    draft.updated = Clock.timestamp()
    draft.revision += 1
    draft.locked = true
    state.drafts[id] = nil
    state.records[id] = draft
    if !parent.versions.contains(id) { parent.versions.append(id) }
    if parent.nextDraftID == id { parent.nextDraftID = nil }
    if let reviewID = parent.reviewID, let review = state.requests[reviewID], !review.isOpen {
      parent.reviewID = nil
    }
    state.parents[parent.id] = parent
    save()
    return makeView(draft, isDraft: false)
  }

  /// The legacy publish turns `legacy:communities` into inclusions (direct for the community's
  /// owner, an open inclusion request for anyone else) and drops the custom field.
  func includeLegacyCommunities(_ draft: inout RecordVersion, parent: inout Parent) {
    let slugs = (draft.customFields["legacy:communities"]?.array ?? []).compactMap(\.string)
    draft.customFields["legacy:communities"] = nil
    for slug in slugs {
      guard let community = state.communities.values.first(where: { $0.slug == slug }),
        !parent.communities.contains(community.id)
      else { continue }
      if community.owner == draft.owner {
        parent.communities.append(community.id)
      } else {
        _ = openInclusion(draft.id, community: community)
      }
    }
  }

  // MARK: Edit and versions

  /// `POST /api/records/{id}/draft` (legacy `actions/edit`): the existing draft, or a locked
  /// copy of the published record.
  func edit(_ id: Int, user: Int) throws(APIError) -> RecordView {
    if let draft = state.drafts[id] {
      guard may(user, draft.owner) else { throw .permissionDenied }
      return makeView(draft, isDraft: true)
    }
    guard var record = state.records[id] else { throw APIError.unknownID }
    guard may(user, record.owner) else { throw .permissionDenied }
    record.updated = Clock.timestamp()
    record.locked = true
    state.drafts[id] = record
    save()
    return makeView(record, isDraft: true)
  }

  /// `POST /api/records/{id}/versions`: the pending next draft, or a new one without files.
  func newVersion(_ id: Int, user: Int) throws(APIError) -> RecordView {
    guard let record = state.records[id] else { throw APIError.notRegistered }
    guard may(user, record.owner) else { throw .permissionDenied }
    guard var parent = state.parents[record.parentID], let latestID = parent.versions.last,
      let latest = state.records[latestID]
    else { throw APIError.notRegistered }
    if record.pids["doi"]?["provider"]?.string == "external" { throw .permissionDenied }
    if let nextID = parent.nextDraftID, let pending = state.drafts[nextID] {
      return makeView(pending, isDraft: true)
    }
    let newID = state.counter + 1
    state.counter = newID
    var metadata = latest.metadata
    metadata["version"] = nil
    metadata["publication_date"] = .string(Clock.today())
    let now = Clock.timestamp()
    let draft = RecordVersion(
      id: newID, parentID: parent.id, owner: latest.owner, created: now, updated: now,
      revision: 1, metadata: metadata, customFields: latest.customFields, access: latest.access,
      pids: [:], files: [], filesEnabled: latest.filesEnabled,
      bucket: UUID().uuidString.lowercased(), locked: false, defaultPreview: nil,
      versionIndex: (state.records[latestID]?.versionIndex ?? parent.versions.count) + 1,
      searchableAfter: Date().timeIntervalSince1970 + indexLag)
    state.drafts[newID] = draft
    state.buckets[draft.bucket] = newID
    parent.nextDraftID = newID
    state.parents[parent.id] = parent
    save()
    return makeView(draft, isDraft: true)
  }

  /// `POST …/draft/actions/files-import`: links the latest published version's files.
  func importFiles(_ id: Int, user: Int) throws(APIError) -> RecordView {
    var draft = try ownedDraft(id, user: user)
    func fail(_ field: String, _ message: String) -> APIError {
      .validation([FieldError(field: field, messages: [message])])
    }
    guard draft.filesEnabled else { throw fail("files.enabled", "Files support must be enabled.") }
    guard draft.files.isEmpty else { throw fail("files.enabled", "Please remove all files first.") }
    guard let latestID = state.parents[draft.parentID]?.versions.last,
      let latest = state.records[latestID], !latest.files.isEmpty
    else { throw fail("files.enabled", "The record has no files.") }
    draft.files = latest.files
    storeChanged(&draft)
    return makeView(draft, isDraft: true)
  }

  /// The published versions of `id`'s parent, newest first.
  func versions(of id: Int) throws(APIError) -> [RecordView] {
    guard let version = state.records[id] ?? state.drafts[id] ?? nil,
      let parent = state.parents[version.parentID]
    else { throw APIError.unknownID }
    return parent.versions.reversed().compactMap { state.records[$0] }.map {
      makeView($0, isDraft: false)
    }
  }

  /// The latest published version of the parent of `id` (a record or parent id).
  func latestVersion(of id: Int) throws(APIError) -> Int {
    let parentID = state.parents[id] != nil ? id : (state.records[id] ?? state.drafts[id])?.parentID
    guard let parentID, let latest = state.parents[parentID]?.versions.last else {
      throw APIError.unknownID
    }
    return latest
  }

  // MARK: PIDs

  /// `POST …/draft/pids/doi`: reserves `10.5281/zenodo.{id}` on the draft.
  func reserveDOI(_ id: Int, user: Int) throws(APIError) -> RecordView {
    var draft = try ownedDraft(id, user: user)
    if let identifier = draft.pids["doi"]?["identifier"]?.string, !identifier.isEmpty {
      throw .validation([
        FieldError(field: "pids.doi", messages: ["A PID already exists for type doi"])
      ])
    }
    draft.pids["doi"] = .object([
      "identifier": .string("10.5281/zenodo.\(id)"), "provider": "datacite", "client": "datacite",
    ])
    draft.revision += 1
    draft.updated = Clock.timestamp()
    state.drafts[id] = draft
    save()
    return makeView(draft, isDraft: true)
  }

  /// `DELETE …/draft/pids/doi`: discards a reserved DOI that is not yet registered.
  func discardDOI(_ id: Int, user: Int) throws(APIError) -> RecordView {
    var draft = try ownedDraft(id, user: user)
    guard draft.pids["doi"]?["identifier"]?.string != nil else { throw APIError.unknownID }
    if state.records[id] != nil {
      throw APIError.badRequest("Cannot discard a reserved or registered persistent identifier.")
    }
    draft.pids["doi"] = nil
    draft.revision += 1
    draft.updated = Clock.timestamp()
    state.drafts[id] = draft
    save()
    return makeView(draft, isDraft: true)
  }
}
