import Foundation

/// The parsed query string of a search route.
struct SearchParameters: Sendable {
  var query: SearchQuery
  var allVersions: Bool
  var sort: String
  var page: Int
  var size: Int
  /// `shared_with_me`: `nil` for both, `true` for only shared, `false` for only owned.
  var sharedWithMe: Bool? = nil
  /// The `is_published` filter, if given.
  var isPublished: Bool? = nil
}

/// One page of hits and the total before paging.
struct SearchPage: Sendable {
  var hits: [RecordView]
  var total: Int
}

extension RecordStore {
  /// `GET /api/user/records` and the legacy list: the user's drafts and records, a record with
  /// an open draft shown as the draft, one hit per parent unless `allversions`.
  func searchUser(_ user: Int, _ parameters: SearchParameters) -> SearchPage {
    // Nothing is ever shared in the emulator, so "shared with me" is always empty.
    if parameters.sharedWithMe == true { return SearchPage(hits: [], total: 0) }
    // The cheap checks on the stored version come first, so that other users' and not yet
    // searchable versions cost no view.
    let now = Date().timeIntervalSince1970
    func visible(_ version: RecordVersion) -> Bool {
      version.owner == user && version.searchableAfter <= now
    }
    var candidates = state.drafts.values.filter(visible).map { makeView($0, isDraft: true) }
    for record in state.records.values where visible(record) && state.drafts[record.id] == nil {
      candidates.append(makeView(record, isDraft: false))
    }
    let hits = candidates.filter { view in
      (parameters.allVersions || view.isLatestDraft)
        && (parameters.isPublished.map { $0 == view.isPublished } ?? true)
        && (parameters.query == .all || document(view).matches(parameters.query))
    }
    return page(hits, parameters)
  }

  /// `GET /api/records`: published records, the latest version of each unless `allversions`.
  func searchPublic(_ parameters: SearchParameters) -> SearchPage {
    let now = Date().timeIntervalSince1970
    let hits = state.records.values.filter { $0.searchableAfter <= now }.map {
      makeView($0, isDraft: false)
    }.filter { view in
      (parameters.allVersions || view.isLatest)
        && (parameters.query == .all || document(view).matches(parameters.query))
    }
    return page(hits, parameters)
  }

  private func page(_ hits: [RecordView], _ parameters: SearchParameters) -> SearchPage {
    var hits = hits
    func key(_ view: RecordView) -> (String, Int) { (view.version.created, view.version.id) }
    func updated(_ view: RecordView) -> (String, Int) { (view.version.updated, view.version.id) }
    switch parameters.sort {
    case "oldest", "-mostrecent": hits.sort { key($0) < key($1) }
    case "updated-desc": hits.sort { updated($0) > updated($1) }
    case "updated-asc": hits.sort { updated($0) < updated($1) }
    case "version", "-version":
      hits.sort {
        ($0.version.versionIndex, $0.version.id) > ($1.version.versionIndex, $1.version.id)
      }
    default: hits.sort { key($0) > key($1) }
    }
    let start = (parameters.page - 1) * parameters.size
    guard start < hits.count else { return SearchPage(hits: [], total: hits.count) }
    return SearchPage(
      hits: Array(hits[start..<min(hits.count, start + parameters.size)]), total: hits.count)
  }

  /// The searchable fields of one draft or record, by their index paths.
  func document(_ view: RecordView) -> SearchDocument {
    let version = view.version
    let metadata = version.metadata
    func strings(_ list: String, _ path: String...) -> [String] {
      (metadata[list]?.array ?? []).compactMap { item in
        var current: JSON? = item
        for key in path { current = current?[key] }
        return current?.string
      }
    }
    func one(_ key: String) -> [String] { metadata[key]?.string.map { [$0] } ?? [] }
    let keywords: [String: [String]] = [
      "id": [String(version.id)],
      "parent.id": [String(version.parentID)],
      "parent.access.owned_by.user": [String(version.owner)],
      "is_published": [view.isPublished ? "true" : "false"],
      "is_draft": [view.isDraft ? "true" : "false"],
      "metadata.related_identifiers.identifier": strings("related_identifiers", "identifier"),
      "metadata.related_identifiers.scheme": strings("related_identifiers", "scheme"),
      "metadata.related_identifiers.relation_type.id": strings(
        "related_identifiers", "relation_type", "id"),
      "metadata.publication_date": one("publication_date"),
      "metadata.version": one("version"),
      "metadata.resource_type.id": metadata["resource_type"]?["id"]?.string.map { [$0] } ?? [],
      "pids.doi.identifier": version.pids["doi"]?["identifier"]?.string.map { [$0] } ?? [],
      "parent.pids.doi.identifier": view.parent.conceptDOI
        ? ["10.5281/zenodo.\(version.parentID)"] : [],
      "versions.is_latest": [view.isLatest ? "true" : "false"],
      "versions.index": [String(version.versionIndex)],
      "parent.communities.ids": view.parent.communities,
    ]
    let texts: [String: [String]] = [
      "metadata.title": one("title"),
      "metadata.description": one("description"),
      "metadata.creators.person_or_org.name": strings("creators", "person_or_org", "name"),
      "metadata.subjects.subject": strings("subjects", "subject"),
      "metadata.identifiers.identifier": strings("identifiers", "identifier"),
      "metadata.publisher": one("publisher"),
    ]
    return SearchDocument(keywords: keywords, texts: texts)
  }
}
