import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A file route's tail: the key (which may contain `/`) and an optional `content` or `commit`.
struct FilePath {
  var key: String
  var action: String?

  init(_ segments: [String]) {
    if let last = segments.last, segments.count > 1, last == "content" || last == "commit" {
      key = segments.dropLast().joined(separator: "/")
      action = last
    } else {
      key = segments.joined(separator: "/")
      action = nil
    }
  }
}

extension EmulatorResponder {
  // MARK: Draft files

  func draftFiles(_ exchange: Exchange, user: EmulatorUser, id: Int, rest: [String])
    async throws -> Response
  {
    let accept = exchange.request.headers[.accept]
    if rest.isEmpty {
      try Representation.requireJSON(accept, native: true)
      switch exchange.method {
      case .get:
        let view = try await store.draftView(id, user: user.id)
        return Self.json(
          200, exchange.serializer.fileList(view.version, draft: true), counter: exchange.counter)
      case .post:
        let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
        guard let entries = body.array else {
          throw APIError.validation([
            FieldError(field: "_schema", messages: ["Invalid input type."])
          ])
        }
        let view = try await store.initFiles(id, user: user.id, entries: entries)
        return Self.json(
          201, exchange.serializer.fileList(view.version, draft: true), counter: exchange.counter)
      case .delete:
        try await store.deleteFiles(id, key: nil, user: user.id)
        return Self.empty(204)
      default:
        throw APIError.methodNotAllowed
      }
    }
    let path = FilePath(rest)
    switch (path.action, exchange.method) {
    case ("content", .put):
      return try await uploadContent(exchange, user: user, id: id, key: path.key)
    case ("content", .get):
      return try await draftDownload(exchange, id: id, key: path.key)
    case ("commit", .post):
      try Representation.requireJSON(accept, native: true)
      let file = try await store.commitFile(id, key: path.key, user: user.id)
      return Self.json(
        200, exchange.serializer.fileEntry(file, recordID: id, draft: true),
        counter: exchange.counter)
    case (nil, _):
      try Representation.requireJSON(accept, native: true)
      return try await draftFile(exchange, user: user, id: id, key: path.key)
    default:
      throw APIError.methodNotAllowed
    }
  }

  private func draftFile(_ exchange: Exchange, user: EmulatorUser, id: Int, key: String)
    async throws -> Response
  {
    switch exchange.method {
    case .get:
      let view = try await store.draftView(id, user: user.id)
      guard let file = view.version.files.first(where: { $0.key == key }) else {
        throw APIError.notFound("File with key \(key) has not been initialized yet.")
      }
      return Self.json(
        200, exchange.serializer.fileEntry(file, recordID: id, draft: true),
        counter: exchange.counter)
    case .put:
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let file = try await store.updateFileMetadata(
        id, key: key, user: user.id, metadata: body["metadata"] ?? .null)
      return Self.json(
        200, exchange.serializer.fileEntry(file, recordID: id, draft: true),
        counter: exchange.counter)
    case .delete:
      try await store.deleteFiles(id, key: key, user: user.id)
      return Self.empty(204)
    default:
      throw APIError.methodNotAllowed
    }
  }

  /// `PUT …/draft/files/{key}/content`: streams the body; the file stays pending until commit.
  private func uploadContent(_ exchange: Exchange, user: EmulatorUser, id: Int, key: String)
    async throws -> Response
  {
    let request = exchange.request
    try Self.requireOctetStream(request)
    let declared = request.headers[.contentLength].flatMap { Int64($0) }
    let decision = try await store.prepareContent(
      id, key: key, user: user.id, declaredLength: declared)
    switch decision {
    case .transferFailed(let file):
      var entry = exchange.serializer.fileEntry(file, recordID: id, draft: true).object ?? [:]
      entry["errors"] = "File upload transfer failed."
      return Self.json(200, .object(entry), counter: exchange.counter)
    case .upload(let target):
      let (temporary, size, md5) = try await receive(
        request.body, target: target, counter: exchange.counter)
      let file: StoredFile
      do {
        file = try await store.storeContent(
          target, user: user.id, temporary: temporary, size: size, md5: md5)
      } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
      }
      return Self.json(
        200, exchange.serializer.fileEntry(file, recordID: id, draft: true),
        counter: exchange.counter)
    }
  }

  /// `GET …/draft/files/{key}/content`, also the legacy deposit API's download link: the
  /// owner's draft file, else the published record's file.
  func draftDownload(_ exchange: Exchange, id: Int, key: String) async throws -> Response {
    try Self.refuseOctetStream(exchange.request.headers[.accept])
    let file = try await store.downloadable(id, key: key, user: exchange.user?.id)
    return try await download(file, counter: exchange.counter)
  }

  static func refuseOctetStream(_ accept: String?) throws(APIError) {
    let types = Representation.mediaTypes(accept)
    if !types.isEmpty, !types.contains(where: { $0 != "application/octet-stream" }) {
      throw .notAcceptable("application/json, */*")
    }
  }

  static func committed(_ version: RecordVersion, key: String) throws(APIError) -> StoredFile {
    guard let file = version.files.first(where: { $0.key == key }), file.isCommitted else {
      throw APIError.notFound("File with key \(key) has not been initialized yet.")
    }
    return file
  }

  // MARK: Published files

  /// `/api/records/{id}/files…`: public reads of a published record's files.
  func recordFiles(_ exchange: Exchange, id: Int, rest: [String]) async throws -> Response {
    guard exchange.method == .get else { throw APIError.methodNotAllowed }
    let accept = exchange.request.headers[.accept]
    let view = try await store.recordView(id)
    if rest.isEmpty {
      try Representation.requireJSON(accept, native: false)
      return Self.json(
        200, exchange.serializer.fileList(view.version, draft: false), counter: exchange.counter)
    }
    let path = FilePath(rest)
    let file = try Self.committed(view.version, key: path.key)
    switch path.action {
    case "content":
      try Self.refuseOctetStream(accept)
      let owner = await store.may(exchange.user?.id, view.version.owner)
      if view.version.access["files"]?.string != "public" && !owner {
        throw APIError.permissionDenied
      }
      return try await download(file, counter: exchange.counter)
    case nil:
      try Representation.requireJSON(accept, native: false)
      return Self.json(
        200, exchange.serializer.fileEntry(file, recordID: id, draft: false),
        counter: exchange.counter)
    default:
      throw APIError.methodNotAllowed
    }
  }

  // MARK: Communities and requests

  /// `GET /api/communities/{slug or id}`.
  func communities(_ exchange: Exchange, path: [String]) async throws -> Response {
    guard exchange.method == .get else { throw APIError.methodNotAllowed }
    if path.count == 2, path[1] == "records" {
      let representation = try Representation.negotiate(exchange.request.headers[.accept])
      let parameters = try Self.searchParameters(exchange.query, guest: exchange.user == nil)
      let page = try await store.communityRecords(path[0], parameters)
      return searchResponse(
        page, parameters, representation, exchange,
        link: "\(exchange.serializer.apiBase)/communities/\(path[0])/records",
        sortBy: parameters.sort)
    }
    guard let key = path.first, path.count == 1 else {
      let all = await store.state.communities.values.sorted { $0.slug < $1.slug }
      return Self.json(
        200,
        .object([
          "hits": .object([
            "hits": .array(all.map(exchange.serializer.community)), "total": .int(all.count),
          ])
        ]), counter: exchange.counter)
    }
    guard let community = await store.community(key) else { throw APIError.unknownID }
    return Self.json(200, exchange.serializer.community(community), counter: exchange.counter)
  }

  /// `GET /api/requests/{id}` and `POST /api/requests/{id}/actions/{action}`.
  func requests(_ exchange: Exchange, path: [String]) async throws -> Response {
    guard let user = exchange.user else { throw APIError.permissionDenied }
    switch (path.count, exchange.method) {
    case (2, .get) where path[1] == "timeline":
      let request = try await store.request(path[0], user: user.id)
      let hits = request.events.map(exchange.serializer.event)
      return Self.json(
        200, .object(["hits": .object(["hits": .array(hits), "total": .int(hits.count)])]),
        counter: exchange.counter)
    case (1, .get):
      let request = try await store.request(path[0], user: user.id)
      return Self.json(200, exchange.serializer.request(request), counter: exchange.counter)
    case (3, .post) where path[1] == "actions":
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let request = try await store.act(
        path[0], action: path[2], user: user.id, comment: body["payload"]?["content"]?.string)
      return Self.json(200, exchange.serializer.request(request), counter: exchange.counter)
    default:
      throw Self.noRoute
    }
  }

  /// `GET/POST /api/records/{id}/communities`.
  func recordCommunities(_ exchange: Exchange, id: Int) async throws -> Response {
    switch exchange.method {
    case .get:
      let view = try await store.recordView(id)
      let hits = view.communities.map(exchange.serializer.community)
      return Self.json(
        200, .object(["hits": .object(["hits": .array(hits), "total": .int(hits.count)])]),
        counter: exchange.counter)
    case .post:
      guard let user = exchange.user else { throw APIError.permissionDenied }
      let body = try await Self.jsonBody(exchange.request, counter: exchange.counter)
      let result = try await store.include(
        id, user: user.id, entries: body["communities"]?.array ?? [])
      let processed: [JSON] = result.processed.map { community, request in
        .object([
          "community_id": .string(community.id), "request_id": .string(request.id),
          "request": exchange.serializer.request(request),
        ])
      }
      let errors: [JSON] = result.errors.map {
        .object(["community_id": .string($0.0), "message": .string($0.1)])
      }
      var answer: [String: JSON] = ["processed": .array(processed)]
      if !errors.isEmpty { answer["errors"] = .array(errors) }
      return Self.json(processed.isEmpty ? 400 : 200, .object(answer), counter: exchange.counter)
    default:
      throw APIError.methodNotAllowed
    }
  }
}
