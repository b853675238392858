import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP answer, with the body read whole.
public struct HTTPReply: Sendable {
  /// The status code.
  public var status: Int
  /// The response headers.
  public var headers: [(String, String)]
  /// The body bytes.
  public var body: Data

  /// The first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  /// The body parsed as JSON (Foundation objects), `nil` when it is not JSON.
  public var json: Any? {
    try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
  }

  /// The body as a JSON object.
  public var object: [String: Any] { json as? [String: Any] ?? [:] }

  /// The body as a JSON array.
  public var array: [[String: Any]] { json as? [[String: Any]] ?? [] }

  /// The body as text.
  public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Plain HTTP requests to an emulator, over loopback, with AsyncHTTPClient.
public struct EmulatorHTTP: Sendable {
  /// The API base URL.
  public var apiURL: String
  /// The token sent as `Authorization: Bearer`, if any.
  public var token: String?
  /// Whether redirects (301, 302) are followed; off to see them.
  public var followRedirects = true

  /// A client that never follows redirects, for `followRedirects = false`.
  private static let literalClient = HTTPClient(
    eventLoopGroupProvider: .singleton,
    configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

  /// Creates a client for `apiURL`.
  public init(apiURL: String, token: String?) {
    self.apiURL = apiURL
    self.token = token
  }

  /// Sends a request; `path` is relative to the API base unless it starts with `http`.
  public func send(
    _ method: String, _ path: String, json: Any? = nil, body: Data? = nil,
    headers: [(String, String)] = [],
    timeout: Int64 = 60
  ) async throws -> HTTPReply {
    var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : apiURL + path)
    request.method = HTTPMethod(rawValue: method)
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    request.headers.add(name: "Accept", value: "application/json")
    if let json {
      let data = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: data))
    } else if let body {
      request.body = .bytes(ByteBuffer(bytes: body))
    }
    for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
    let client = followRedirects ? HTTPClient.shared : Self.literalClient
    let response = try await client.execute(request, timeout: .seconds(timeout))
    let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return HTTPReply(
      status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
      body: Data(buffer.readableBytesView))
  }

  /// Shorthand for `GET`.
  public func get(_ path: String) async throws -> HTTPReply { try await send("GET", path) }

  /// Uploads bytes to a bucket URL with `Content-Type: application/octet-stream`.
  public func putFile(_ bucketURL: String, key: String, data: Data) async throws -> HTTPReply {
    try await send(
      "PUT", bucketURL + "/" + key, body: data,
      headers: [("Content-Type", "application/octet-stream")])
  }
}
