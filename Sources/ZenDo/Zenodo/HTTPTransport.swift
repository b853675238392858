import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One HTTP request as the Zenodo client builds it.
public struct TransportRequest: Sendable {
  /// The HTTP method, such as `GET` or `PUT`.
  public var method: String
  /// The absolute URL.
  ///
  /// It never carries the token.
  public var url: String
  /// Header fields in order.
  public var headers: [(name: String, value: String)]
  /// What to send.
  public var body: TransportBody

  /// Creates a request.
  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [],
    body: TransportBody = .none
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

/// The body of a request.
public enum TransportBody: Sendable {
  /// No body.
  case none
  /// Bytes already in memory (JSON documents).
  case bytes([UInt8])
  /// A file streamed from disk, `size` bytes long.
  case file(path: String, size: Int64)
}

/// A response with its whole body (Zenodo's JSON answers are small).
public struct TransportResponse: Sendable {
  /// The status code.
  public var status: Int
  /// Header fields in order.
  public var headers: [(name: String, value: String)]
  /// The body bytes.
  public var body: [UInt8]

  /// Creates a response.
  public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first value of the header `name`, compared case-insensitively.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// Why a request got no response.
public enum TransportError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The connection broke, or went idle too long: another attempt may work.
  case connection(String)
  /// The host name does not resolve (no network, or a typo): another attempt will not help.
  case unknownHost(String)
  /// The host refused the connection (nothing listens on the port).
  case refused(host: String, port: Int)
  /// The TLS handshake failed (certificate, clock, or a proxy in the way).
  case tls(host: String, reason: String)
  /// A local file to upload could not be read.
  case unreadableFile(path: String, reason: String)

  public var description: String {
    switch self {
    case .connection(let reason): "the connection failed (\(reason))"
    case .unknownHost(let host):
      "the host '\(host)' is unknown; check the network connection and the server name"
    case .refused(let host, let port):
      "'\(host)' refused the connection on port \(port); check the server URL and that the "
        + "server is running"
    case .tls(let host, let reason):
      "the TLS handshake with '\(host)' failed (\(reason)); check the system clock, the CA "
        + "certificates and any proxy in between"
    case .unreadableFile(let path, let reason): "cannot read '\(path)': \(reason)"
    }
  }

  /// True when another attempt cannot fix it: an unknown host, a TLS failure, an unreadable file.
  public var isPermanent: Bool {
    switch self {
    case .unknownHost, .tls, .unreadableFile: true
    case .connection, .refused: false
    }
  }

  /// True when the request never reached the server, so even a non-idempotent one did nothing.
  public var neverSent: Bool {
    switch self {
    case .unknownHost, .refused, .tls, .unreadableFile: true
    case .connection: false
    }
  }

  /// Sorts an AsyncHTTPClient or SwiftNIO error for `url` into the cases above.
  static func classify(_ error: any Error, url: String) -> TransportError {
    let (host, port) = ServerURL.hostAndPort(of: url)
    if let failure = error as? NIOConnectionError {
      if failure.connectionErrors.isEmpty, failure.dnsAError != nil || failure.dnsAAAAError != nil {
        return .unknownHost(host)
      }
      let refusals = failure.connectionErrors.filter {
        ($0.error as? IOError)?.errnoCode == ECONNREFUSED
      }
      if !failure.connectionErrors.isEmpty, refusals.count == failure.connectionErrors.count {
        return .refused(host: host, port: port)
      }
    }
    if error is SocketAddressError { return .unknownHost(host) }
    if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
      return .refused(host: host, port: port)
    }
    let typeName = String(reflecting: type(of: error))
    if typeName.contains("NIOSSL") || typeName.contains("BoringSSL") {
      return .tls(host: host, reason: String(describing: error))
    }
    return .connection(String(describing: error))
  }
}

/// Sends HTTP requests.
///
/// The seam between the Zenodo client and the network: tests pass an
/// in-process fake.
public protocol HTTPTransport: Sendable {
  /// Sends `request`, calling `progress` with the number of body bytes handed to the network
  /// so far, and returns the response with its body.
  func send(
    _ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> TransportResponse
}

/// The real transport: AsyncHTTPClient with files streamed from disk in fixed-size chunks,
/// idle timeouts (no whole-request deadline) and no redirects (a redirect must not carry the
/// token to another host).
public final class AsyncHTTPClientTransport: HTTPTransport {
  let client: HTTPClient
  private let chunkSize: Int

  /// Creates a transport whose connections give up after `idleTimeout` without progress.
  public init(idleTimeout: TimeAmount = .seconds(120), chunkSize: Int = 1 << 20) {
    var configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow,
      timeout: .init(connect: .seconds(30), read: idleTimeout, write: idleTimeout)
    )
    configuration.decompression = HTTPClient.Decompression.disabled
    // A failed connection fails the request at once; ZenodoClient decides whether to retry,
    // and says so. (AsyncHTTPClient would otherwise retry silently until the connect timeout.)
    configuration.connectionPool.retryConnectionEstablishment = false
    self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.chunkSize = chunkSize
  }

  /// Closes the connections; call once when done.
  public func shutdown() async {
    try? await client.shutdown()
  }

  /// Sends the request; file bodies are streamed, the response body is collected (64 MiB at most).
  public func send(
    _ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> TransportResponse {
    var outgoing = HTTPClientRequest(url: request.url)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
    switch request.body {
    case .none:
      break
    case .bytes(let bytes):
      outgoing.body = .bytes(ByteBuffer(bytes: bytes))
    case .file(let path, let size):
      let descriptor = open(path, O_RDONLY)
      guard descriptor >= 0 else {
        throw TransportError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
      }
      let file = FileChunks(
        descriptor: FileDescriptorBox(descriptor), chunkSize: chunkSize, progress: progress)
      outgoing.body = .stream(file, length: .known(size))
    }
    do {
      let response = try await client.execute(outgoing, deadline: .distantFuture)
      var body = try await response.body.collect(upTo: 64 << 20)
      let bytes = body.readBytes(length: body.readableBytes) ?? []
      return TransportResponse(
        status: Int(response.status.code),
        headers: response.headers.map { (name: $0.name, value: $0.value) },
        body: bytes)
    } catch let error as TransportError {
      throw error
    } catch {
      throw TransportError.classify(error, url: request.url)
    }
  }
}

/// Owns a file descriptor and closes it when the last chunk reader is gone.
final class FileDescriptorBox: @unchecked Sendable {
  let descriptor: Int32
  init(_ descriptor: Int32) { self.descriptor = descriptor }
  deinit { close(descriptor) }
}

/// A file read front to back in chunks; AsyncHTTPClient pulls the next chunk only when it has
/// written the previous one, so memory stays bounded by a few chunks whatever the file size.
struct FileChunks: AsyncSequence, Sendable {
  typealias Element = ByteBuffer
  let descriptor: FileDescriptorBox
  let chunkSize: Int
  let progress: (@Sendable (Int64) -> Void)?

  func makeAsyncIterator() -> Iterator {
    Iterator(descriptor: descriptor, chunkSize: chunkSize, progress: progress)
  }

  struct Iterator: AsyncIteratorProtocol {
    let descriptor: FileDescriptorBox
    let chunkSize: Int
    let progress: (@Sendable (Int64) -> Void)?
    var offset: Int64 = 0
    let allocator = ByteBufferAllocator()

    mutating func next() async throws -> ByteBuffer? {
      var buffer = allocator.buffer(capacity: chunkSize)
      let fd = descriptor.descriptor
      let start = offset
      let count = chunkSize
      var read = 0
      _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
        read = pread(fd, raw.baseAddress, count, off_t(start))
        return Swift.max(read, 0)
      }
      if read < 0 {
        throw TransportError.unreadableFile(
          path: "fd \(fd)", reason: String(cString: strerror(errno)))
      }
      if read == 0 { return nil }
      offset += Int64(read)
      progress?(offset)
      return buffer
    }
  }
}
