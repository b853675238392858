import EmulatorTestSupport
import Foundation
import Synchronization
import Testing
import ZenDo

/// The real transport with one change: the checksum in the answer to the first file upload is
/// replaced, as a corrupting network or server would.
private final class FirstChecksumWrong: HTTPTransport {
  let real = AsyncHTTPClientTransport()
  let sent = Mutex<[String?]>([])

  func send(_ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?) async throws
    -> TransportResponse
  {
    var response = try await real.send(request, progress: progress)
    guard case .file = request.body else { return response }
    let first = sent.withLock { log in
      log.append(response.sentMD5)
      return log.count == 1
    }
    if first {
      response.body = Array(#"{"checksum":"md5:00000000000000000000000000000000"}"#.utf8)
    }
    return response
  }
}

@Suite struct OnePassUploadTests {
  @Test func aFileHashedWhileSentIsResentWhenTheReturnedChecksumDiffers() async throws {
    let emulator = try await EmulatorProcess.start(arguments: ["--user", "alice:one-pass-token"])
    defer { emulator.stop() }
    let path = NSTemporaryDirectory() + "zen-do-one-pass-\(UUID().uuidString.prefix(8)).bin"
    // 3 MiB and a bit: several chunks, the last one short.
    var bytes = [UInt8](repeating: 0, count: 3 << 20 + 12345)
    var generator = SystemRandomNumberGenerator()
    for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let expected = try FileDigest.md5(path: path)

    let transport = FirstChecksumWrong()
    let client = ZenodoClient(
      baseURL: emulator.apiURL, token: ZenodoToken("one-pass-token"), transport: transport,
      pacer: RequestPacer(clock: SystemClock(), perMinute: 6000, capacity: 100))
    let retries = Mutex<[String]>([])
    let executor = SyncExecutor(
      client: client,
      events: { event in
        if case .retry(let text) = event { retries.withLock { $0.append(text) } }
      })
    let deposit = LocalDeposit(
      sourcePath: ".zenodo.toml", urn: "urn:zenodo:e2e:one-pass:\(UUID().uuidString.prefix(8))",
      metadata: JSONObject([("title", .string("One pass")), ("upload_type", .string("dataset"))]),
      files: [LocalFile(name: "data.bin", path: path, size: Int64(bytes.count))])
    let plan = try await executor.plan(deposit, publish: false)
    #expect(plan.local.files[0].md5 == nil, "a new file was hashed before the upload")
    let result = try await executor.execute(plan)
    await transport.real.shutdown()

    // Both sends were hashed by the transport from the chunks it sent, and both digests are
    // the file's; the first, "corrupted" answer made zen-do send it again.
    #expect(transport.sent.withLock { $0 } == [expected, expected])
    #expect(retries.withLock { $0 }.contains { $0.contains("arrived with MD5 0000") })
    #expect(result.deposition.files.map(\.md5) == [expected])
    let puts = emulator.requests().filter { $0.method == "PUT" && $0.path.hasSuffix("/data.bin") }
    #expect(puts.count == 2)
  }
}
