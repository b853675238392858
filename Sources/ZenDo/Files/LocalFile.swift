import Foundation

/// A file to deposit: where it is, its name on Zenodo, its size, and its MD5 once computed.
public struct LocalFile: Sendable, Hashable {
  /// The file on disk.
  public var url: URL
  /// Its name on Zenodo: the base name (Zenodo has no folders).
  public var name: String
  /// Its size in bytes.
  public var size: Int64
  /// Its MD5 as lower-case hex; nil until computed (``LocalDeposit/withDigests(progress:)``).
  public var md5: String?

  /// Creates a file entry.
  public init(url: URL, name: String, size: Int64, md5: String? = nil) {
    self.url = url
    self.name = name
    self.size = size
    self.md5 = md5
  }

  /// Creates a file entry from a path.
  public init(name: String, path: String, size: Int64, md5: String? = nil) {
    self.init(url: URL(fileURLWithPath: path), name: name, size: size, md5: md5)
  }

  /// The file's path on disk.
  public var path: String { url.path }
}
