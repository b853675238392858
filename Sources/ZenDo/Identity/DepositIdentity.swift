import Foundation

/// A deposit's identity: the `urn:zenodo:<owner>:<repo>[:<name>]` related identifier with
/// relation `isIdenticalTo` that ties a `.zenodo.toml` to its Zenodo concept.
///
/// The one place for its rules: the form (``isValid(_:)``), the comparison form
/// (``normalised(_:)``), which related identifier is the identity (``isIdentityEntry(identifier:relation:)``)
/// and the derivation from a git remote (``derive(for:)``). `check`, `convert`, `init` and the
/// sync all use it.
public enum DepositIdentity {
  /// The URN prefix of every identity.
  public static let prefix = "urn:zenodo"
  /// The relation that marks the identity among the related identifiers.
  public static let relation = "isIdenticalTo"
  /// The scheme of the identity entry (Zenodo detects it again on its side).
  public static let scheme = "urn"

  /// Whether `relation` is ``relation``, in any letter case (Zenodo lower-cases relations).
  public static func isIdentityRelation(_ relation: String) -> Bool {
    relation.lowercased() == self.relation.lowercased()
  }

  /// Whether `text` matches `urn:zenodo(:[^/:\\s]+)+` as a whole: `urn:zenodo:a:b` is one,
  /// `urn:zenodo`, `urn:zenodo:`, `urn:zenodo:a:` and `urn:zenodo:a/b` are not.
  public static func isValid(_ text: String) -> Bool {
    guard text.hasPrefix(prefix) else { return false }
    let rest = text.dropFirst(prefix.count)
    guard rest.first == ":" else { return false }
    let segments = rest.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
    return segments.allSatisfy { segment in
      !segment.isEmpty && !segment.contains { $0 == "/" || $0.isWhitespace }
    }
  }

  /// A URN with its `urn:` prefix in lower case, as Zenodo stores it; other identifiers as is.
  public static func normalised(_ identifier: String) -> String {
    guard identifier.count > 4, identifier.prefix(4).lowercased() == "urn:" else {
      return identifier
    }
    return "urn:" + identifier.dropFirst(4)
  }

  /// Whether a related identifier looks like an identity: its identifier starts with
  /// `urn:zenodo` in any case (whether it is valid is ``isValid(_:)``'s question).
  public static func looksLikeIdentity(_ identifier: String) -> Bool {
    identifier.lowercased().hasPrefix(prefix)
  }

  /// Whether a related identifier is the deposit's identity: relation `isIdenticalTo` (in any
  /// case) and a valid `urn:zenodo:` identifier once normalised.
  public static func isIdentityEntry(identifier: String, relation: String) -> Bool {
    isIdentityRelation(relation) && isValid(normalised(identifier))
  }

  /// The identity in one `related_identifiers` entry, normalised; nil when it is not one.
  ///
  /// Reads both shapes: the legacy `{"relation": "isIdenticalTo"}` and the records API's
  /// `{"relation_type": {"id": "isidenticalto"}}`.
  public static func identity(inEntry entry: JSONValue) -> String? {
    guard let object = entry.objectValue, let identifier = object["identifier"]?.stringValue,
      let relation = object["relation"]?.stringValue
        ?? object["relation_type"]?.objectValue?["id"]?.stringValue,
      isIdentityEntry(identifier: identifier, relation: relation)
    else { return nil }
    return normalised(identifier)
  }

  // MARK: From git

  /// The owner and repository path of a GitHub, GitLab or other git remote URL, such as
  /// `https://github.com/owner/repo.git`, `git@github.com:owner/repo.git` or
  /// `ssh://git@gitlab.com/group/subgroup/repo`; nil when it has no `owner/repo` path.
  ///
  /// GitLab subgroups are kept: `["group", "subgroup", "repo"]`.
  public static func repositoryPath(fromRemote remote: String) -> [String]? {
    var text = remote.trimmed
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
    ([prefix] + repositoryPath + (name.map { [$0] } ?? [])).joined(separator: ":")
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

  /// The URN for a metadata file named `fileName` in a folder whose `origin` is `remote`; nil
  /// when the remote has no `owner/repo` path.
  public static func derive(remote: String, fileName: String) -> String? {
    guard let path = repositoryPath(fromRemote: remote) else { return nil }
    return urn(repositoryPath: path, name: outputName(forFileName: fileName))
  }

  /// The URN for a metadata file at `url`, derived from its folder's `origin` remote; nil when
  /// there is no usable remote.
  public static func derive(for url: URL) -> String? {
    guard let remote = originRemote(of: url.deletingLastPathComponent()) else { return nil }
    return derive(remote: remote, fileName: url.lastPathComponent)
  }
}

/// Reads the `origin` remote URL of the git repository a folder is in.
public protocol GitRemoteReader: Sendable {
  /// The URL of `origin` for the repository holding `folder`, or nil when there is none.
  func originURL(ofFolder folder: URL) -> String?
}

/// Asks the `git` command for the URL as configured (``DepositIdentity/originRemote(of:)``: `git
/// config --get remote.origin.url`, not `git remote get-url`, which applies `insteadOf`
/// rewrites).
public struct GitCommandRemoteReader: GitRemoteReader {
  /// Creates a reader that runs `git` from the `PATH`.
  public init() {}

  public func originURL(ofFolder folder: URL) -> String? {
    DepositIdentity.originRemote(of: folder)
  }
}
