import Crypto

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a local file could not be read.
public struct LocalFileError: Error, CustomStringConvertible, Sendable {
  /// The file.
  public var path: String
  /// What the system said.
  public var reason: String
  public var description: String { "cannot read '\(path)': \(reason); check that it exists" }
}

/// MD5 of files, streamed in fixed-size reads so memory stays flat whatever the size.
public enum FileDigest {
  /// The MD5 of the file at `path` as lower-case hex, read in `chunkSize` pieces.
  public static func md5(path: String, chunkSize: Int = 1 << 20) throws(LocalFileError) -> String {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw LocalFileError(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    #if canImport(Glibc)
      _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
    #endif
    var hasher = Insecure.MD5()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
    defer { buffer.deallocate() }
    while true {
      let count = read(descriptor, buffer.baseAddress, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw LocalFileError(path: path, reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
    return hex(hasher.finalize())
  }

  /// A digest as lower-case hex.
  static func hex(_ digest: Insecure.MD5Digest) -> String {
    digest.map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  /// The size of the file at `path`, or nil when it cannot be read.
  public static func size(path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int64(info.st_size)
  }
}
