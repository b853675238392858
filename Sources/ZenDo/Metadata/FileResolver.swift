import Foundation
import TOML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns `[zen-do].files` into the list of local files to upload, checking Zenodo's rules:
/// each file exists, is not a directory and is not empty; base names are unique; at most
/// ``maximumFileCount`` files and ``maximumTotalSize`` bytes in all.
public enum FileResolver {
  /// Zenodo's limit on the number of files of a deposit.
  public static let maximumFileCount = 100
  /// Zenodo's limit on the total size of a deposit's files: 50 GB (`50 * 10**9` bytes).
  public static let maximumTotalSize: Int64 = 50_000_000_000

  /// The files of a loaded `.zenodo.toml`, in the order of its `files` list (matches of one
  /// glob sorted by path), with every problem found.
  public static func resolve(_ file: MetadataFile, displayPath: String? = nil) -> (
    [LocalFile], [Diagnostic]
  ) {
    resolve(
      file.settings, folder: file.folder, displayPath: displayPath ?? file.url.path)
  }

  /// The files named by `settings.files`, relative to `folder`; diagnostics name `displayPath`.
  ///
  /// Every file must lie inside `boundary` after `..` and symbolic links are resolved
  /// (default: ``WorkTree/boundary(for:)`` of `folder`), so a `.zenodo.toml` cannot upload
  /// files from elsewhere on the machine.
  public static func resolve(
    _ settings: ZenDoSettings, folder: URL, displayPath: String, boundary: URL? = nil
  ) -> ([LocalFile], [Diagnostic]) {
    let boundary = boundary ?? WorkTree.boundary(for: folder)
    var diagnostics: [Diagnostic] = []
    var files: [LocalFile] = []
    var byName: [String: (path: String, position: SourcePosition)] = [:]
    var seenPaths: Set<String> = []
    var total: Int64 = 0

    func report(_ position: SourcePosition, _ index: Int, _ message: String) {
      diagnostics.append(
        Diagnostic(
          .error, path: displayPath, at: position, keyPath: "zen-do.files[\(index)]", message))
    }

    for (index, pattern) in settings.files.enumerated() {
      let quoted = MetadataChecker.quote(pattern.pattern)
      var matches: [String]
      if pattern.isGlob {
        matches = Glob.expand(pattern.pattern, in: folder.path).filter {
          fileInfo(folder.appendingPathComponent($0).path)?.isRegular ?? false
        }
        if matches.isEmpty {
          report(
            pattern.position, index,
            "expected the pattern \(quoted) to match at least one file, found none")
          continue
        }
      } else {
        matches = [pattern.pattern]
      }
      for relative in matches {
        let url = folder.appendingPathComponent(relative).standardizedFileURL
        guard seenPaths.insert(url.path).inserted else { continue }
        let shown = pattern.isGlob ? "\(MetadataChecker.quote(relative)) (from \(quoted))" : quoted
        let info: (isRegular: Bool, isDirectory: Bool, size: Int64)
        switch check(url, relative: relative, shown: shown, boundary: boundary) {
        case .failure(let problem):
          report(pattern.position, index, problem.message)
          continue
        case .success(let found): info = found
        }
        let name: String
        if settings.keepFolders {
          // The key is the path below the folder; a file outside it has no such path.
          guard let key = folderKey(url, folder: folder) else {
            report(
              pattern.position, index,
              "expected a file inside the folder of this file with keep_folders = true (the "
                + "file's path there becomes its name on Zenodo), found \(shown)")
            continue
          }
          guard key.utf8.count <= 255 else {
            report(
              pattern.position, index,
              "expected a path of at most 255 bytes (Zenodo's limit on a file name), found "
                + "\(shown) (\(key.utf8.count) bytes)")
            continue
          }
          name = key
        } else {
          name = url.lastPathComponent
        }
        if let first = byName[name] {
          report(
            pattern.position, index,
            "expected unique file names (Zenodo has no folders), found \(shown) and "
              + "\(MetadataChecker.quote(first.path)) (at \(first.position)) both named "
              + MetadataChecker.quote(name))
          continue
        }
        byName[name] = (relative, pattern.position)
        total += info.size
        files.append(LocalFile(url: url, name: name, size: info.size))
      }
    }

    diagnostics += limits(
      settings, files: files, total: total, displayPath: displayPath)
    return (files, diagnostics)
  }

  /// The path of `url` below `folder` (`data/raw/a.csv`), nil when it is not below it.
  static func folderKey(_ url: URL, folder: URL) -> String? {
    let base = folder.standardizedFileURL.path
    let path = url.standardizedFileURL.path
    let prefix = base.hasSuffix("/") ? base : base + "/"
    guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
    return String(path.dropFirst(prefix.count))
  }

  /// Why a listed file cannot be deposited.
  struct Problem: Error {
    /// What is wrong and what was expected.
    var message: String
  }

  /// The file's `stat` when it can be deposited: it exists, lies inside `boundary` once
  /// resolved, is a regular file and is not empty.
  private static func check(_ url: URL, relative: String, shown: String, boundary: URL) -> Result<
    (isRegular: Bool, isDirectory: Bool, size: Int64), Problem
  > {
    guard let info = fileInfo(url.path) else {
      return .failure(Problem(message: "expected an existing file, found no file at \(shown)"))
    }
    if let real = WorkTree.realPath(url.path), !WorkTree.contains(boundary, real) {
      return .failure(
        Problem(
          message: "expected a file inside \(MetadataChecker.quote(boundary.path)) (the "
            + "repository holding the .zenodo.toml), found \(shown), which resolves to "
            + "\(MetadataChecker.quote(real)) outside it; copy the file into the repository"))
    }
    if !info.isRegular {
      return .failure(
        Problem(
          message: "expected a file, found a directory at \(shown); list its files, "
            + "for example \(MetadataChecker.quote(relative + "/*"))"))
    }
    if info.size == 0 {
      return .failure(
        Problem(
          message: "expected a non-empty file, found an empty file at \(shown); Zenodo rejects "
            + "empty files"))
    }
    return .success(info)
  }

  /// Zenodo's limits on the whole list, and the warning for an empty one.
  private static func limits(
    _ settings: ZenDoSettings, files: [LocalFile], total: Int64, displayPath: String
  ) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    let listPosition = settings.filesPosition ?? MetadataChecker.filePosition
    if settings.files.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, path: displayPath, at: listPosition, keyPath: "zen-do.files",
          "no files listed; expected paths or glob patterns in [zen-do].files, since Zenodo "
            + "publishes a deposit only when it has at least one file"))
    }
    if files.count > maximumFileCount {
      diagnostics.append(
        Diagnostic(
          .error, path: displayPath, at: listPosition, keyPath: "zen-do.files",
          "expected at most \(maximumFileCount) files (Zenodo's limit), found \(files.count)"))
    }
    if total > maximumTotalSize {
      diagnostics.append(
        Diagnostic(
          .error, path: displayPath, at: listPosition, keyPath: "zen-do.files",
          "expected at most 50 GB of files in all (Zenodo's limit), found \(total) bytes"))
    }
    return diagnostics
  }

  /// What `stat` says of a path, following symbolic links; nil when nothing is there.
  static func fileInfo(_ path: String) -> (isRegular: Bool, isDirectory: Bool, size: Int64)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    let type = info.st_mode & S_IFMT
    return (type == S_IFREG, type == S_IFDIR, Int64(info.st_size))
  }
}

/// Glob patterns over relative paths: `*` and `?` within one path component, `[abc]`,
/// `[a-z]` and `[!abc]` for one character, `**` for any number of folders.
///
/// As in a shell,
/// wildcards do not match a leading `.` (hidden files) unless the pattern writes it.
public enum Glob {
  /// The relative paths under `folder` that `pattern` matches, sorted; folders included.
  public static func expand(_ pattern: String, in folder: String) -> [String] {
    let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(
      String.init)
    var results: [String] = []
    walk(components[...], directory: folder, relative: "", results: &results)
    return Array(Set(results)).sorted()
  }

  private static func walk(
    _ components: ArraySlice<String>, directory: String, relative: String,
    results: inout [String]
  ) {
    guard let component = components.first else {
      if !relative.isEmpty { results.append(relative) }
      return
    }
    let rest = components.dropFirst()
    func child(_ name: String) -> (String, String) {
      (
        directory + "/" + name,
        relative.isEmpty ? name : relative + "/" + name
      )
    }
    if component == "**" {
      // Zero folders, then each folder in turn (never hidden ones).
      walk(rest, directory: directory, relative: relative, results: &results)
      for name in entries(of: directory) where !name.hasPrefix(".") {
        let (path, childRelative) = child(name)
        if FileResolver.fileInfo(path)?.isDirectory ?? false {
          walk(components, directory: path, relative: childRelative, results: &results)
        }
      }
    } else if component.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
      for name in entries(of: directory) where matches(component, name) {
        let (path, childRelative) = child(name)
        if rest.isEmpty || FileResolver.fileInfo(path)?.isDirectory ?? false {
          walk(rest, directory: path, relative: childRelative, results: &results)
        }
      }
    } else {
      let (path, childRelative) = child(component)
      if FileResolver.fileInfo(path) != nil {
        walk(rest, directory: path, relative: childRelative, results: &results)
      }
    }
  }

  private static func entries(of directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
  }

  /// Whether one path component matches one pattern component.
  public static func matches(_ pattern: String, _ name: String) -> Bool {
    let p = Array(pattern)
    let n = Array(name)
    if n.first == ".", p.first != "." { return false }
    return match(p, 0, n, 0)
  }

  private static func match(_ p: [Character], _ pi: Int, _ n: [Character], _ ni: Int) -> Bool {
    var pi = pi
    var ni = ni
    // Iterative with one backtrack point for the last `*`, so it stays linear-ish.
    var star: (p: Int, n: Int)?
    while ni < n.count {
      if pi < p.count {
        switch p[pi] {
        case "*":
          star = (pi, ni)
          pi += 1
          continue
        case "?":
          pi += 1
          ni += 1
          continue
        case "[":
          if let (matched, next) = matchClass(p, pi, n[ni]) {
            if matched {
              pi = next
              ni += 1
              continue
            }
          } else if n[ni] == "[" {
            pi += 1
            ni += 1
            continue
          }
        default:
          if p[pi] == n[ni] {
            pi += 1
            ni += 1
            continue
          }
        }
      }
      guard let s = star else { return false }
      pi = s.p + 1
      ni = s.n + 1
      star = (s.p, s.n + 1)
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }

  /// Matches `[...]` at `start`: whether `character` is in it, and the index after `]`;
  /// nil when the bracket is not closed (then `[` is a plain character).
  private static func matchClass(_ p: [Character], _ start: Int, _ character: Character) -> (
    Bool, Int
  )? {
    var i = start + 1
    var negate = false
    if i < p.count, p[i] == "!" || p[i] == "^" {
      negate = true
      i += 1
    }
    var matched = false
    var first = true
    while i < p.count {
      if p[i] == "]" && !first { return (matched != negate, i + 1) }
      first = false
      if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
        if p[i] <= character && character <= p[i + 2] { matched = true }
        i += 3
      } else {
        if p[i] == character { matched = true }
        i += 1
      }
    }
    return nil
  }
}
