import Foundation

extension RecordStore {
  /// A community by slug or id.
  func community(_ slugOrID: String) -> Community? {
    state.communities[slugOrID] ?? state.communities.values.first { $0.slug == slugOrID }
  }

  func request(_ id: String, user: Int) throws(APIError) -> ReviewRequest {
    guard let request = state.requests[id] else { throw APIError.unknownID }
    let record = state.drafts[request.recordID] ?? state.records[request.recordID]
    let curator = state.communities[request.communityID]?.owner
    guard record.map({ may(user, $0.owner) }) == true || curator == user else {
      throw .permissionDenied
    }
    return request
  }

  // MARK: Review of a draft

  /// `PUT …/draft/review`: creates (or replaces) the draft's community-submission request.
  func putReview(_ id: Int, user: Int, body: JSON) throws(APIError) -> ReviewRequest {
    let draft = try ownedDraft(id, user: user)
    guard body["type"]?.string == "community-submission" else {
      throw .validation([FieldError(field: "type", messages: ["Invalid review type."])])
    }
    guard let receiver = body["receiver"]?["community"]?.string, let community = community(receiver)
    else { throw APIError.notFound("Community not found.") }
    if state.records[id] != nil {
      throw APIError.badRequest("You cannot create a review for an already published record.")
    }
    guard var parent = state.parents[draft.parentID] else { throw APIError.unknownID }
    if !parent.versions.isEmpty {
      throw APIError.badRequest(
        "You cannot create a review for a new version of a published record.")
    }
    if let old = parent.reviewID.flatMap({ state.requests[$0] }) {
      if old.status == "submitted" {
        throw APIError.badRequest("An open review cannot be deleted.")
      }
      state.requests[old.id] = nil
    }
    let now = Clock.timestamp()
    let request = ReviewRequest(
      id: UUID().uuidString.lowercased(), communityID: community.id, status: "created",
      recordID: id, created: now, updated: now, type: "community-submission",
      createdBy: draft.owner, number: state.requests.count + 1, revision: 1,
      title: draft.metadata["title"]?.string ?? "")
    state.requests[request.id] = request
    parent.reviewID = request.id
    state.parents[parent.id] = parent
    save()
    return request
  }

  func review(_ id: Int, user: Int) throws(APIError) -> ReviewRequest {
    let draft = try ownedDraft(id, user: user)
    guard let request = state.parents[draft.parentID]?.reviewID.flatMap({ state.requests[$0] })
    else { throw APIError.notFound("No review exists for this draft.") }
    return request
  }

  /// `DELETE …/draft/review`: only a review that is not open.
  func deleteReview(_ id: Int, user: Int) throws(APIError) {
    let request = try review(id, user: user)
    if request.status == "submitted" {
      throw APIError.badRequest("An open review cannot be deleted.")
    }
    guard let draft = state.drafts[id], var parent = state.parents[draft.parentID] else { return }
    state.requests[request.id] = nil
    parent.reviewID = nil
    state.parents[parent.id] = parent
    save()
  }

  /// `POST …/draft/actions/submit-review`: validates the draft strictly, then accepts at once
  /// (publishing) when the submitter owns the community and no review is required.
  func submitReview(_ id: Int, user: Int, requireReview: Bool, comment: String?) throws(APIError)
    -> ReviewRequest
  {
    var request = try review(id, user: user)
    guard request.status == "created" else {
      throw APIError.badRequest("The request cannot be submitted in its current state.")
    }
    try checkPublishable(try ownedDraft(id, user: user))
    request.status = "submitted"
    request.updated = Clock.timestamp()
    request.revision += 1
    if let comment { request.events.append(Self.event("C", comment, user: user)) }
    state.requests[request.id] = request
    if !requireReview, state.communities[request.communityID]?.owner == user {
      request = try accept(request, by: user, comment: nil)
    }
    save()
    return request
  }

  static func event(_ type: String, _ content: String, user: Int) -> RequestEvent {
    RequestEvent(
      id: UUID().uuidString.lowercased(), type: type, content: content, user: user,
      created: Clock.timestamp())
  }

  /// Accepts a submission (publishing the draft into the community) or an inclusion.
  func accept(_ request: ReviewRequest, by user: Int, comment: String?) throws(APIError)
    -> ReviewRequest
  {
    var request = request
    request.events.append(Self.event("L", "accepted", user: user))
    if let comment { request.events.append(Self.event("C", comment, user: user)) }
    request.status = "accepted"
    request.updated = Clock.timestamp()
    request.revision += 1
    state.requests[request.id] = request
    let recordID = request.recordID
    if request.type == "community-submission", var draft = state.drafts[recordID],
      var parent = state.parents[draft.parentID]
    {
      parent.reviewID = nil
      if !parent.communities.contains(request.communityID) {
        parent.communities.append(request.communityID)
      }
      _ = finishPublish(&draft, parent: &parent)
    } else if let record = state.records[recordID], var parent = state.parents[record.parentID] {
      if !parent.communities.contains(request.communityID) {
        parent.communities.append(request.communityID)
      }
      state.parents[parent.id] = parent
    }
    save()
    return request
  }

  /// `POST /api/requests/{id}/actions/{action}`: `cancel` by the submitter; `accept` and
  /// `decline` by the community's owner.
  func act(_ id: String, action: String, user: Int, comment: String?) throws(APIError)
    -> ReviewRequest
  {
    var request = try request(id, user: user)
    let curator = state.communities[request.communityID]?.owner == user
    guard request.isOpen else { throw APIError.badRequest("The request is not open.") }
    switch action {
    case "cancel":
      request.status = "cancelled"
      request.events.append(Self.event("L", "cancelled", user: user))
    case "accept" where curator && request.status == "submitted":
      return try accept(request, by: user, comment: comment)
    case "decline" where curator && request.status == "submitted":
      request.status = "declined"
      request.events.append(Self.event("L", "declined", user: user))
    default:
      throw .permissionDenied
    }
    request.updated = Clock.timestamp()
    request.revision += 1
    state.requests[request.id] = request
    if let draft = state.drafts[request.recordID], var parent = state.parents[draft.parentID],
      parent.reviewID == request.id, action == "cancel"
    {
      parent.reviewID = nil
      state.parents[parent.id] = parent
    }
    save()
    return request
  }

  /// The latest published versions in a community (`GET /api/communities/{id}/records`).
  func communityRecords(_ slugOrID: String, _ parameters: SearchParameters) throws(APIError)
    -> SearchPage
  {
    guard let community = community(slugOrID) else { throw APIError.unknownID }
    var hits = state.parents.values.filter { $0.communities.contains(community.id) }
      .compactMap { $0.versions.last.flatMap { state.records[$0] } }
      .map { makeView($0, isDraft: false) }
    hits.sort { $0.version.created > $1.version.created }
    let start = min(hits.count, (parameters.page - 1) * parameters.size)
    let page = Array(hits[start..<min(hits.count, start + parameters.size)])
    return SearchPage(hits: page, total: hits.count)
  }

  // MARK: Inclusion of published records

  /// An open inclusion request for a published record.
  func openInclusion(_ recordID: Int, community: Community) -> ReviewRequest {
    let now = Clock.timestamp()
    let request = ReviewRequest(
      id: UUID().uuidString.lowercased(), communityID: community.id, status: "submitted",
      recordID: recordID, created: now, updated: now, type: "community-inclusion",
      createdBy: state.records[recordID]?.owner ?? 0, number: state.requests.count + 1,
      revision: 1, title: state.records[recordID]?.metadata["title"]?.string ?? "")
    state.requests[request.id] = request
    return request
  }

  /// `POST /api/records/{id}/communities`: one result per community, processed or an error.
  func include(_ id: Int, user: Int, entries: [JSON]) throws(APIError) -> (
    processed: [(Community, ReviewRequest)], errors: [(String, String)]
  ) {
    guard let record = state.records[id] else { throw APIError.notRegistered }
    guard may(user, record.owner) else { throw .permissionDenied }
    if entries.isEmpty || entries.count > 10 {
      throw .validation([
        FieldError(field: "communities", messages: ["Length must be between 1 and 10."])
      ])
    }
    var processed: [(Community, ReviewRequest)] = []
    var errors: [(String, String)] = []
    for entry in entries {
      let key = entry["id"]?.string ?? ""
      guard let community = community(key) else {
        errors.append((key, "Community not found."))
        continue
      }
      let parent = state.parents[record.parentID]
      if parent?.communities.contains(community.id) == true {
        errors.append((community.id, "The record is already included in this community."))
        continue
      }
      if state.requests.values.contains(where: {
        $0.recordID == id && $0.communityID == community.id && $0.isOpen
      }) {
        errors.append(
          (community.id, "There is already an open inclusion request for this community."))
        continue
      }
      var request = openInclusion(id, community: community)
      if entry["require_review"] != .bool(true) && community.owner == user {
        request = try accept(request, by: user, comment: nil)
      }
      processed.append((community, request))
    }
    save()
    return (processed, errors)
  }
}
