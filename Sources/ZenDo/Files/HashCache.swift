import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What identifies one version of a file on disk.
///
/// Device, inode, size, modification and change time in nanoseconds. Any write, truncation, rename over, `touch` or `chmod` changes one of them.
public struct FileIdentity: Hashable, Sendable {
  /// The device holding the file.
  public var device: UInt64
  /// The inode number.
  public var inode: UInt64
  /// The size in bytes.
  public var size: Int64
  /// The modification time, nanoseconds since 1970.
  public var modifiedNanoseconds: Int64
  /// The status change time, nanoseconds since 1970.
  public var changedNanoseconds: Int64

  /// Creates an identity from its fields.
  public init(
    device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64,
    changedNanoseconds: Int64
  ) {
    self.device = device
    self.inode = inode
    self.size = size
    self.modifiedNanoseconds = modifiedNanoseconds
    self.changedNanoseconds = changedNanoseconds
  }

  /// The identity of the file at `path` now, or nil when it cannot be read.
  public init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    #if canImport(Glibc)
      let modified = info.st_mtim
      let changed = info.st_ctim
    #else
      let modified = info.st_mtimespec
      let changed = info.st_ctimespec
    #endif
    self.init(
      device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
      modifiedNanoseconds: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
      changedNanoseconds: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec))
  }

  /// The later of the modification and change times, in seconds since 1970.
  var lastTouched: Double { Double(max(modifiedNanoseconds, changedNanoseconds)) / 1e9 }
}

/// MD5s of files already read, kept between runs so that a no-op re-run of a large deposit does
/// not read it again.
///
/// Keyed by ``FileIdentity``, so any change of the file misses. Never used for a file touched in
/// the last ``recentSeconds`` (the file system's time stamps may not have moved yet). The cache is
/// a help, never a source of failure: a corrupt file is ignored (and rewritten), an unwritable one
/// is skipped, each with a warning.
public final class HashCache: Sendable {
  /// The cache file.
  public let path: String
  /// Files touched more recently than this many seconds are neither looked up nor stored.
  public static let recentSeconds = 2.0
  private static let header = "zen-do md5 cache v1"
  private let now: @Sendable () -> Double
  private struct State {
    var entries: [FileIdentity: String] = [:]
    var dirty = false
    var warnings: [String] = []
  }
  private let state = Mutex(State())

  /// The cache folder: `$XDG_CACHE_HOME/zen-do`, else `$HOME/.cache/zen-do`; nil without either.
  public static func defaultDirectory(environment: [String: String]) -> String? {
    if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") { return base + "/zen-do" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/zen-do" }
    return nil
  }

  /// Opens the cache in `directory` (read at once; a missing file is an empty cache).
  public init(
    directory: String, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
  ) {
    self.path = directory + "/md5.v1"
    self.now = now
    let loaded = Self.load(path)
    state.withLock { state in
      state.entries = loaded.entries
      if let warning = loaded.warning {
        state.warnings.append(warning)
        state.dirty = true
      }
    }
  }

  /// Warnings gathered so far (a corrupt or unwritable cache), each once; clears them.
  public func takeWarnings() -> [String] {
    state.withLock { state in
      defer { state.warnings = [] }
      return state.warnings
    }
  }

  /// The cached MD5 of the file at `path` as it is now, or nil (unknown, changed, or touched
  /// too recently to trust its time stamps).
  public func md5(forFileAt path: String) -> String? {
    guard let identity = FileIdentity(path: path) else { return nil }
    return md5(for: identity)
  }

  /// The cached MD5 of the file version `identity`, or nil.
  public func md5(for identity: FileIdentity) -> String? {
    guard !isRecent(identity) else { return nil }
    return state.withLock { $0.entries[identity] }
  }

  /// Remembers `md5` for the file version `identity` (unless it was touched too recently).
  public func store(_ md5: String, for identity: FileIdentity) {
    guard !isRecent(identity) else { return }
    state.withLock { state in
      if state.entries[identity] != md5 {
        state.entries[identity] = md5
        state.dirty = true
      }
    }
  }

  /// Writes the cache if anything changed (a temporary file renamed over the old one); returns
  /// a warning instead of failing when it cannot.
  @discardableResult
  public func save() -> String? {
    let (entries, dirty) = state.withLock { ($0.entries, $0.dirty) }
    guard dirty else { return nil }
    var text = Self.header + "\n"
    for (identity, md5) in entries {
      text +=
        "\(identity.device) \(identity.inode) \(identity.size) \(identity.modifiedNanoseconds) "
        + "\(identity.changedNanoseconds) \(md5)\n"
    }
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = path + ".\(getpid()).tmp"
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
      guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
      }
    } catch {
      unlink(temporary)
      let warning =
        "cannot write the MD5 cache '\(path)' (\(Self.reason(error))); files will be hashed "
        + "again next time (use --no-cache to skip the cache)"
      return warning
    }
    state.withLock { $0.dirty = false }
    return nil
  }

  private func isRecent(_ identity: FileIdentity) -> Bool {
    now() - identity.lastTouched < Self.recentSeconds
  }

  private static func reason(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError,
      let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return (error as NSError).localizedDescription
  }

  /// The entries of the cache file, or none and a warning when it is not a cache file.
  private static func load(_ path: String) -> (entries: [FileIdentity: String], warning: String?) {
    guard let data = FileManager.default.contents(atPath: path) else {
      if access(path, F_OK) == 0 {
        return ([:], "cannot read the MD5 cache '\(path)'; ignoring it")
      }
      return ([:], nil)
    }
    let corrupt = "the MD5 cache '\(path)' is corrupt; ignoring it (it will be rewritten)"
    guard let text = String(data: data, encoding: .utf8) else { return ([:], corrupt) }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.first == Substring(header), lines.last == "" else { return ([:], corrupt) }
    lines.removeFirst()
    lines.removeLast()
    var entries: [FileIdentity: String] = [:]
    for line in lines {
      let fields = line.split(separator: " ")
      guard fields.count == 6, let device = UInt64(fields[0]), let inode = UInt64(fields[1]),
        let size = Int64(fields[2]), let modified = Int64(fields[3]),
        let changed = Int64(fields[4]), isMD5(fields[5])
      else { return ([:], corrupt) }
      let identity = FileIdentity(
        device: device, inode: inode, size: size, modifiedNanoseconds: modified,
        changedNanoseconds: changed)
      entries[identity] = String(fields[5])
    }
    return (entries, nil)
  }

  private static func isMD5(_ text: Substring) -> Bool {
    text.utf8.count == 32
      && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }
}

extension LocalDeposit {
  /// The same deposit with the MD5 of each file that `needed` picks computed: from `cache` when
  /// it knows the file as it is now, else streamed from disk (and then remembered in `cache`).
  public func withDigests(
    where needed: (LocalFile) -> Bool, cache: HashCache?,
    progress: (_ file: LocalFile) -> Void = { _ in }
  ) throws(LocalFileError) -> LocalDeposit {
    var copy = self
    for index in copy.files.indices where copy.files[index].md5 == nil {
      let file = copy.files[index]
      guard needed(file) else { continue }
      let before = cache == nil ? nil : FileIdentity(path: file.path)
      if let before, let known = cache?.md5(for: before) {
        copy.files[index].md5 = known
        continue
      }
      progress(file)
      let md5 = try FileDigest.md5(path: file.path)
      copy.files[index].md5 = md5
      if let before, before == FileIdentity(path: file.path) { cache?.store(md5, for: before) }
    }
    return copy
  }
}
