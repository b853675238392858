import Crypto

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A validated `.zenodo.toml`, reduced to what the sync needs.
///
/// The metadata loader fills it
/// in; the planner and executor never look at TOML.
public struct LocalDeposit: Sendable {
  /// The `.zenodo.toml` it came from, for messages.
  public var sourcePath: String
  /// The deposit's identity: the `isIdenticalTo` `urn:zenodo:...` identifier.
  public var urn: String
  /// The legacy metadata object to PUT.
  public var metadata: JSONObject
  /// The files the deposit must hold, with their MD5s.
  public var files: [SyncFile]
  /// Warnings found while loading, to show the user.
  public var warnings: [Diagnostic] = []

  /// Creates a deposit description.
  public init(sourcePath: String, urn: String, metadata: JSONObject, files: [SyncFile]) {
    self.sourcePath = sourcePath
    self.urn = urn
    self.metadata = metadata
    self.files = files
  }

  /// The `version` the file declares, if any.
  public var version: String? { metadata["version"]?.stringValue }
}

/// A local file to deposit.
public struct SyncFile: Sendable, Equatable {
  /// The name on Zenodo (the base name).
  public var name: String
  /// Where it is on disk.
  public var path: String
  /// Its size in bytes.
  public var size: Int64
  /// Its MD5 as lower-case hex.
  public var md5: String

  /// Creates a file entry; `md5` may be empty until computed.
  public init(name: String, path: String, size: Int64, md5: String) {
    self.name = name
    self.path = path
    self.size = size
    self.md5 = md5
  }
}

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
    return hasher.finalize().map { byte in
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
