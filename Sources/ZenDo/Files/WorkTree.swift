import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder a `.zenodo.toml` may take files from: the git work tree that holds it, or,
/// outside git, the `.zenodo.toml`'s own folder.
public enum WorkTree {
  /// The boundary for a `.zenodo.toml` in `folder`, with symbolic links resolved: the nearest
  /// folder at or above it that has a `.git` entry (a folder, or a file for worktrees and
  /// submodules), else `folder` itself.
  public static func boundary(for folder: URL) -> URL {
    let start = realPath(folder.path) ?? folder.standardizedFileURL.path
    var current = start
    while true {
      if FileManager.default.fileExists(atPath: current + "/.git") {
        return URL(fileURLWithPath: current)
      }
      let parent = (current as NSString).deletingLastPathComponent
      if parent == current || parent.isEmpty { return URL(fileURLWithPath: start) }
      current = parent
    }
  }

  /// The path with `..`, `.` and every symbolic link resolved; nil when it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// True when `path` (already resolved) is `boundary` or lies below it.
  public static func contains(_ boundary: URL, _ path: String) -> Bool {
    let root = boundary.path
    return path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }
}
