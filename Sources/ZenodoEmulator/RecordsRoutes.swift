import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// How a records API response is serialised, from the `Accept` header (`docs/zenodo-rdm-api.md`
/// §1.2).
enum Representation {
  /// `application/vnd.inveniordm.v1+json`: the native dump plus `ui`.
  case native
  /// `application/json`, `*/*` or no Accept: Zenodo JSON.
  case zenodo

  static let recordTypes =
    "application/json, application/vnd.zenodo.v1+json, application/vnd.inveniordm.v1+json"

  /// The media types of an `Accept` header, best first.
  static func mediaTypes(_ header: String?) -> [String] {
    guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
    let items = header.split(separator: ",").map { item -> (String, Double) in
      let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap {
        Double($0.dropFirst(2))
      }
      return (parts.first?.lowercased() ?? "", quality ?? 1)
    }
    return items.enumerated().sorted {
      $0.element.1 == $1.element.1 ? $0.offset < $1.offset : $0.element.1 > $1.element.1
    }.map(\.element.0)
  }

  /// The representation for a record route, or 406.
  static func negotiate(_ header: String?) throws(APIError) -> Representation {
    let types = mediaTypes(header)
    if types.isEmpty { return .zenodo }
    for type in types {
      switch type {
      case "application/vnd.inveniordm.v1+json": return .native
      case "application/json", "application/vnd.zenodo.v1+json", "*/*", "application/*":
        return .zenodo
      default: continue
      }
    }
    throw .notAcceptable(recordTypes)
  }

  /// Checks `Accept` for routes that answer plain JSON; `native` says whether the InvenioRDM
  /// type is also accepted (draft files) or not (published files).
  static func requireJSON(_ header: String?, native: Bool) throws(APIError) {
    let types = mediaTypes(header)
    if types.isEmpty { return }
    var allowed: Set<String> = ["application/json", "*/*", "application/*"]
    if native { allowed.insert("application/vnd.inveniordm.v1+json") }
    if types.contains(where: allowed.contains) { return }
    throw .notAcceptable(
      native ? "application/json, application/vnd.inveniordm.v1+json" : "application/json")
  }
}

extension EmulatorResponder {
  /// Everything under `/api/records/{id}`.
  func records(_ exchange: Exchange, id text: String, rest: [String]) async throws -> Response {
    guard let id = Int(text) else { throw APIError.unknownID }
    switch rest.first {
    case nil:
      return try await readRecord(exchange, id: id)
    case "draft"
    where exchange.method == .get && rest.count >= 4 && rest[1] == "files" && rest.last == "content":
      return try await draftDownload(
        exchange, id: id, key: rest.dropFirst(2).dropLast().joined(separator: "/"))
    case "draft":
      guard let user = exchange.user else { throw APIError.permissionDenied }
      return try await draftRoutes(exchange, user: user, id: id, rest: Array(rest.dropFirst()))
    case "files":
      return try await recordFiles(exchange, id: id, rest: Array(rest.dropFirst()))
    case "versions":
      return try await versionRoutes(exchange, id: id, rest: Array(rest.dropFirst()))
    case "formats" where rest.count == 1:
      return try await extraFormats(exchange, id: id, user: exchange.user)
    case "communities" where rest.count == 1:
      return try await recordCommunities(exchange, id: id)
    case "access" where rest.count == 1 && exchange.method == .put:
      guard let user = exchange.user else { throw APIError.permissionDenied }
      let representation = try Representation.negotiate(exchange.request.headers[.accept])
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let view = try await store.updateAccessSettings(id, user: user.id, body: body)
      return item(200, view, representation, exchange)
    case "requests" where rest.count == 1:
      guard let user = exchange.user else { throw APIError.permissionDenied }
      let view = try await store.view(id, user: user.id)
      let requests = view.review.map { [exchange.serializer.request($0)] } ?? []
      return Self.json(
        200, .object(["hits": .object(["hits": .array(requests), "total": .int(requests.count)])]),
        counter: exchange.counter)
    default:
      throw Self.noRoute
    }
  }

  /// `GET /api/records/{id}`: a published record, or a 302 from a parent id to its latest.
  private func readRecord(_ exchange: Exchange, id: Int) async throws -> Response {
    guard exchange.method == .get else { throw APIError.methodNotAllowed }
    let representation = try Representation.negotiate(exchange.request.headers[.accept])
    if await store.record(id) == nil, let latest = await store.latestOfParent(id) {
      var response = Self.empty(302)
      response.headers[.location] = "\(exchange.serializer.apiBase)/records/\(latest)"
      return response
    }
    let view = try await store.recordView(id)
    var response = item(200, view, representation, exchange)
    response.headers[Self.field("Link")] =
      "<\(exchange.serializer.apiBase)/records/\(id)>; rel=\"linkset\""
    return response
  }

  /// A record or draft response in the negotiated representation, with its ETag.
  func item(
    _ status: Int, _ view: RecordView, _ representation: Representation, _ exchange: Exchange
  )
    -> Response
  {
    let body: JSON =
      representation == .native
      ? .object(exchange.serializer.native(view)) : exchange.serializer.zenodo(view)
    var response = Self.json(status, body, counter: exchange.counter)
    response.headers[.eTag] = "\"\(view.version.revision)\""
    return response
  }

  /// `POST /api/records`: a new draft from a native body.
  func createDraft(_ exchange: Exchange, user: EmulatorUser) async throws -> Response {
    let representation = try Representation.negotiate(exchange.request.headers[.accept])
    let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
    var loaded = RecordBody.load(body)
    let review = loaded.review
    loaded.review = nil
    var view = try await store.create(owner: user.id, body: loaded)
    if let review {
      _ = try await store.putReview(view.version.id, user: user.id, body: .object(review))
      let errors = view.errors
      view = try await store.draftView(view.version.id, user: user.id)
      view.errors = errors
    }
    return item(201, view, representation, exchange)
  }

  // MARK: Drafts

  private func draftRoutes(_ exchange: Exchange, user: EmulatorUser, id: Int, rest: [String])
    async throws -> Response
  {
    switch rest.first {
    case nil:
      return try await draft(exchange, user: user, id: id)
    case "actions" where rest.count == 2:
      return try await draftAction(exchange, user: user, id: id, action: rest[1])
    case "files":
      return try await draftFiles(exchange, user: user, id: id, rest: Array(rest.dropFirst()))
    case "pids" where rest.count == 2 && rest[1] == "doi":
      let representation = try Representation.negotiate(exchange.request.headers[.accept])
      switch exchange.method {
      case .post:
        return item(201, try await store.reserveDOI(id, user: user.id), representation, exchange)
      case .delete:
        return item(200, try await store.discardDOI(id, user: user.id), representation, exchange)
      default: throw APIError.methodNotAllowed
      }
    case "pids" where rest.count == 2:
      throw APIError.validation([
        FieldError(field: "pids", messages: ["Invalid persistent identifier scheme."])
      ])
    case "review" where rest.count == 1:
      return try await review(exchange, user: user, id: id)
    default:
      throw Self.noRoute
    }
  }

  private func draft(_ exchange: Exchange, user: EmulatorUser, id: Int) async throws -> Response {
    let representation = try Representation.negotiate(exchange.request.headers[.accept])
    switch exchange.method {
    case .get:
      return item(200, try await store.draftView(id, user: user.id), representation, exchange)
    case .put:
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let view = try await store.update(
        id, user: user.id, body: RecordBody.load(body), ifMatch: exchange.ifMatch)
      return item(200, view, representation, exchange)
    case .post:
      return item(201, try await store.edit(id, user: user.id), representation, exchange)
    case .delete:
      try await store.deleteDraft(id, user: user.id, ifMatch: exchange.ifMatch)
      return Self.empty(204)
    default:
      throw APIError.methodNotAllowed
    }
  }

  private func draftAction(_ exchange: Exchange, user: EmulatorUser, id: Int, action: String)
    async throws -> Response
  {
    guard exchange.method == .post else { throw APIError.methodNotAllowed }
    switch action {
    case "publish":
      let representation = try Representation.negotiate(exchange.request.headers[.accept])
      return item(202, try await store.publish(id, user: user.id), representation, exchange)
    case "files-import":
      try Representation.requireJSON(exchange.request.headers[.accept], native: true)
      let view = try await store.importFiles(id, user: user.id)
      return Self.json(
        201, exchange.serializer.fileList(view.version, draft: true), counter: exchange.counter)
    case "submit-review":
      try Representation.requireJSON(exchange.request.headers[.accept], native: true)
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let request = try await store.submitReview(
        id, user: user.id, requireReview: body["require_review"] == .bool(true),
        comment: body["payload"]?["content"]?.string)
      return Self.json(202, exchange.serializer.request(request), counter: exchange.counter)
    default:
      throw Self.noRoute
    }
  }

  private func review(_ exchange: Exchange, user: EmulatorUser, id: Int) async throws -> Response {
    try Representation.requireJSON(exchange.request.headers[.accept], native: true)
    switch exchange.method {
    case .get:
      let request = try await store.review(id, user: user.id)
      return Self.json(200, exchange.serializer.request(request), counter: exchange.counter)
    case .put:
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let request = try await store.putReview(id, user: user.id, body: body)
      return Self.json(200, exchange.serializer.request(request), counter: exchange.counter)
    case .delete:
      try await store.deleteReview(id, user: user.id)
      return Self.empty(204)
    default:
      throw APIError.methodNotAllowed
    }
  }

  // MARK: Versions

  private func versionRoutes(_ exchange: Exchange, id: Int, rest: [String]) async throws
    -> Response
  {
    let representation = try Representation.negotiate(exchange.request.headers[.accept])
    switch (rest.first, exchange.method) {
    case (nil, .post):
      guard let user = exchange.user else { throw APIError.permissionDenied }
      return item(201, try await store.newVersion(id, user: user.id), representation, exchange)
    case (nil, .get):
      let parameters = try Self.searchParameters(exchange.query, guest: exchange.user == nil)
      let views = try await store.versions(of: id)
      let start = min(views.count, (parameters.page - 1) * parameters.size)
      let page = Array(views[start..<min(views.count, start + parameters.size)])
      let link = "\(exchange.serializer.apiBase)/records/\(id)/versions"
      return searchResponse(
        SearchPage(hits: page, total: views.count), parameters, representation, exchange,
        link: link, sortBy: "version")
    case ("latest", .get) where rest.count == 1:
      let latest = try await store.latestVersion(of: id)
      let location = "\(exchange.serializer.apiBase)/records/\(latest)"
      var response = Self.json(
        301,
        .object([
          "status": .int(301), "message": "Redirecting...", "location": .string(location),
        ]), counter: exchange.counter)
      response.headers[.location] = location
      return response
    default:
      throw APIError.methodNotAllowed
    }
  }

  // MARK: Search

  /// `GET /api/records` (`user` nil) or `GET /api/user/records`; `POST /api/records` creates.
  func searchRecords(_ exchange: Exchange, user: EmulatorUser?) async throws -> Response {
    if exchange.method == .post, exchange.request.uri.path.hasSuffix("/records"), user == nil {
      guard let owner = exchange.user else { throw APIError.permissionDenied }
      return try await createDraft(exchange, user: owner)
    }
    guard exchange.method == .get else { throw APIError.methodNotAllowed }
    let representation = try Representation.negotiate(exchange.request.headers[.accept])
    let parameters = try Self.searchParameters(exchange.query, guest: exchange.user == nil)
    let page: SearchPage
    let link: String
    if let user {
      page = await store.searchUser(user.id, parameters)
      link = "\(exchange.serializer.apiBase)/user/records"
    } else {
      page = await store.searchPublic(parameters)
      link = "\(exchange.serializer.apiBase)/records"
    }
    return searchResponse(
      page, parameters, representation, exchange, link: link, sortBy: parameters.sort)
  }

  func searchResponse(
    _ page: SearchPage, _ parameters: SearchParameters, _ representation: Representation,
    _ exchange: Exchange, link: String, sortBy: String
  ) -> Response {
    let hits: [JSON] = page.hits.map {
      representation == .native
        ? .object(exchange.serializer.native($0)) : exchange.serializer.zenodo($0)
    }
    func pageLink(_ number: Int) -> JSON {
      .string("\(link)?page=\(number)&size=\(parameters.size)&sort=\(sortBy)")
    }
    var links: [String: JSON] = ["self": pageLink(parameters.page)]
    if parameters.page * parameters.size < page.total {
      links["next"] = pageLink(parameters.page + 1)
    }
    if parameters.page > 1 { links["prev"] = pageLink(parameters.page - 1) }
    var body: [String: JSON] = [
      "hits": .object(["hits": .array(hits), "total": .int(page.total)]),
      "aggregations": .object([:]), "links": .object(links),
    ]
    if representation == .native { body["sortBy"] = .string(sortBy) }
    return Self.json(200, .object(body), counter: exchange.counter)
  }
}
