import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a download wrote.
public struct DownloadOutcome: Sendable, Equatable {
  /// The status code; the file holds the body only for 2xx.
  public var status: Int
  /// Bytes written.
  public var size: Int64
  /// The MD5 of the bytes written, lower-case hex.
  public var md5: String

  /// Creates an outcome (for other transports).
  public init(status: Int, size: Int64, md5: String) {
    self.status = status
    self.size = size
    self.md5 = md5
  }
}

/// A transport that streams a response body into a file instead of keeping it in memory.
public protocol HTTPDownloadTransport: HTTPTransport {
  /// Sends `request` and writes the response body to a new file at `path` (created, or
  /// truncated), computing its MD5 on the way.
  func download(_ request: TransportRequest, to path: String) async throws -> DownloadOutcome
}

extension AsyncHTTPClientTransport: HTTPDownloadTransport {
  /// Streams the body to `path` chunk by chunk; memory stays bounded whatever the size.
  public func download(_ request: TransportRequest, to path: String) async throws
    -> DownloadOutcome
  {
    var outgoing = HTTPClientRequest(url: request.url)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      throw TransportError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    do {
      let response = try await client.execute(outgoing, deadline: .distantFuture)
      var hasher = Insecure.MD5()
      var size: Int64 = 0
      for try await buffer in response.body {
        try buffer.withUnsafeReadableBytes { raw in
          hasher.update(bufferPointer: raw)
          guard let start = raw.baseAddress else { return }
          var offset = 0
          while offset < raw.count {
            let written = write(descriptor, start + offset, raw.count - offset)
            if written < 0 {
              if errno == EINTR { continue }
              throw TransportError.unreadableFile(
                path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
          }
        }
        size += Int64(buffer.readableBytes)
      }
      let md5 = hasher.finalize().map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
      }.joined()
      return DownloadOutcome(status: Int(response.status.code), size: size, md5: md5)
    } catch let error as TransportError {
      throw error
    } catch {
      throw TransportError.classify(error, url: request.url)
    }
  }
}
