import Foundation
import Testing
import ZenDo

#if canImport(Glibc)
  import Glibc
#endif

/// A scratch folder with one data file whose time stamps are set well in the past, so the
/// cache's "touched in the last two seconds" rule does not apply unless a test wants it.
private struct Scratch {
  let folder: String
  let file: String
  var cacheDirectory: String { folder + "/cache" }

  init(content: String = "hello, cache\n") throws {
    folder = NSTemporaryDirectory() + "zen-do-cache-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    file = folder + "/data.bin"
    try write(content)
  }

  /// Writes `content` and moves the modification time an hour back.
  func write(_ content: String, secondsAgo: Double = 3600) throws {
    try Data(content.utf8).write(to: URL(fileURLWithPath: file))
    try age(secondsAgo)
  }

  /// Sets the modification time `secondsAgo` back (the change time becomes now, as the kernel
  /// always does; the tests' clock runs ahead to stay clear of it).
  func age(_ secondsAgo: Double) throws {
    let date = Date().addingTimeInterval(-secondsAgo)
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: file)
  }

  func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// A clock a minute ahead, so files written by the test are not "recent" to the cache.
private let later: @Sendable () -> Double = { Date().timeIntervalSince1970 + 60 }

private func deposit(_ path: String, _ size: Int64) -> LocalDeposit {
  LocalDeposit(
    sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r", metadata: JSONObject(),
    files: [LocalFile(name: "data.bin", path: path, size: size)])
}

@Suite struct HashCacheTests {
  @Test func aStoredDigestIsFoundAgainAfterSavingAndReopening() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let identity = try #require(FileIdentity(path: scratch.file))
    let cache = HashCache(directory: scratch.cacheDirectory, now: later)
    #expect(cache.md5(for: identity) == nil)
    cache.store(String(repeating: "a", count: 32), for: identity)
    #expect(cache.save() == nil)
    let reopened = HashCache(directory: scratch.cacheDirectory, now: later)
    #expect(reopened.md5(forFileAt: scratch.file) == String(repeating: "a", count: 32))
    #expect(reopened.takeWarnings().isEmpty)
  }

  @Test func aHitIsUsedWithoutReadingTheFileAndAMissIsHashedAndStored() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let size = Int64(FileDigest.size(path: scratch.file) ?? 0)
    let cache = HashCache(directory: scratch.cacheDirectory, now: later)
    var hashed: [String] = []
    let first = try deposit(scratch.file, size).withDigests(
      where: { _ in true }, cache: cache, progress: { hashed.append($0.name) })
    #expect(first.files[0].md5 == (try FileDigest.md5(path: scratch.file)))
    #expect(hashed == ["data.bin"])
    // A planted digest proves the second run reads the cache, not the file.
    let identity = try #require(FileIdentity(path: scratch.file))
    let planted = String(repeating: "0", count: 32)
    cache.store(planted, for: identity)
    hashed = []
    let second = try deposit(scratch.file, size).withDigests(
      where: { _ in true }, cache: cache, progress: { hashed.append($0.name) })
    #expect(second.files[0].md5 == planted)
    #expect(hashed.isEmpty)
  }

  @Test(arguments: ["device", "inode", "size", "mtime", "ctime"])
  func everyKeyFieldMisses(field: String) throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let identity = try #require(FileIdentity(path: scratch.file))
    let cache = HashCache(directory: scratch.cacheDirectory, now: later)
    cache.store(String(repeating: "b", count: 32), for: identity)
    var other = identity
    switch field {
    case "device": other.device += 1
    case "inode": other.inode += 1
    case "size": other.size += 1
    case "mtime": other.modifiedNanoseconds += 1
    default: other.changedNanoseconds += 1
    }
    #expect(cache.md5(for: identity) != nil)
    #expect(cache.md5(for: other) == nil)
  }

  @Test func rewritingTheFileWithTheSameSizeMisses() throws {
    let scratch = try Scratch(content: "version one\n")
    defer { scratch.remove() }
    let cache = HashCache(directory: scratch.cacheDirectory, now: later)
    let before = try #require(FileIdentity(path: scratch.file))
    cache.store(try FileDigest.md5(path: scratch.file), for: before)
    try scratch.write("version two\n", secondsAgo: 1800)
    let after = try #require(FileIdentity(path: scratch.file))
    #expect(after.size == before.size)
    #expect(cache.md5(forFileAt: scratch.file) == nil)
  }

  @Test func aFileTouchedInTheLastTwoSecondsIsNeitherStoredNorLookedUp() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let identity = try #require(FileIdentity(path: scratch.file))
    // The change time is now (setting the mtime changes it): with the real clock it is recent.
    let cache = HashCache(directory: scratch.cacheDirectory)
    cache.store(String(repeating: "c", count: 32), for: identity)
    #expect(cache.md5(for: identity) == nil)
    #expect(cache.save() == nil)
    #expect(
      !FileManager.default.fileExists(atPath: scratch.cacheDirectory + "/md5.v1"),
      "the recent file was stored")
  }

  @Test(arguments: [
    "not a cache\n",
    "zen-do md5 cache v1\n1 2 3 4 5 nothex\n",
    "zen-do md5 cache v1\n1 2 3\n",
    "zen-do md5 cache v1\n1 2 3 4 5 " + String(repeating: "a", count: 32),
  ])
  func aCorruptCacheIsIgnoredWithAWarningAndRewritten(content: String) throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try FileManager.default.createDirectory(
      atPath: scratch.cacheDirectory, withIntermediateDirectories: true)
    let cachePath = scratch.cacheDirectory + "/md5.v1"
    try Data(content.utf8).write(to: URL(fileURLWithPath: cachePath))
    let cache = HashCache(directory: scratch.cacheDirectory, now: later)
    let warnings = cache.takeWarnings()
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("corrupt") == true)
    #expect(warnings.first?.contains(cachePath) == true)
    let size = Int64(FileDigest.size(path: scratch.file) ?? 0)
    let hashed = try deposit(scratch.file, size).withDigests(where: { _ in true }, cache: cache)
    #expect(hashed.files[0].md5 == (try FileDigest.md5(path: scratch.file)))
    #expect(cache.save() == nil)
    let reopened = HashCache(directory: scratch.cacheDirectory, now: later)
    #expect(reopened.takeWarnings().isEmpty)
    #expect(reopened.md5(forFileAt: scratch.file) == hashed.files[0].md5)
  }

  @Test func anUnwritableCacheGivesAWarningNotAnError() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // A cache folder below a regular file can never be created (ENOTDIR, even for root).
    let cache = HashCache(directory: scratch.file + "/zen-do", now: later)
    #expect(cache.takeWarnings().isEmpty)
    let size = Int64(FileDigest.size(path: scratch.file) ?? 0)
    let hashed = try deposit(scratch.file, size).withDigests(where: { _ in true }, cache: cache)
    #expect(hashed.files[0].md5 == (try FileDigest.md5(path: scratch.file)))
    let warning = try #require(cache.save())
    #expect(warning.contains("cannot write the MD5 cache"))
    #expect(warning.contains(scratch.file + "/zen-do/md5.v1"))
  }

  @Test func onlyTheFilesThePlanNeedsAreHashed() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let size = Int64(FileDigest.size(path: scratch.file) ?? 0)
    let skipped = try deposit(scratch.file, size).withDigests(where: { _ in false }, cache: nil)
    #expect(skipped.files[0].md5 == nil)
  }

  @Test func theCacheFolderFollowsXDG() {
    #expect(
      HashCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"])
        == "/x/zen-do")
    #expect(HashCache.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/zen-do")
    #expect(
      HashCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])
        == "/h/.cache/zen-do")
    #expect(HashCache.defaultDirectory(environment: [:]) == nil)
  }
}
