/// A client for Zenodo's legacy deposit API (zenodo-api.md §3–§8), tolerant of both the
/// published docs and what zenodo.org answers today (§11): any 2xx where they disagree,
/// `links.latest_draft` after newversion, depositions always re-read through
/// `/deposit/depositions/{id}`, `errors[].message` and `errors[].messages`.
///
/// Idempotent requests are retried with back-off and jitter on connection errors, 5xx and
/// 429 (honouring `Retry-After` and `X-RateLimit-Reset`); non-idempotent ones (create,
/// newversion, publish) are retried only on 429 and otherwise fail with
/// `ZenodoError.uncertain`, so the caller can look before repeating them.
public struct ZenodoClient: Sendable {
  /// The API root, such as `https://zenodo.org/api`, without a trailing slash.
  public let baseURL: String
  private let token: ZenodoToken
  private let transport: any HTTPTransport
  private let clock: any SyncClock
  private let pacer: RequestPacer
  private let retry: RetryPolicy
  private let userAgent: String
  private let random: @Sendable () -> Double
  private let onRetry: (@Sendable (String) -> Void)?

  /// Creates a client; `onRetry` hears a one-line notice before each retry.
  public init(
    baseURL: String, token: ZenodoToken, transport: any HTTPTransport,
    clock: any SyncClock = SystemClock(), pacer: RequestPacer? = nil,
    retry: RetryPolicy = RetryPolicy(),
    random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
    onRetry: (@Sendable (String) -> Void)? = nil
  ) {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    self.baseURL = base
    self.token = token
    self.transport = transport
    self.clock = clock
    self.pacer = pacer ?? RequestPacer(clock: clock)
    self.retry = retry
    self.userAgent = "zen-do/\(zenDoVersion) (+\(zenDoRepository))"
    self.random = random
    self.onRetry = onRetry
  }

  // MARK: Depositions

  /// Every deposition of the token's user whose related identifiers mention `urn`, across
  /// all versions, paging until a short page.
  ///
  /// The server's search is only a search: callers
  /// re-check the hits.
  public func search(urn: String, pageSize: Int = 100, maxPages: Int = 100) async throws
    -> [Deposition]
  {
    try await search(urns: [urn], pageSize: pageSize, maxPages: maxPages)
  }

  /// Every deposition of the token's user whose related identifiers mention any of `urns`: one
  /// query ORing them, paged until a short page.
  public func search(urns: [String], pageSize: Int = 100, maxPages: Int = 100) async throws
    -> [Deposition]
  {
    var results: [Deposition] = []
    let query = urns.map { "related.identifier:\"\($0)\"" }.joined(separator: " OR ")
    for page in 1...maxPages {
      let url =
        "\(baseURL)/deposit/depositions?q=\(Self.percentEncode(query))"
        + "&all_versions=true&size=\(pageSize)&page=\(page)"
      let response = try await send("GET", url, idempotent: true)
      guard let items = try Self.json(response, "GET", url).arrayValue else {
        throw ZenodoError.unexpectedResponse(
          method: "GET", path: Self.path(of: url), reason: "expected a JSON array")
      }
      results += items.compactMap(Deposition.init(json:))
      if items.count < pageSize { break }
    }
    return results
  }

  /// Reads a deposition by id, always through `/deposit/depositions/{id}`.
  public func deposition(id: Int) async throws -> Deposition {
    try await depositionRequest("GET", "\(baseURL)/deposit/depositions/\(id)", idempotent: true)
  }

  /// Creates a deposition with `metadata`.
  ///
  /// Not idempotent.
  public func create(metadata: JSONObject) async throws -> Deposition {
    try await depositionRequest(
      "POST", "\(baseURL)/deposit/depositions",
      body: .object(JSONObject([("metadata", .object(metadata))])),
      idempotent: false)
  }

  /// Replaces the metadata of a draft (the full object: Zenodo's PUT is a replacement).
  public func update(id: Int, metadata: JSONObject) async throws -> Deposition {
    try await depositionRequest(
      "PUT", "\(baseURL)/deposit/depositions/\(id)",
      body: .object(JSONObject([("metadata", .object(metadata))])),
      idempotent: true)
  }

  /// Opens an edit draft of a published deposition (returns the existing one if open).
  public func edit(id: Int) async throws -> Deposition {
    try await depositionRequest("POST", action(id, "edit"), idempotent: true)
  }

  /// Publishes a draft.
  ///
  /// Not idempotent.
  public func publish(id: Int) async throws -> Deposition {
    try await depositionRequest("POST", action(id, "publish"), idempotent: false)
  }

  /// Starts a new version and returns the new draft, found through `links.latest_draft`
  /// (old Zenodo answered with the original deposit).
  ///
  /// Not idempotent.
  public func newVersion(id: Int) async throws -> Deposition {
    let url = action(id, "newversion")
    let answer = try await depositionRequest("POST", url, idempotent: false)
    guard let latest = answer.links["latest_draft"], let draftID = Self.trailingID(latest) else {
      throw ZenodoError.unexpectedResponse(
        method: "POST", path: Self.path(of: url), reason: "no links.latest_draft in the answer")
    }
    if draftID == answer.id, answer.state == .unsubmitted { return answer }
    return try await deposition(id: draftID)
  }

  /// Deletes a never-published draft (`DELETE /deposit/depositions/{id}`); one already gone
  /// counts as deleted.
  public func discard(id: Int) async throws {
    do {
      _ = try await send("DELETE", "\(baseURL)/deposit/depositions/\(id)", idempotent: true)
    } catch let error as ZenodoError where error.status == 404 || error.status == 410 {
      return
    }
  }

  /// Deletes a file of a draft.
  ///
  /// A file already gone counts as deleted.
  public func deleteFile(depositionID: Int, fileID: String) async throws {
    let url =
      "\(baseURL)/deposit/depositions/\(depositionID)/files/\(Self.percentEncode(fileID))"
    do {
      _ = try await send("DELETE", url, idempotent: true)
    } catch let error as ZenodoError where error.status == 404 {
      return
    }
  }

  /// Uploads a file to a bucket under `key`, streaming it from disk, and returns the MD5
  /// Zenodo computed (bare hex).
  ///
  /// Retried from the start of the file on failure.
  public func upload(
    bucketURL: String, key: String, path: String, size: Int64,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) async throws -> String {
    try await upload(
      bucketURL: bucketURL, key: key, path: path, size: size, hashWhileSending: false,
      progress: progress
    ).remoteMD5
  }

  /// Uploads a file like ``upload(bucketURL:key:path:size:progress:)``; with
  /// `hashWhileSending`, the MD5 of the bytes sent is computed from the same chunks
  /// (``UploadReceipt/sentMD5``; nil when the transport cannot), so the file is read once.
  public func upload(
    bucketURL: String, key: String, path: String, size: Int64, hashWhileSending: Bool,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) async throws -> UploadReceipt {
    let url = "\(bucketURL)/\(Self.percentEncode(key))"
    let response = try await send(
      "PUT", url, body: .file(path: path, size: size), contentType: "application/octet-stream",
      idempotent: true, hashFileBody: hashWhileSending, progress: progress)
    let object = try Self.json(response, "PUT", url).objectValue
    guard let checksum = object?["checksum"]?.stringValue else {
      throw ZenodoError.unexpectedResponse(
        method: "PUT", path: Self.path(of: url), reason: "no checksum in the answer")
    }
    return UploadReceipt(remoteMD5: RemoteFile.bareMD5(checksum), sentMD5: response.sentMD5)
  }

  /// Downloads `url` into the file at `path`, streamed, and returns its size and MD5.
  ///
  /// The body is never whole in memory; the token goes only to the API's own host. Retried from
  /// the start on connection errors and 5xx.
  public func download(_ url: String, to path: String) async throws -> DownloadOutcome {
    guard let downloader = transport as? any HTTPDownloadTransport else {
      throw ZenodoError.unexpectedResponse(
        method: "GET", path: Self.path(of: url), reason: "this transport cannot stream downloads")
    }
    var headers: [(name: String, value: String)] = [("User-Agent", userAgent)]
    if ServerURL.hostAndPort(of: url) == ServerURL.hostAndPort(of: baseURL) {
      headers.append(("Authorization", "Bearer \(token.secret)"))
    }
    let request = TransportRequest(method: "GET", url: url, headers: headers)
    var attempt = 0
    while true {
      attempt += 1
      try await pacer.acquire()
      do {
        let outcome = try await downloader.download(request, to: path)
        if (200..<300).contains(outcome.status) { return outcome }
        let failure = ZenodoError.http(
          method: "GET", path: Self.path(of: url), status: outcome.status, message: nil,
          fieldErrors: [])
        guard outcome.status >= 500 || outcome.status == 429, attempt < retry.maxAttempts else {
          throw failure
        }
      } catch let error as TransportError {
        if case .unreadableFile = error { throw error }
        guard !error.isPermanent, attempt < retry.maxAttempts else {
          throw ZenodoError.connection(
            method: "GET", path: Self.path(of: url), reason: error.description, attempts: attempt)
        }
      }
      let wait = retry.delay(afterAttempt: attempt, random: random())
      onRetry?(
        Self.retryNotice(
          "GET", Self.path(of: url), "download failed", wait: wait, next: attempt + 1,
          of: retry.maxAttempts))
      try await clock.sleep(seconds: wait)
    }
  }

  // MARK: Plumbing

  private func action(_ id: Int, _ name: String) -> String {
    "\(baseURL)/deposit/depositions/\(id)/actions/\(name)"
  }

  private func depositionRequest(
    _ method: String, _ url: String, body: JSONValue? = nil, idempotent: Bool
  ) async throws -> Deposition {
    let response = try await send(
      method, url, body: body.map { .bytes(Array(ZenodoJSON.serialize($0).utf8)) } ?? .none,
      contentType: body == nil ? nil : "application/json", idempotent: idempotent)
    guard let deposition = Deposition(json: try Self.json(response, method, url)) else {
      throw ZenodoError.unexpectedResponse(
        method: method, path: Self.path(of: url), reason: "expected a deposition with an id")
    }
    return deposition
  }

  /// Sends one request with pacing and retries; returns only 2xx responses.
  func send(
    _ method: String, _ url: String, body: TransportBody = .none, contentType: String? = nil,
    accept: String = "application/json", idempotent: Bool, hashFileBody: Bool = false,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) async throws -> TransportResponse {
    var headers: [(name: String, value: String)] = [
      ("Authorization", "Bearer \(token.secret)"),
      ("Accept", accept),
      ("User-Agent", userAgent),
    ]
    if let contentType { headers.append(("Content-Type", contentType)) }
    let request = TransportRequest(
      method: method, url: url, headers: headers, body: body, hashFileBody: hashFileBody)
    let path = Self.path(of: url)
    var attempt = 0
    while true {
      attempt += 1
      try await pacer.acquire()
      let response: TransportResponse
      do {
        response = try await transport.send(request, progress: progress)
      } catch let error as TransportError {
        if case .unreadableFile = error { throw error }
        if error.isPermanent {
          throw ZenodoError.unreachable(
            method: method, path: path, reason: error.description, attempts: attempt)
        }
        guard idempotent || error.neverSent else {
          throw ZenodoError.uncertain(method: method, path: path, reason: error.description)
        }
        // A refused connection gets one quick retry (a server restarting), then zen-do stops.
        let refused: Bool
        if case .refused = error { refused = true } else { refused = false }
        let limit = refused ? min(2, retry.maxAttempts) : retry.maxAttempts
        guard attempt < limit else {
          if refused {
            throw ZenodoError.unreachable(
              method: method, path: path, reason: error.description, attempts: attempt)
          }
          throw ZenodoError.connection(
            method: method, path: path, reason: error.description, attempts: attempt)
        }
        let wait =
          refused
          ? min(retry.baseDelay, 0.5) : retry.delay(afterAttempt: attempt, random: random())
        onRetry?(
          Self.retryNotice(
            method, path, error.description, wait: wait, next: attempt + 1, of: limit))
        try await clock.sleep(seconds: wait)
        continue
      }
      noteRateLimit(response)
      if (200..<300).contains(response.status) { return response }
      let (message, fieldErrors) = ZenodoError.parseBody(response.body)
      let failure = ZenodoError.http(
        method: method, path: path, status: response.status, message: message,
        fieldErrors: fieldErrors)
      let retryable = response.status == 429 || response.status >= 500
      guard retryable else { throw failure }
      // A 429 means the server did nothing; other failures of a non-idempotent request leave
      // the outcome open.
      guard idempotent || response.status == 429 else {
        throw ZenodoError.uncertain(method: method, path: path, reason: failure.description)
      }
      guard attempt < retry.maxAttempts else { throw failure }
      let wait =
        retry.serverDelay(response, now: clock.now())
        ?? retry.delay(afterAttempt: attempt, random: random())
      onRetry?(
        Self.retryNotice(
          method, path, "status \(response.status)", wait: wait, next: attempt + 1,
          of: retry.maxAttempts))
      try await clock.sleep(seconds: wait)
    }
  }

  /// When the server says the window is used up, hold every request until it resets.
  private func noteRateLimit(_ response: TransportResponse) {
    guard let remaining = response.header("X-RateLimit-Remaining").flatMap({ Int($0.trimmed) }),
      remaining <= 0,
      let reset = response.header("X-RateLimit-Reset").flatMap({ Double($0.trimmed) })
    else { return }
    let until = reset > 1_000_000_000 ? reset : clock.now() + reset
    let capped = min(until, clock.now() + retry.maxServerDelay)
    Task { await pacer.pause(until: capped) }
  }

  static func json(_ response: TransportResponse, _ method: String, _ url: String)
    throws -> JSONValue
  {
    do {
      return try ZenodoJSON.parse(response.body)
    } catch {
      throw ZenodoError.unexpectedResponse(
        method: method, path: path(of: url), reason: "the body is not JSON (\(error))")
    }
  }

  /// One line for each retry: what failed, the wait, and which attempt comes next.
  static func retryNotice(
    _ method: String, _ path: String, _ what: String, wait: Double, next: Int, of limit: Int
  ) -> String {
    "\(method) \(path): \(what); waiting \(seconds(wait)) before attempt \(next) of \(limit)"
  }

  private static func seconds(_ value: Double) -> String {
    let tenths = (value * 10).rounded() / 10
    return "\(tenths) s"
  }

  /// The path and query of a URL, for messages.
  static func path(of url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return url }
    let rest = url[schemeEnd.upperBound...]
    guard let slash = rest.firstIndex(of: "/") else { return "/" }
    return String(rest[slash...])
  }

  /// The integer after the last `/` of a URL, such as a deposition id.
  static func trailingID(_ url: String) -> Int? {
    let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
    return trimmed.split(separator: "/").last.flatMap { Int($0) }
  }

  /// Percent-encodes everything except RFC 3986 unreserved characters.
  public static func percentEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }
}

/// What an upload returned.
public struct UploadReceipt: Sendable, Equatable {
  /// The MD5 Zenodo computed of what it received (bare hex).
  public var remoteMD5: String
  /// The MD5 of the bytes sent, computed while sending; nil when not asked for or when the
  /// transport cannot.
  public var sentMD5: String?

  /// Creates a receipt.
  public init(remoteMD5: String, sentMD5: String?) {
    self.remoteMD5 = remoteMD5
    self.sentMD5 = sentMD5
  }
}
