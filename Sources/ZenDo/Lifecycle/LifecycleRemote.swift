/// Every request `pull`, `status`, `list`, `discard` and the pointer of ``Adoption`` make, in
/// one place, over today's legacy deposit client (so that moving them onto another API is a
/// change of this file only).
extension ZenodoClient {
  /// Every deposition of the token's user matching `query` (all when nil), all versions when
  /// `allVersions`, paging until a short page.
  public func userDepositions(
    query: String? = nil, allVersions: Bool = true, pageSize: Int = 100, maxPages: Int = 1000
  ) async throws -> [Deposition] {
    var results: [Deposition] = []
    for page in 1...maxPages {
      var url = "\(baseURL)/deposit/depositions?size=\(pageSize)&page=\(page)"
      if allVersions { url += "&all_versions=true" }
      if let query { url += "&q=\(Self.percentEncode(query))" }
      let items = try await jsonArray("GET", url)
      results += items.compactMap(Deposition.init(json:))
      if items.count < pageSize { break }
    }
    return results
  }

  /// The deposition `id` when it is the user's; nil when Zenodo says it is not there or not
  /// theirs (404, 403, 410).
  public func ownDeposition(id: Int) async throws -> Deposition? {
    do {
      return try await deposition(id: id)
    } catch let error as ZenodoError where [403, 404, 410].contains(error.status ?? 0) {
      return nil
    }
  }

  /// The published record `id` as anyone sees it (`GET /api/records/{id}`, Zenodo JSON); nil
  /// when there is none (404, 410) or `id` is a concept (Zenodo redirects those).
  public func publicRecord(id: Int) async throws -> JSONObject? {
    do {
      return try await jsonObject("GET", "\(baseURL)/records/\(id)")
    } catch let error as ZenodoError where [301, 302, 404, 410].contains(error.status ?? 0) {
      return nil
    }
  }

  /// The published records (latest versions) matching `query` in the public search.
  public func publicRecords(query: String, size: Int = 25) async throws -> [JSONObject] {
    let url = "\(baseURL)/records?q=\(Self.percentEncode(query))&size=\(size)&sort=newest"
    let object = try await jsonObject("GET", url)
    return (object["hits"]?.objectValue?["hits"]?.arrayValue ?? []).compactMap(\.objectValue)
  }

  /// The status of the community review request of draft `id` (`created`, `submitted`,
  /// `accepted`, `declined`, ...); nil when the draft has none.
  public func reviewStatus(draftID id: Int) async throws -> String? {
    do {
      return try await jsonObject("GET", "\(baseURL)/records/\(id)/draft/review")["status"]?
        .stringValue
    } catch let error as ZenodoError where [403, 404, 410].contains(error.status ?? 0) {
      return nil
    }
  }

  /// Record `id` of the token's user in the records API's own JSON
  /// (`Accept: application/vnd.inveniordm.v1+json`): its draft when `draft`, else the published
  /// record; nil when Zenodo has none that this token may read (403, 404, 410).
  public func nativeRecord(id: Int, draft: Bool) async throws -> JSONObject? {
    let url = "\(baseURL)/records/\(id)" + (draft ? "/draft" : "")
    do {
      return try await jsonObject("GET", url, accept: "application/vnd.inveniordm.v1+json")
    } catch let error as ZenodoError where [403, 404, 410].contains(error.status ?? 0) {
      return nil
    }
  }

  /// Discards the open edit draft or pending new version of deposition `id`.
  public func discardEdit(id: Int) async throws {
    _ = try await send(
      "POST", "\(baseURL)/deposit/depositions/\(id)/actions/discard", idempotent: true)
  }

  /// Deletes the never-published deposition `id` (a new deposit or a new version draft) with
  /// its files.
  public func deleteDeposition(id: Int) async throws {
    _ = try await send("DELETE", "\(baseURL)/deposit/depositions/\(id)", idempotent: true)
  }

  private func jsonObject(
    _ method: String, _ url: String, accept: String = "application/json"
  ) async throws -> JSONObject {
    guard let object = try await jsonValue(method, url, accept: accept).objectValue else {
      throw ZenodoError.unexpectedResponse(
        method: method, path: Self.path(of: url), reason: "expected a JSON object")
    }
    return object
  }

  private func jsonArray(_ method: String, _ url: String) async throws -> [JSONValue] {
    guard let items = try await jsonValue(method, url).arrayValue else {
      throw ZenodoError.unexpectedResponse(
        method: method, path: Self.path(of: url), reason: "expected a JSON array")
    }
    return items
  }

  private func jsonValue(
    _ method: String, _ url: String, accept: String = "application/json"
  ) async throws -> JSONValue {
    let response = try await send(method, url, accept: accept, idempotent: true)
    do {
      return try ZenodoJSON.parse(response.body)
    } catch {
      throw ZenodoError.unexpectedResponse(
        method: method, path: Self.path(of: url), reason: "the body is not JSON (\(error))")
    }
  }
}

extension ZenodoClient {
  /// Whether concept `concept` has a published version the user can see (so an unpublished
  /// draft of it is a pending new version, not a new deposit).
  public func hasPublishedVersion(concept: String) async throws -> Bool {
    try await userDepositions(query: "conceptrecid:\(concept)").contains {
      $0.conceptRecordID == concept && $0.state != .unsubmitted
    }
  }
}
