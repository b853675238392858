import Foundation

/// Builds a deposit's identity URN (`urn:zenodo:<owner>:<repo>[:<name>]`) from a git remote.
public enum ZenodoURN {
  /// The `owner:repo` path of a GitHub or GitLab remote URL, or nil for other hosts and forms.
  ///
  /// Accepts `https://github.com/owner/repo(.git)`, `git@github.com:owner/repo.git`,
  /// `ssh://git@github.com/owner/repo.git` and the same on gitlab.com (GitLab subgroups become
  /// further segments). Credentials in the URL are ignored and never returned.
  public static func repositorySegments(fromRemote remote: String) -> [String]? {
    var text = remote.trimmingCharacters(in: .whitespacesAndNewlines)
    var hostAndPath: Substring
    if let range = text.range(of: "://") {
      // https://user:token@github.com/owner/repo.git or ssh://git@github.com:22/owner/repo
      hostAndPath = text[range.upperBound...]
      if let slash = hostAndPath.firstIndex(of: "/"),
        let at = hostAndPath[..<slash].lastIndex(of: "@")
      {
        hostAndPath = hostAndPath[hostAndPath.index(after: at)...]
      }
    } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
      // scp-like: git@github.com:owner/repo.git
      var host = text[..<colon]
      if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
      text = String(host) + "/" + text[text.index(after: colon)...]
      hostAndPath = Substring(text)
    } else {
      return nil
    }
    guard let slash = hostAndPath.firstIndex(of: "/") else { return nil }
    var host = hostAndPath[..<slash].lowercased()
    if let port = host.firstIndex(of: ":") { host = String(host[..<port]) }
    guard ["github.com", "www.github.com", "gitlab.com", "www.gitlab.com"].contains(host) else {
      return nil
    }
    var path = String(hostAndPath[hostAndPath.index(after: slash)...])
    while path.hasSuffix("/") { path.removeLast() }
    if path.hasSuffix(".git") { path.removeLast(4) }
    let segments = path.split(separator: "/").map(String.init)
    guard segments.count >= 2,
      segments.allSatisfy({ segment in
        !segment.isEmpty && !segment.contains(":") && !segment.contains(where: \.isWhitespace)
      })
    else { return nil }
    return segments
  }

  /// The output name of a metadata file: `book` for `.book.zenodo.json` or `book.zenodo.toml`,
  /// nil for a plain `.zenodo.json` / `.zenodo.toml`.
  public static func outputName(ofFile fileName: String) -> String? {
    var name = fileName
    for suffix in [".zenodo.json", ".zenodo.toml"] where name.hasSuffix(suffix) {
      name.removeLast(suffix.count)
      while name.hasPrefix(".") { name.removeFirst() }
      let cleaned = name.filter { $0 != ":" && $0 != "/" && !$0.isWhitespace }
      return cleaned.isEmpty ? nil : cleaned
    }
    return nil
  }

  /// The URN for a file whose folder has the given remote, or nil when the remote is not a
  /// GitHub or GitLab repository.
  public static func derive(remote: String, fileName: String) -> String? {
    guard let segments = repositorySegments(fromRemote: remote) else { return nil }
    var urn = "urn:zenodo:" + segments.joined(separator: ":")
    if let name = outputName(ofFile: fileName) { urn += ":" + name }
    return urn
  }

  /// True when `identifier` has the URN form the format requires: `urn:zenodo(:[^/:\s]+)+`.
  public static func isValid(_ identifier: String) -> Bool {
    guard identifier.hasPrefix("urn:zenodo:") else { return false }
    let rest = identifier.dropFirst("urn:zenodo:".count)
    let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
    return !parts.isEmpty
      && parts.allSatisfy { part in
        !part.isEmpty && !part.contains("/") && !part.contains(where: \.isWhitespace)
      }
  }
}

/// Reads the `origin` remote URL of the git repository a folder is in.
public protocol GitRemoteReader: Sendable {
  /// The URL of `origin` for the repository holding `folder`, or nil when there is none.
  func originURL(ofFolder folder: URL) -> String?
}

/// Asks the `git` command for the URL as configured (`git -C FOLDER config --get
/// remote.origin.url`).
///
/// Not `git remote get-url origin`: that applies `url.<base>.insteadOf` rewrites, so on a machine
/// that mirrors GitHub locally it answers a local path instead of the repository's address.
public struct GitCommandRemoteReader: GitRemoteReader {
  /// Creates a reader that runs `git` from the `PATH`.
  public init() {}

  public func originURL(ofFolder folder: URL) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", folder.path, "config", "--get", "remote.origin.url"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }
}
