import Foundation

/// The identity URN `convert` adds (`urn:zenodo:<owner>:<repo>[:<name>]`), derived from a
/// GitHub or GitLab remote with the same rules as `zen-do init` (``RepositoryURN``).
public enum ZenodoURN {
  /// The hosts whose remotes give a URN: the forms Zenodo users have.
  public static let hosts: Set<String> = [
    "github.com", "www.github.com", "gitlab.com", "www.gitlab.com",
  ]

  /// The `owner:repo` path of a GitHub or GitLab remote URL, or nil for other hosts and forms.
  ///
  /// Accepts `https://github.com/owner/repo(.git)`, `git@github.com:owner/repo.git`,
  /// `ssh://git@github.com/owner/repo.git` and the same on gitlab.com (GitLab subgroups become
  /// further segments). Credentials in the URL are ignored and never returned.
  public static func repositorySegments(fromRemote remote: String) -> [String]? {
    guard let host = host(ofRemote: remote), hosts.contains(host) else { return nil }
    return RepositoryURN.repositoryPath(fromRemote: remote)
  }

  /// The host of a remote URL (`https://user@host:port/...` or `user@host:path`), lowercased.
  static func host(ofRemote remote: String) -> String? {
    let text = remote.trimmingCharacters(in: .whitespacesAndNewlines)
    var authority: Substring
    if let scheme = text.range(of: "://") {
      let rest = text[scheme.upperBound...]
      authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
      if let colon = authority.lastIndex(of: ":"),
        authority[colon...].dropFirst().allSatisfy(\.isNumber)
      {
        authority = authority[..<colon]
      }
    } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
      authority = text[..<colon]
    } else {
      return nil
    }
    if let at = authority.lastIndex(of: "@") {
      authority = authority[authority.index(after: at)...]
    }
    return authority.isEmpty ? nil : authority.lowercased()
  }

  /// The output name of a metadata file: `book` for `.book.zenodo.json` or `book.zenodo.toml`,
  /// nil for a plain `.zenodo.json` / `.zenodo.toml`.
  public static func outputName(ofFile fileName: String) -> String? {
    RepositoryURN.outputName(forFileName: fileName)
  }

  /// The URN for a file whose folder has the given remote, or nil when the remote is not a
  /// GitHub or GitLab repository.
  public static func derive(remote: String, fileName: String) -> String? {
    guard let segments = repositorySegments(fromRemote: remote) else { return nil }
    return RepositoryURN.urn(repositoryPath: segments, name: outputName(ofFile: fileName))
  }

  /// True when `identifier` has the URN form the format requires: `urn:zenodo(:[^/:\s]+)+`.
  public static func isValid(_ identifier: String) -> Bool {
    IdentifierRules.isZenodoURN(identifier)
  }
}

/// Reads the `origin` remote URL of the git repository a folder is in.
public protocol GitRemoteReader: Sendable {
  /// The URL of `origin` for the repository holding `folder`, or nil when there is none.
  func originURL(ofFolder folder: URL) -> String?
}

/// Asks the `git` command for the URL as configured (``RepositoryURN/originRemote(of:)``: `git
/// config --get remote.origin.url`, not `git remote get-url`, which applies `insteadOf`
/// rewrites).
public struct GitCommandRemoteReader: GitRemoteReader {
  /// Creates a reader that runs `git` from the `PATH`.
  public init() {}

  public func originURL(ofFolder folder: URL) -> String? {
    RepositoryURN.originRemote(of: folder)
  }
}
