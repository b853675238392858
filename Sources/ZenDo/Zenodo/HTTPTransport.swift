import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

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
  /// True to have the MD5 of a file body computed from the very chunks sent
  /// (``TransportResponse/sentMD5``), so the file is read once, not twice.
  public var hashFileBody: Bool

  /// Creates a request.
  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [],
    body: TransportBody = .none, hashFileBody: Bool = false
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.hashFileBody = hashFileBody
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

/// A response with its whole body (Zenodo's JSON answers are small: at most
/// ``AsyncHTTPClientTransport/defaultMaximumResponseBytes`` are read).
public struct TransportResponse: Sendable {
  /// The status code.
  public var status: Int
  /// Header fields in order.
  public var headers: [(name: String, value: String)]
  /// The body bytes.
  public var body: [UInt8]
  /// The MD5 (lower-case hex) of the file body as sent, when the request asked for it
  /// (``TransportRequest/hashFileBody``) and the transport can; nil otherwise.
  public var sentMD5: String?

  /// Creates a response.
  public init(
    status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    sentMD5: String? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.sentMD5 = sentMD5
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
  /// The response body grew past `limit` bytes; reading stopped there.
  case responseTooLarge(limit: Int)
  /// The server answered with a redirect (`status`) to `location`; zen-do follows none, so the
  /// token never travels to another host.
  case redirected(status: Int, location: String)

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
    case .responseTooLarge(let limit):
      "the server's answer is larger than "
        + (limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes") + ", more than any "
        + "Zenodo answer; zen-do stopped reading it: check the server URL"
    case .redirected(let status, let location):
      "the server redirected (status \(status)) to '\(location)'; zen-do follows no redirects, "
        + "so the token never goes to another host: check the server URL (give the address the "
        + "redirect points to if you trust it)"
    }
  }

  /// True when another attempt cannot fix it: an unknown host, a TLS failure, an unreadable
  /// file, an oversized answer or a redirect.
  public var isPermanent: Bool {
    switch self {
    case .unknownHost, .tls, .unreadableFile, .responseTooLarge, .redirected: true
    case .connection, .refused: false
    }
  }

  /// True when the request never reached the server, so even a non-idempotent one did nothing.
  public var neverSent: Bool {
    switch self {
    case .unknownHost, .refused, .tls, .unreadableFile: true
    case .connection, .responseTooLarge, .redirected: false
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
    if let client = error as? HTTPClientError, client == .readTimeout {
      return .connection("the server sent nothing for longer than the idle timeout")
    }
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
/// idle timeouts (no whole-request deadline), answers read up to a size limit, and no redirects
/// (a redirect must not carry the token to another host).
public final class AsyncHTTPClientTransport: HTTPTransport {
  /// The largest answer read by default: 16 MiB, far above any Zenodo JSON answer (a search
  /// page of 100 records is about 1 MiB).
  public static let defaultMaximumResponseBytes = 16 << 20
  /// The default idle timeout: 2 minutes without a byte going either way.
  public static let defaultIdleTimeout: TimeAmount = .seconds(120)

  let client: HTTPClient
  private let chunkSize: Int
  private let poolSize: Int
  private let maximumResponseBytes: Int
  private let idleTimeout: TimeAmount

  /// Creates a transport whose connections give up after `idleTimeout` without progress and
  /// that reads at most `maximumResponseBytes` of an answer; file bodies are read in
  /// `chunkSize` pieces into `poolSize` reused buffers (0: a new buffer for every chunk).
  public init(
    idleTimeout: TimeAmount = defaultIdleTimeout, chunkSize: Int = 1 << 20, poolSize: Int = 4,
    maximumResponseBytes: Int = defaultMaximumResponseBytes
  ) {
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
    self.poolSize = poolSize
    self.maximumResponseBytes = maximumResponseBytes
    self.idleTimeout = idleTimeout
  }

  /// A transport with the idle timeout `ZEN_DO_IDLE_TIMEOUT` asks for (seconds, fractions
  /// allowed), else the default: a testing knob, so tests of stalled servers finish in seconds.
  ///
  /// Throws ``TransportSettingError`` for a value that is not a positive number of seconds.
  public convenience init(environment: [String: String]) throws(TransportSettingError) {
    try self.init(idleTimeout: Self.idleTimeout(environment: environment))
  }

  /// The idle timeout `ZEN_DO_IDLE_TIMEOUT` asks for, else ``defaultIdleTimeout``.
  public static func idleTimeout(environment: [String: String]) throws(TransportSettingError)
    -> TimeAmount
  {
    guard let text = environment["ZEN_DO_IDLE_TIMEOUT"] else { return defaultIdleTimeout }
    guard let seconds = Double(text.trimmed), seconds > 0, seconds <= 86_400 else {
      throw TransportSettingError.idleTimeout(text)
    }
    return .nanoseconds(Int64(seconds * 1e9))
  }

  /// Closes the connections; call once when done.
  public func shutdown() async {
    try? await client.shutdown()
  }

  /// Sends the request; file bodies are streamed, the response body is collected up to the
  /// limit (never buffered past it); a redirect is an error.
  public func send(
    _ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?
  ) async throws -> TransportResponse {
    var outgoing = HTTPClientRequest(url: request.url)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
    let digest = request.hashFileBody ? SentDigest() : nil
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
      #if canImport(Glibc)
        // Read-ahead: the file is read once, front to back.
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
      #endif
      let file = FileChunks(
        descriptor: FileDescriptorBox(descriptor), chunkSize: chunkSize, poolSize: poolSize,
        digest: digest, progress: progress)
      outgoing.body = .stream(file, length: .known(size))
    }
    do {
      let response = try await client.execute(outgoing, deadline: .distantFuture)
      if [301, 302, 303, 307, 308].contains(response.status.code) {
        throw TransportError.redirected(
          status: Int(response.status.code),
          location: response.headers.first(name: "Location") ?? "(no Location header)")
      }
      var body = try await Self.collect(
        response.body, upTo: maximumResponseBytes, within: idleTimeout)
      let bytes = body.readBytes(length: body.readableBytes) ?? []
      return TransportResponse(
        status: Int(response.status.code),
        headers: response.headers.map { (name: $0.name, value: $0.value) },
        body: bytes, sentMD5: digest?.value)
    } catch let error as TransportError {
      throw error
    } catch is NIOTooManyBytesError {
      throw TransportError.responseTooLarge(limit: maximumResponseBytes)
    } catch {
      throw TransportError.classify(error, url: request.url)
    }
  }
}

extension AsyncHTTPClientTransport {
  /// Collects an answer's body, which must arrive in full within `timeout` of its headers: the
  /// idle timeout alone never stops a server that sends a byte just often enough. (Answers are
  /// small JSON documents; upload bodies go the other way and have no such deadline.)
  static func collect(_ body: HTTPClientResponse.Body, upTo limit: Int, within timeout: TimeAmount)
    async throws -> ByteBuffer
  {
    try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
      group.addTask { try await body.collect(upTo: limit) }
      group.addTask {
        try await Task.sleep(nanoseconds: UInt64(max(timeout.nanoseconds, 0)))
        return nil
      }
      defer { group.cancelAll() }
      guard case .some(.some(let buffer)) = try await group.next() else {
        throw TransportError.connection(
          "the answer's body did not arrive in full within the idle timeout of its headers")
      }
      return buffer
    }
  }
}

/// A transport setting from the environment that zen-do cannot use.
public enum TransportSettingError: Error, CustomStringConvertible, Sendable, Equatable {
  /// `ZEN_DO_IDLE_TIMEOUT` is not a number of seconds.
  case idleTimeout(String)

  public var description: String {
    switch self {
    case .idleTimeout(let value):
      "ZEN_DO_IDLE_TIMEOUT is '\(value)'; give the idle timeout in seconds, such as 120 or 0.5, "
        + "or unset it"
    }
  }
}

/// Owns a file descriptor and closes it when the last chunk reader is gone.
final class FileDescriptorBox: @unchecked Sendable {
  let descriptor: Int32
  init(_ descriptor: Int32) { self.descriptor = descriptor }
  deinit { close(descriptor) }
}

/// The MD5 of the bytes of one sent body, set when its last chunk has been read.
final class SentDigest: Sendable {
  private let hex = Mutex<String?>(nil)

  var value: String? { hex.withLock { $0 } }
  func set(_ value: String) { hex.withLock { $0 = value } }
}

/// A file read front to back in chunks; AsyncHTTPClient pulls the next chunk only when it has
/// written the previous one, so memory stays bounded by a few chunks whatever the file size.
///
/// The chunks come from a small pool of buffers reused in turn: a buffer is read into again
/// once AsyncHTTPClient has let go of it, so the file is sent without a fresh allocation (and
/// fresh page faults) per chunk. When a buffer's turn comes while it is still held, the reader
/// waits for it, so reuse never overwrites bytes not yet sent and memory stays at the pool's
/// `poolSize × chunkSize` whatever the file size.
struct FileChunks: AsyncSequence, Sendable {
  typealias Element = ByteBuffer
  let descriptor: FileDescriptorBox
  let chunkSize: Int
  let poolSize: Int
  /// Where to leave the MD5 of the chunks, if wanted; each pass over the file hashes afresh.
  let digest: SentDigest?
  let progress: (@Sendable (Int64) -> Void)?

  func makeAsyncIterator() -> Iterator {
    // A pool of 0 (for measuring) reads on demand: read-ahead would allocate without bound.
    guard poolSize > 0 else { return Iterator(mode: .onDemand(OnDemand(makeReader()))) }
    return Iterator(mode: .readAhead(ReadAhead(makeReader())))
  }

  private func makeReader() -> Reader {
    Reader(
      descriptor: descriptor, chunkSize: chunkSize, progress: progress,
      pool: Array(repeating: nil, count: Swift.max(poolSize, 0)), digest: digest,
      hasher: digest == nil ? nil : Insecure.MD5())
  }

  /// Hands AsyncHTTPClient the chunks, read on demand or ahead.
  struct Iterator: AsyncIteratorProtocol {
    enum Mode {
      case onDemand(OnDemand)
      case readAhead(ReadAhead)
    }
    let mode: Mode

    mutating func next() async throws -> ByteBuffer? {
      switch mode {
      case .onDemand(let reader): try await reader.next()
      case .readAhead(let ahead): try await ahead.next()
      }
    }
  }

  /// The reader in a box of its own: a copy of it would hold the pool's buffers twice, and a
  /// buffer would then never be uniquely owned again.
  final class OnDemand {
    private var reader: Reader
    init(_ reader: Reader) { self.reader = reader }
    func next() async throws -> ByteBuffer? { try await reader.next() }
  }

  /// Reads and hashes the chunks in a task of its own, ahead of the sender.
  ///
  /// It goes as far as the pool allows: the read and the MD5 of the next chunks overlap the
  /// socket write of this one (otherwise the connection idles while a chunk is hashed, and the
  /// server idles with it). Memory stays at the pool's: the reader still waits for a held
  /// buffer.
  final class ReadAhead: @unchecked Sendable {
    private var chunks: AsyncThrowingStream<ByteBuffer, any Error>.Iterator
    private let producer: Task<Void, Never>

    init(_ reader: sending Reader) {
      let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
      producer = Task {
        var reader = reader
        do {
          while let chunk = try await reader.next() { continuation.yield(chunk) }
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      chunks = stream.makeAsyncIterator()
    }

    /// Called by one consumer at a time, as AsyncHTTPClient does.
    func next() async throws -> ByteBuffer? { try await chunks.next() }

    // A request given up part way stops the reading.
    deinit { producer.cancel() }
  }

  /// Reads the chunks in order into the pool, hashing them if asked.
  struct Reader {
    let descriptor: FileDescriptorBox
    let chunkSize: Int
    let progress: (@Sendable (Int64) -> Void)?
    var pool: [ByteBuffer?]
    let digest: SentDigest?
    var hasher: Insecure.MD5?
    var slot = 0
    var offset: Int64 = 0
    let allocator = ByteBufferAllocator()

    mutating func next() async throws -> ByteBuffer? {
      var buffer: ByteBuffer
      // A pool of 0 (for measuring) allocates every chunk afresh.
      if !pool.isEmpty, var reused = pool[slot] {
        // Drop the pool's reference first, so only AsyncHTTPClient's can remain.
        pool[slot] = nil
        try await Self.waitForRelease(&reused)
        buffer = reused
      } else {
        buffer = allocator.buffer(capacity: chunkSize)
      }
      let fd = descriptor.descriptor
      let start = offset
      let count = chunkSize
      var read = 0
      _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
        repeat {
          read = pread(fd, raw.baseAddress, count, off_t(start))
        } while read < 0 && errno == EINTR
        return Swift.max(read, 0)
      }
      if read < 0 {
        throw TransportError.unreadableFile(
          path: "fd \(fd)", reason: String(cString: strerror(errno)))
      }
      if read == 0 {
        if let finished = hasher {
          hasher = nil
          digest?.set(FileDigest.hex(finished.finalize()))
        }
        return nil
      }
      if hasher != nil {
        buffer.withUnsafeReadableBytes { hasher?.update(bufferPointer: $0) }
      }
      offset += Int64(read)
      if !pool.isEmpty {
        pool[slot] = buffer
        slot = (slot + 1) % pool.count
      }
      progress?(offset)
      return buffer
    }

    /// Waits until AsyncHTTPClient has let go of `buffer`, then empties it, its storage kept.
    ///
    /// AsyncHTTPClient drops a chunk once it is written to the socket. Waiting instead of
    /// allocating a replacement is the backpressure that bounds memory to the pool: the file is
    /// read no faster than the connection drains. Polls, backing off from 50 µs to 5 ms.
    static func waitForRelease(_ buffer: inout ByteBuffer) async throws {
      var pause: UInt64 = 50_000
      while buffer.modifyIfUniquelyOwned({ $0.clear() }) == nil {
        try await Task.sleep(nanoseconds: pause)
        pause = Swift.min(pause * 2, 5_000_000)
      }
    }
  }
}
