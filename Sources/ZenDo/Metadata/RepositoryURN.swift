import Foundation

/// Derives a deposit's identity URN (`urn:zenodo:<owner>:<repo>[:<name>]`) from a git remote.
public enum RepositoryURN {
  /// The owner and repository path of a GitHub, GitLab or other git remote URL, such as
  /// `https://github.com/owner/repo.git`, `git@github.com:owner/repo.git` or
  /// `ssh://git@gitlab.com/group/subgroup/repo`; nil when it has no `owner/repo` path.
  ///
  /// GitLab subgroups are kept: `["group", "subgroup", "repo"]`.
  public static func repositoryPath(fromRemote remote: String) -> [String]? {
    var text = remote.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return nil }
    if let scheme = text.range(of: "://") {
      // https://host/owner/repo, ssh://git@host:22/owner/repo, git://host/owner/repo
      text = String(text[scheme.upperBound...])
      guard let slash = text.firstIndex(of: "/") else { return nil }
      text = String(text[text.index(after: slash)...])
    } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
      // scp-like: git@github.com:owner/repo.git
      text = String(text[text.index(after: colon)...])
    } else {
      return nil
    }
    if text.hasSuffix("/") { text.removeLast() }
    if text.hasSuffix(".git") { text.removeLast(4) }
    let parts = text.split(separator: "/").map(String.init)
    guard parts.count >= 2,
      parts.allSatisfy({ part in
        !part.isEmpty && !part.contains { $0 == ":" || $0.isWhitespace }
      })
    else { return nil }
    return parts
  }

  /// The URN for a repository path, plus `name` for a prefixed file (`.book.zenodo.toml` →
  /// `book`).
  public static func urn(repositoryPath: [String], name: String? = nil) -> String {
    ([IdentifierRules.urnPrefix] + repositoryPath + (name.map { [$0] } ?? [])).joined(
      separator: ":")
  }

  /// The `<name>` of a prefixed metadata file: `book` for `.book.zenodo.toml` or
  /// `.book.zenodo.json`, nil for `.zenodo.toml`.
  public static func outputName(forFileName fileName: String) -> String? {
    for suffix in [".zenodo.toml", ".zenodo.json"] where fileName.hasSuffix(suffix) {
      var stem = fileName.dropLast(suffix.count)
      if stem.hasPrefix(".") { stem = stem.dropFirst() }
      return stem.isEmpty ? nil : String(stem)
    }
    return nil
  }

  /// The `origin` remote of the git repository holding `folder`, as configured
  /// (`git config --get remote.origin.url`); nil when git is missing, the folder is not in a
  /// repository or has no origin.
  ///
  /// Not `git remote get-url origin`: that applies `url.<base>.insteadOf` rewrites, which can
  /// turn `https://github.com/owner/repo` into a mirror path or another host.
  public static func originRemote(of folder: URL) -> String? {
    Git.output(["config", "--get", "remote.origin.url"], in: folder)
  }

  /// The URN for a metadata file at `url`, derived from its folder's `origin` remote; nil when
  /// there is no usable remote.
  public static func derive(for url: URL) -> String? {
    guard let remote = originRemote(of: url.deletingLastPathComponent()),
      let path = repositoryPath(fromRemote: remote)
    else { return nil }
    return urn(repositoryPath: path, name: outputName(forFileName: url.lastPathComponent))
  }
}
