import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Counts the bytes of one exchange for the request log.
final class ByteCounter {
  var incoming: Int64 = 0
  var outgoing: Int64 = 0
}

/// Answers every request: knobs first (rate limit, injected faults, both before any state
/// change), then authentication, then the deposit API routes.
struct EmulatorResponder: HTTPResponder {
  typealias Context = EmulatorContext

  let configuration: EmulatorConfiguration
  let store: DepositStore
  let serializer: Locked<Serializer?>
  let log: RequestLog?
  let faults: FaultInjector
  let limiter: RateLimiter?

  func respond(to request: Request, context: EmulatorContext) async throws -> Response {
    let counter = ByteCounter()
    let query = Self.queryItems(request.uri.query)
    let token = Self.token(request, query: query)
    let user = token.flatMap { token in configuration.users.first { $0.token == token } }
    var rateHeaders = HTTPFields()
    var response: Response
    var fault: String?

    if let limiter {
      // Keyed on the token when there is one, else the client address; never logged.
      let decision = limiter.check(
        key: token.map { "token:" + $0 } ?? "ip:" + context.remoteAddress)
      rateHeaders[HTTPField.Name("X-RateLimit-Limit")!] = String(limiter.limit)
      rateHeaders[HTTPField.Name("X-RateLimit-Remaining")!] = String(decision.remaining)
      rateHeaders[HTTPField.Name("X-RateLimit-Reset")!] = String(decision.reset)
      if !decision.allowed {
        var limited = Self.text(429, "\(limiter.limit) per 1 minute", counter: counter)
        limited.headers[.retryAfter] = String(decision.retryAfter)
        fault = "rate-limit"
        response = limited
        return finish(
          response, request: request, rateHeaders: rateHeaders, counter: counter, user: user,
          fault: fault)
      }
    }

    if let injected = faults.next() {
      switch injected {
      case .status(let code):
        response = Self.json(code, Self.errorBody(code), counter: counter)
        if code == 429 { response.headers[.retryAfter] = "1" }
        fault = "status-\(code)"
      case .drop:
        // Close the connection before any byte of a response goes out, like a proxy reset.
        try? await context.channel.close()
        response = Response(status: .badGateway)
        fault = "drop"
      }
      return finish(
        response, request: request, rateHeaders: rateHeaders, counter: counter, user: user,
        fault: fault)
    }

    do {
      response = try await route(request, query: query, user: user, counter: counter)
    } catch let error as APIError {
      response = Self.json(error.status, error.body, counter: counter)
    } catch {
      response = Self.json(500, Self.errorBody(500), counter: counter)
    }
    return finish(
      response, request: request, rateHeaders: rateHeaders, counter: counter, user: user, fault: nil
    )
  }

  private func finish(
    _ response: Response, request: Request, rateHeaders: HTTPFields, counter: ByteCounter,
    user: EmulatorUser?,
    fault: String?
  ) -> Response {
    var response = response
    for field in rateHeaders { response.headers[field.name] = field.value }
    log?.write(
      RequestLog.Entry(
        time: Clock.timestamp(), method: request.method.rawValue, path: request.uri.path,
        status: fault == "drop" ? 0 : response.status.code, bytesIn: counter.incoming,
        bytesOut: counter.outgoing,
        user: user?.name,
        fault: fault))
    return response
  }

  // MARK: Routing

  private func route(
    _ request: Request, query: [String: String], user: EmulatorUser?, counter: ByteCounter
  ) async throws -> Response {
    let raw = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    let segments = raw.map { String($0).removingPercentEncoding ?? String($0) }
    guard let serializer = serializer.withLock({ $0 }) else { throw APIError.noResult }
    let method = request.method
    guard segments.first == "api" else { throw Self.noRoute }
    let path = Array(segments.dropFirst())

    // Published records are public; everything else needs a token.
    if path.count >= 2, path[0] == "records", let id = Int(path[1]) {
      return try await records(
        request, id: id, rest: Array(path.dropFirst(2)), user: user, serializer: serializer,
        counter: counter)
    }
    guard let user else { throw APIError.permissionDenied }

    switch (path.first, path.count) {
    case ("deposit", _) where path.count >= 2 && path[1] == "depositions":
      return try await depositions(
        request, path: Array(path.dropFirst(2)), query: query, user: user, serializer: serializer,
        counter: counter)
    case ("files", 2):
      guard method == .get else { throw APIError.methodNotAllowed }
      let view = try await store.bucketView(path[1], user: user.id)
      return Self.json(200, serializer.bucket(view), counter: counter)
    case ("files", 3):
      return try await bucketObject(
        request, bucket: path[1], key: path[2], user: user, serializer: serializer, counter: counter
      )
    default:
      throw Self.noRoute
    }
  }

  static let noRoute = APIError.notFound(
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."
  )

  private func depositions(
    _ request: Request, path: [String], query: [String: String], user: EmulatorUser,
    serializer: Serializer,
    counter: ByteCounter
  ) async throws -> Response {
    let method = request.method
    if path.isEmpty {
      switch method {
      case .get:
        let parameters = try Self.searchParameters(query)
        let hits = await store.search(user: user.id, parameters)
        return Self.json(200, .array(hits.map(serializer.deposition)), counter: counter)
      case .post:
        let body = try await Self.jsonBody(request, counter: counter)
        let metadata = try Self.metadata(from: body, requireMetadata: false)
        let view = await store.create(owner: user.id, metadata: metadata)
        return Self.deposition(201, view, serializer: serializer, counter: counter)
      default:
        throw APIError.methodNotAllowed
      }
    }
    guard let id = Int(path[0]) else { throw APIError.unknownID }
    let ifMatch = request.headers[.ifMatch].flatMap {
      Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/")))
    }

    switch (path.count, method) {
    case (1, .get):
      return Self.deposition(
        200, try await store.view(id, user: user.id), serializer: serializer, counter: counter)
    case (1, .put):
      _ = try await store.view(id, user: user.id)
      let body = try await Self.jsonBody(request, counter: counter)
      let metadata = try Self.metadata(from: body, requireMetadata: true)
      let view = try await store.update(id, user: user.id, metadata: metadata, ifMatch: ifMatch)
      return Self.deposition(200, view, serializer: serializer, counter: counter)
    case (1, .delete):
      try await store.deleteDraft(id, user: user.id, ifMatch: ifMatch)
      return Self.empty(204)
    case (1, _):
      throw APIError.methodNotAllowed
    case (3, .post) where path[1] == "actions":
      switch path[2] {
      case "publish":
        return Self.deposition(
          202, try await store.publish(id, user: user.id), serializer: serializer, counter: counter)
      case "edit":
        return Self.deposition(
          201, try await store.edit(id, user: user.id), serializer: serializer, counter: counter)
      case "discard":
        try await store.deleteDraft(id, user: user.id, ifMatch: nil)
        return Self.empty(204)
      case "newversion":
        return Self.deposition(
          201, try await store.newVersion(id, user: user.id), serializer: serializer,
          counter: counter)
      default:
        throw Self.noRoute
      }
    case (2, _) where path[1] == "files":
      switch method {
      case .get:
        let view = try await store.view(id, user: user.id)
        return Self.json(
          200, .array(view.version.files.map { serializer.depositionFile($0, depositID: id) }),
          counter: counter)
      case .post:
        return try await multipartUpload(
          request, id: id, user: user, serializer: serializer, counter: counter)
      case .put:
        _ = try await store.view(id, user: user.id)
        throw APIError.methodNotAllowed
      default:
        throw APIError.methodNotAllowed
      }
    case (3, _) where path[1] == "files":
      let fileID = path[2]
      switch method {
      case .get:
        let view = try await store.view(id, user: user.id)
        guard let file = view.version.files.first(where: { $0.id == fileID }) else {
          throw APIError.notFound("File does not exist.")
        }
        return Self.json(200, serializer.depositionFile(file, depositID: id), counter: counter)
      case .delete:
        try await store.deleteFile(id, fileID: fileID, user: user.id)
        return Self.empty(204)
      case .put:
        _ = try await store.view(id, user: user.id)
        throw APIError.methodNotAllowed
      default:
        throw APIError.methodNotAllowed
      }
    default:
      throw Self.noRoute
    }
  }

  private func records(
    _ request: Request, id: Int, rest: [String], user: EmulatorUser?, serializer: Serializer,
    counter: ByteCounter
  ) async throws -> Response {
    guard request.method == .get else { throw APIError.methodNotAllowed }
    // `/records/{id}/draft/files/{key}/content`: the download link of deposition files.
    if rest.count == 4, rest[0] == "draft", rest[1] == "files", rest[3] == "content" {
      let file: StoredFile?
      if let user, let view = try? await store.view(id, user: user.id) {
        file = view.version.files.first { $0.key == rest[2] }
      } else {
        file = await store.record(id)?.files.first { $0.key == rest[2] }
      }
      guard let file else { throw APIError.notFound("File does not exist.") }
      return try await download(file, counter: counter)
    }
    guard rest.isEmpty else { throw Self.noRoute }
    guard let record = await store.record(id) else { throw APIError.unknownID }
    let view = DepositView(version: record, isDraft: false, isPublished: true)
    return Self.json(200, serializer.deposition(view), counter: counter)
  }

  // MARK: Files

  private func bucketObject(
    _ request: Request, bucket: String, key: String, user: EmulatorUser, serializer: Serializer,
    counter: ByteCounter
  ) async throws -> Response {
    // A key with a slash has no route in zenodo-rdm's bucket API (§5.1).
    if key.contains("/") || key.isEmpty { throw Self.noRoute }
    switch request.method {
    case .get:
      let view = try await store.bucketView(bucket, user: user.id)
      guard let file = view.version.files.first(where: { $0.key == key }) else {
        throw APIError.notFound("Object does not exist.")
      }
      return try await download(file, counter: counter)
    case .delete:
      try await store.deleteBucketObject(bucket: bucket, key: key, user: user.id)
      return Self.empty(204)
    case .put:
      if let type = request.headers[.contentType],
        Self.mediaType(type) != "application/octet-stream"
      {
        throw APIError.unsupportedMediaType("application/octet-stream")
      }
      let declared = request.headers[.contentLength].flatMap { Int64($0) }
      let target = try await store.prepareUpload(
        bucket: bucket, key: key, user: user.id, declaredLength: declared)
      let limit = await store.remainingBytes(target)
      let (temporary, size, md5) = try await receive(request.body, limit: limit, counter: counter)
      if size == 0 {
        try? FileManager.default.removeItem(at: temporary)
        throw APIError.badRequest("Empty files are not accepted.")
      }
      let file: StoredFile
      do {
        file = try await store.commitUpload(
          depositID: target.depositID, key: key, user: user.id, temporary: temporary, size: size,
          md5: md5)
      } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
      }
      return Self.json(201, serializer.bucketObject(file, bucket: bucket), counter: counter)
    default:
      throw APIError.methodNotAllowed
    }
  }

  /// Streams a body to a temporary file, hashing as it goes; never holds more than a chunk.
  private func receive(
    _ body: RequestBody, limit: Int64, counter: ByteCounter
  ) async throws -> (URL, Int64, String) {
    let temporary = await store.uploadDirectory.appendingPathComponent(UUID().uuidString)
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporary.path)
    else { throw APIError.badRequest("The upload could not be stored.") }
    defer { try? handle.close() }
    var digest = MD5Digest()
    var size: Int64 = 0
    do {
      for try await buffer in body {
        size += Int64(buffer.readableBytes)
        counter.incoming = size
        if size > limit {
          throw size > (await store.fileLimits.maxFileBytes)
            ? APIError.badRequest("File size limit exceeded.")
            : APIError.badRequest("Bucket quota exceeded.")
        }
        try buffer.withUnsafeReadableBytes { bytes in
          digest.update(bytes)
          try Self.writeAll(handle.fileDescriptor, bytes)
        }
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    return (temporary, size, digest.finish())
  }

  private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw APIError.badRequest("The upload could not be stored.")
      }
      offset += written
    }
  }

  private func download(_ file: StoredFile, counter: ByteCounter) async throws -> Response {
    let url = await store.blobDirectory.appendingPathComponent(file.blob)
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      throw APIError.notFound("File does not exist.")
    }
    counter.outgoing = file.size
    var headers = HTTPFields()
    headers[.contentType] = file.mimetype
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody(contentLength: Int(file.size)) { writer in
        defer { try? handle.close() }
        while true {
          let data = handle.readData(ofLength: 1 << 20)
          if data.isEmpty { break }
          try await writer.write(ByteBuffer(bytes: data))
        }
        try await writer.finish(nil)
      })
  }

  private func multipartUpload(
    _ request: Request, id: Int, user: EmulatorUser, serializer: Serializer, counter: ByteCounter
  ) async throws -> Response {
    _ = try await store.view(id, user: user.id)
    guard let type = request.headers[.contentType], Self.mediaType(type) == "multipart/form-data",
      let boundary = Multipart.boundary(type)
    else { throw APIError.unsupportedMediaType("multipart/form-data") }
    var request = request
    let buffer: ByteBuffer
    do {
      buffer = try await request.collectBody(upTo: configuration.maxMultipartBytes)
    } catch {
      throw APIError.payloadTooLarge
    }
    counter.incoming = Int64(buffer.readableBytes)
    let parts = Multipart.parse(Data(buffer.readableBytesView), boundary: boundary)
    guard let filePart = parts.first(where: { $0.name == "file" }) else {
      throw APIError.badRequest("Missing file in request.")
    }
    let nameField = parts.first { $0.name == "name" }.map {
      String(decoding: $0.body, as: UTF8.self)
    }
    let key = Multipart.secureFilename(nameField ?? filePart.filename ?? "")
    guard !key.isEmpty else { throw APIError.badRequest("Missing file name.") }
    if filePart.body.isEmpty { throw APIError.badRequest("Empty files are not accepted.") }
    _ = try await store.prepareDepositUpload(
      id, key: key, user: user.id, size: Int64(filePart.body.count))
    let temporary = await store.uploadDirectory.appendingPathComponent(UUID().uuidString)
    try filePart.body.write(to: temporary)
    var digest = MD5Digest()
    filePart.body.withUnsafeBytes { digest.update($0) }
    let file: StoredFile
    do {
      file = try await store.commitUpload(
        depositID: id, key: key, user: user.id, temporary: temporary,
        size: Int64(filePart.body.count),
        md5: digest.finish())
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    return Self.json(201, serializer.depositionFile(file, depositID: id), counter: counter)
  }

  // MARK: Helpers

  static func queryItems(_ query: String?) -> [String: String] {
    var items: [String: String] = [:]
    for pair in (query ?? "").split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
          ?? String(text)
      }
      let name = decode(parts[0])
      if items[name] == nil { items[name] = parts.count > 1 ? decode(parts[1]) : "" }
    }
    return items
  }

  static func token(_ request: Request, query: [String: String]) -> String? {
    if let header = request.headers[.authorization] {
      let parts = header.split(separator: " ", maxSplits: 1)
      if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
    }
    return query["access_token"]
  }

  static func mediaType(_ header: String) -> String {
    header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
      ?? ""
  }

  static let sortKeys: Set<String> = [
    "bestmatch", "-bestmatch", "mostrecent", "-mostrecent", "newest", "oldest", "updated-desc",
    "updated-asc",
    "publication_date", "-publication_date", "version", "-version", "mostviewed", "-mostviewed",
    "mostdownloaded", "publication-desc", "publication-asc", "journal", "-journal",
    "conference_session",
    "-conference_session",
  ]

  static func searchParameters(_ query: [String: String]) throws -> DepositStore.SearchParameters {
    func flag(_ value: String?) -> Bool {
      guard let value else { return false }
      return value.isEmpty || ["true", "1", "yes"].contains(value.lowercased())
    }
    let allVersions = flag(query["all_versions"]) || flag(query["allversions"])
    let size = query["size"].flatMap { Int($0) } ?? 25
    let page = query["page"].flatMap { Int($0) } ?? 1
    var errors: [FieldError] = []
    if size > 100 {
      errors.append(FieldError(field: "size", messages: ["Page size cannot be greater than 100."]))
    }
    if size < 1 {
      errors.append(FieldError(field: "size", messages: ["Must be greater than or equal to 1."]))
    }
    if page < 1 {
      errors.append(FieldError(field: "page", messages: ["Must be greater than or equal to 1."]))
    }
    let q = query["q"] ?? ""
    var sort = query["sort"] ?? (q.isEmpty ? "newest" : "bestmatch")
    if !sortKeys.contains(sort) {
      errors.append(FieldError(field: "_schema", messages: ["Invalid sort option '\(sort)'."]))
    }
    if !errors.isEmpty { throw APIError.validation(errors) }
    if page * size > 10000 { throw APIError.badRequest("Invalid querystring parameters.") }
    if sort == "bestmatch" || sort == "-bestmatch" { sort = "newest" }
    return DepositStore.SearchParameters(
      query: SearchQuery.parse(q), allVersions: allVersions, sort: sort, page: page, size: size)
  }

  static func jsonBody(_ request: Request, counter: ByteCounter) async throws -> JSON {
    var request = request
    let buffer: ByteBuffer
    do {
      buffer = try await request.collectBody(upTo: 16 * 1024 * 1024)
    } catch {
      throw APIError.payloadTooLarge
    }
    counter.incoming = Int64(buffer.readableBytes)
    let type = request.headers[.contentType].map(mediaType)
    if buffer.readableBytes == 0 && type == nil { return .object([:]) }
    guard type == "application/json" else {
      throw APIError.unsupportedMediaType("application/json")
    }
    if buffer.readableBytes == 0 { return .object([:]) }
    guard let json = JSON.parse(Data(buffer.readableBytesView)) else {
      throw APIError.badRequest(
        "The browser (or proxy) sent a request that this server could not understand.")
    }
    return json
  }

  /// The outer schema: only `metadata` is accepted (unknown = RAISE), then lenient metadata.
  static func metadata(from body: JSON, requireMetadata: Bool) throws -> [String: JSON] {
    guard let members = body.object else {
      throw APIError.validation([FieldError(field: "_schema", messages: ["Invalid input type."])])
    }
    let unknown = members.keys.filter { $0 != "metadata" }.sorted()
    if !unknown.isEmpty {
      throw APIError.validation(unknown.map { FieldError(field: $0, messages: ["Unknown field."]) })
    }
    guard let metadata = members["metadata"] else {
      return requireMetadata ? try LegacyMetadata.normalise([:], today: Clock.today()) : [:]
    }
    guard let object = metadata.object else {
      throw APIError.validation([FieldError(field: "metadata", messages: ["Invalid input type."])])
    }
    return try LegacyMetadata.normalise(object, today: Clock.today())
  }

  static func deposition(
    _ status: Int, _ view: DepositView, serializer: Serializer, counter: ByteCounter
  ) -> Response {
    var response = json(status, serializer.deposition(view), counter: counter)
    response.headers[.eTag] = "\"\(view.version.revision)\""
    return response
  }

  static func json(_ status: Int, _ body: JSON, counter: ByteCounter) -> Response {
    let data = body.data
    counter.outgoing = Int64(data.count)
    return Response(
      status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(_ status: Int, _ body: String, counter: ByteCounter) -> Response {
    counter.outgoing = Int64(body.utf8.count)
    return Response(
      status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }

  static func empty(_ status: Int) -> Response {
    Response(status: HTTPResponse.Status(code: status))
  }

  static func errorBody(_ code: Int) -> JSON {
    let messages = [
      429: "Too many requests.", 500: "Internal server error.", 502: "Bad Gateway",
      503: "Service Unavailable",
    ]
    return .object(["status": .int(code), "message": .string(messages[code] ?? "Error")])
  }
}
