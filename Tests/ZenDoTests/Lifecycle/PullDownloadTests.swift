import Foundation
import TestSupport
import Testing
import ZenDo

/// A transport that streams a fixed body into the download target.
final class FixedDownload: HTTPDownloadTransport {
  let body: [UInt8]
  init(_ text: String) { body = Array(text.utf8) }

  func send(_ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?) async throws
    -> TransportResponse
  {
    TransportResponse(status: 500)
  }

  func download(_ request: TransportRequest, to path: String) async throws -> DownloadOutcome {
    try Data(body).write(to: URL(fileURLWithPath: path))
    return DownloadOutcome(
      status: 200, size: Int64(body.count), md5: try FileDigest.md5(path: path))
  }
}

@Suite struct PullDownloadTests {
  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-download-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func client(_ transport: FixedDownload) -> ZenodoClient {
    ZenodoClient(
      baseURL: "http://127.0.0.1:1/api", token: ZenodoToken("s3cr3t-token"), transport: transport,
      clock: FakeClock(), random: { 0.5 })
  }

  @Test func aDownloadWithAnotherMD5WritesNothing() async throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = PulledFile(
      name: "a.csv", size: 4, md5: "0123456789abcdef0123456789abcdef",
      downloadURL: "http://127.0.0.1:1/api/records/1/files/a.csv/content")
    await #expect(throws: PullDownloadError.self) {
      _ = try await PullDownload(client: client(FixedDownload("abc\n"))).fetch(
        file, into: dir, replace: false)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  @Test func aMatchingDownloadIsRenamedIntoPlace() async throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scratch = dir.appendingPathComponent("scratch")
    try Data("abc\n".utf8).write(to: scratch)
    let md5 = try FileDigest.md5(path: scratch.path)
    try FileManager.default.removeItem(at: scratch)
    let file = PulledFile(
      name: "a.csv", size: 4, md5: md5,
      downloadURL: "http://127.0.0.1:1/api/records/1/files/a.csv/content")
    let matched = try await PullDownload(client: client(FixedDownload("abc\n"))).fetch(
      file, into: dir, replace: false)
    #expect(matched.relativePath == "a.csv")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.csv"])
    #expect(try FileDigest.md5(path: dir.appendingPathComponent("a.csv").path) == md5)
  }
}
