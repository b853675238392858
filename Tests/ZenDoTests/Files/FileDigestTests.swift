import Testing
import ZenDo

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct FileDigestTests {
  @Test func md5OfKnownContent() throws {
    let path = "/tmp/zen-do-md5-test-\(UInt32.random(in: 0...UInt32.max))"
    let file = try #require(fopen(path, "w"))
    fputs("abc", file)
    fclose(file)
    defer { remove(path) }
    #expect(try FileDigest.md5(path: path) == "900150983cd24fb0d6963f7d28e17f72")
    #expect(try FileDigest.md5(path: path, chunkSize: 1) == "900150983cd24fb0d6963f7d28e17f72")
    #expect(FileDigest.size(path: path) == 3)
  }

  @Test func unreadableFileNamesThePath() {
    #expect(throws: LocalFileError.self) { try FileDigest.md5(path: "/nonexistent/zen-do") }
  }
}
