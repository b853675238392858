import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension EmulatorResponder {
  /// Streams a body to a temporary file, hashing as it goes; never holds more than a chunk.
  func receive(
    _ body: RequestBody, target: UploadTarget, counter: ByteCounter
  ) async throws -> (URL, Int64, String) {
    let limit = await store.remainingBytes(target)
    let maxFile = await store.fileLimits.maxFileBytes
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
          throw size > maxFile
            ? APIError.badRequest(RecordStore.sizeMessage(legacy: target.legacy))
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
    return (temporary, size, reportedMD5(digest.finish()))
  }

  /// The checksum to report for an upload whose content has `md5` (wrong under `bad-md5`).
  func reportedMD5(_ md5: String) -> String {
    configuration.hostile?.reportedMD5(md5) ?? md5
  }

  static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws {
    if writeFully(descriptor, bytes) != nil {
      throw APIError.badRequest("The upload could not be stored.")
    }
  }

  func download(_ file: StoredFile, counter: ByteCounter) async throws -> Response {
    guard let blob = file.blob else { throw APIError.notFound("File does not exist.") }
    let url = await store.blobDirectory.appendingPathComponent(blob)
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

}

/// Writes all of `bytes` to `descriptor`, again after a short write or `EINTR`; the `errno` of
/// a failed write, nil when everything was written.
func writeFully(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
  guard let base = bytes.baseAddress else { return nil }
  var offset = 0
  while offset < bytes.count {
    let written = write(descriptor, base + offset, bytes.count - offset)
    if written < 0 {
      if errno == EINTR { continue }
      return errno
    }
    offset += written
  }
  return nil
}
