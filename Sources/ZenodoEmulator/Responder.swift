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
/// change), then authentication, then the records API or the legacy deposit API routes.
struct EmulatorResponder: HTTPResponder {
  typealias Context = EmulatorContext

  let configuration: EmulatorConfiguration
  let store: RecordStore
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
      rateHeaders[Self.field("X-RateLimit-Limit")] = String(limiter.limit)
      rateHeaders[Self.field("X-RateLimit-Remaining")] = String(decision.remaining)
      rateHeaders[Self.field("X-RateLimit-Reset")] = String(decision.reset)
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

    if let hostile = try await hostileResponse(request, context: context, counter: counter) {
      return finish(
        hostile, request: request, rateHeaders: rateHeaders, counter: counter, user: user,
        fault: "hostile-" + (configuration.hostile?.mode.rawValue ?? ""))
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
        status: fault == "drop" ? 0 : response.status.code,
        bytesIn: counter.incoming, bytesOut: counter.outgoing, user: user?.name,
        authorization: request.headers[.authorization] == nil ? nil : true, fault: fault))
    return response
  }

  // MARK: Routing

  private func route(
    _ request: Request, query: [String: String], user: EmulatorUser?, counter: ByteCounter
  ) async throws -> Response {
    let raw = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    let segments = raw.map { String($0).removingPercentEncoding ?? String($0) }
    guard let serializer = serializer.withLock({ $0 }) else { throw APIError.noResult }
    guard segments.first == "api" else { throw Self.noRoute }
    let path = Array(segments.dropFirst())
    let exchange = Exchange(
      request: request, query: query, user: user, serializer: serializer, counter: counter)

    switch path.first {
    case "records" where path.count >= 2:
      return try await records(exchange, id: path[1], rest: Array(path.dropFirst(2)))
    case "records" where path.count == 1:
      return try await searchRecords(exchange, user: nil)
    case "user" where path.count == 2 && path[1] == "records":
      guard let user else { throw APIError.permissionDenied }
      return try await searchRecords(exchange, user: user)
    case "communities":
      return try await communities(exchange, path: Array(path.dropFirst()))
    case "requests" where path.count >= 2:
      return try await requests(exchange, path: Array(path.dropFirst()))
    default:
      break
    }
    guard let user else { throw APIError.permissionDenied }
    switch (path.first, path.count) {
    case ("deposit", _) where path.count >= 2 && path[1] == "depositions":
      return try await depositions(exchange, user: user, path: Array(path.dropFirst(2)))
    case ("files", 2):
      guard request.method == .get else { throw APIError.methodNotAllowed }
      let view = try await store.bucketView(path[1], user: user.id)
      return Self.json(200, serializer.bucket(view), counter: counter)
    case ("files", 3):
      return try await bucketObject(exchange, user: user, bucket: path[1], key: path[2])
    default:
      throw Self.noRoute
    }
  }

  static let noRoute = APIError.notFound(
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."
  )

  static func field(_ name: String) -> HTTPField.Name {
    HTTPField.Name(name) ?? .contentType
  }
}

/// One request with what every route needs.
struct Exchange {
  var request: Request
  var query: [String: String]
  var user: EmulatorUser?
  var serializer: Serializer
  var counter: ByteCounter

  var method: HTTPRequest.Method { request.method }

  /// The `If-Match` revision, if sent.
  var ifMatch: Int? {
    request.headers[.ifMatch].flatMap {
      Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/")))
    }
  }
}

extension EmulatorResponder {
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

  /// Parses a search query string; `guest` lowers the page-size cap to 25.
  static func searchParameters(_ query: [String: String], guest: Bool = false) throws
    -> SearchParameters
  {
    func flag(_ value: String?) -> Bool? {
      guard let value else { return nil }
      return value.isEmpty || ["true", "1", "yes"].contains(value.lowercased())
    }
    let allVersions = flag(query["all_versions"]) ?? flag(query["allversions"]) ?? false
    let size = query["size"].flatMap { Int($0) } ?? 25
    let page = query["page"].flatMap { Int($0) } ?? 1
    var errors: [FieldError] = []
    if guest && size > 25 {
      errors.append(
        FieldError(
          field: "size",
          messages: [
            "Page size cannot be greater than 25. Please use authenticated requests to increase the limit to 100."
          ]))
    } else if size > 100 {
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
    return SearchParameters(
      query: SearchQuery.parse(q), allVersions: allVersions, sort: sort, page: page, size: size,
      sharedWithMe: flag(query["shared_with_me"]), isPublished: flag(query["is_published"]))
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
    // No Content-Type means JSON, as flask-resources' `default_content_type` has it on
    // zenodo.org (for both APIs: the legacy resources inherit the records resources' config).
    let type = request.headers[.contentType].map(mediaType) ?? "application/json"
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

  static func deposition(
    _ status: Int, _ view: RecordView, serializer: Serializer, counter: ByteCounter
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
