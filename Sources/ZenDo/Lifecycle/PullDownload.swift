import Foundation

/// Why a file of a pulled record was not written.
public enum PullDownloadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The bytes that arrived do not have the record's MD5 (or size); nothing was written.
  case checksumMismatch(name: String, expected: String, received: String, size: Int64)
  /// A different file of that name is in the folder; it is kept.
  case localFileDiffers(path: String, localMD5: String, remoteMD5: String)

  public var description: String {
    switch self {
    case .checksumMismatch(let name, let expected, let received, let size):
      "\(name): the download (\(ByteCount.format(size))) has MD5 \(received), but Zenodo lists "
        + "\(expected); nothing was written. Run zen-do pull --download again"
    case .localFileDiffers(let path, let local, let remote):
      "\(path) exists with MD5 \(local), not the record's \(remote); it was kept. Move it away, "
        + "or pass --force to replace it with the record's file"
    }
  }
}

/// Downloads the files of a pulled record: streamed into a hidden file beside the target,
/// checked against the record's MD5 and size, then renamed into place (so the target is never
/// half written).
public struct PullDownload: Sendable {
  private let client: ZenodoClient

  /// Downloads through `client`.
  public init(client: ZenodoClient) { self.client = client }

  /// The first of `files` whose name is taken in `folder` by a different file, as the error
  /// ``fetch(_:into:replace:)`` would throw; checked before anything is downloaded.
  public static func conflict(among files: [PulledFile], in folder: URL) -> PullDownloadError? {
    for file in files {
      let target = folder.appendingPathComponent(file.name)
      guard FileManager.default.fileExists(atPath: target.path),
        let local = try? FileDigest.md5(path: target.path), local != file.md5
      else { continue }
      return .localFileDiffers(path: target.path, localMD5: local, remoteMD5: file.md5)
    }
    return nil
  }

  /// Fetches `file` to `folder/<name>`; an existing different file is replaced only with
  /// `replace`.
  public func fetch(_ file: PulledFile, into folder: URL, replace: Bool) async throws
    -> MatchedFile
  {
    let target = folder.appendingPathComponent(file.name)
    if FileManager.default.fileExists(atPath: target.path), !replace {
      let local = try FileDigest.md5(path: target.path)
      if local == file.md5 { return MatchedFile(file: file, relativePath: file.name) }
      throw PullDownloadError.localFileDiffers(
        path: target.path, localMD5: local, remoteMD5: file.md5)
    }
    let partial = folder.appendingPathComponent(
      ".\(file.name).zen-do-download-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: partial) }
    let outcome = try await client.download(file.downloadURL, to: partial.path)
    guard outcome.md5 == file.md5, outcome.size == file.size || file.size == 0 else {
      throw PullDownloadError.checksumMismatch(
        name: file.name, expected: file.md5, received: outcome.md5, size: outcome.size)
    }
    if rename(partial.path, target.path) != 0 {
      throw LocalFileError(path: target.path, reason: String(cString: strerror(errno)))
    }
    return MatchedFile(file: file, relativePath: file.name)
  }
}
