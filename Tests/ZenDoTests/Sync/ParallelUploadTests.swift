import Foundation
import Synchronization
import Testing
import ZenDo

/// A transport whose file uploads take a while, counting how many run at once.
private final class SlowUploads: HTTPTransport {
  let inFlight = Mutex(0)
  let most = Mutex(0)
  let order = Mutex<[String]>([])

  func send(_ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?) async throws
    -> TransportResponse
  {
    switch (request.method, request.body) {
    case ("GET", _) where request.url.contains("?"):
      return json("[" + depositionJSON(id: 2, concept: 1, state: "unsubmitted") + "]")
    case ("GET", _):
      return json(depositionJSON(id: 2, concept: 1, state: "unsubmitted"))
    case ("PUT", .file(let path, _)):
      let now = inFlight.withLock {
        $0 += 1
        return $0
      }
      most.withLock { $0 = max($0, now) }
      try await Task.sleep(for: .milliseconds(40))
      inFlight.withLock { $0 -= 1 }
      let name = String(request.url.split(separator: "/").last ?? "")
      order.withLock { $0.append(name) }
      return json(#"{"checksum":"md5:\#(try FileDigest.md5(path: path))"}"#, status: 201)
    default:
      throw FakeTransport.Unstubbed(method: request.method, url: request.url)
    }
  }
}

@Suite struct ParallelUploadTests {
  private func deposit(files count: Int) throws -> (LocalDeposit, String) {
    let folder = NSTemporaryDirectory() + "zen-do-parallel-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var files: [LocalFile] = []
    for index in 0..<count {
      let path = folder + "/f\(index).txt"
      try Data("file \(index)\n".utf8).write(to: URL(fileURLWithPath: path))
      files.append(
        LocalFile(name: "f\(index).txt", path: path, size: Int64("file \(index)\n".utf8.count)))
    }
    let metadata = identityMetadata()
    return (
      LocalDeposit(
        sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r", metadata: metadata, files: files),
      folder
    )
  }

  @Test(arguments: [1, 3, 4])
  func uploadsRunAtMostTheBoundAtOnceAndAllArrive(width: Int) async throws {
    let (local, folder) = try deposit(files: 9)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let transport = SlowUploads()
    let client = ZenodoClient(
      baseURL: "http://127.0.0.1:1/api", token: ZenodoToken("t"), transport: transport,
      pacer: RequestPacer(clock: SystemClock(), perMinute: 60000, capacity: 1000))
    let executor = SyncExecutor(client: client, parallelUploads: width)
    let plan = try await executor.plan(local, publish: false)
    #expect(plan.steps.count == 9)
    let result = try await executor.execute(plan)
    #expect(transport.most.withLock { $0 } == width)
    #expect(Set(transport.order.withLock { $0 }) == Set(local.files.map(\.name)))
    // The steps come back in the plan's order, each with the MD5 it was verified with.
    let sent = result.steps.compactMap { step -> LocalFile? in
      if case .upload(let file, _) = step { return file }
      return nil
    }
    #expect(sent.map(\.name) == local.files.map(\.name))
    for file in sent { #expect(file.md5 == (try FileDigest.md5(path: file.path))) }
  }

  @Test func boundedMapKeepsOrderAndStopsStartingAfterAFailure() async throws {
    struct Boom: Error {}
    let started = Mutex<[Int]>([])
    let doubled = try await BoundedConcurrency.map(Array(0..<10), width: 3) { value in
      started.withLock { $0.append(value) }
      try await Task.sleep(for: .milliseconds(Int.random(in: 1...10)))
      return value * 2
    }
    #expect(doubled == (0..<10).map { $0 * 2 })
    started.withLock { $0 = [] }
    await #expect(throws: Boom.self) {
      _ = try await BoundedConcurrency.map(Array(0..<10), width: 2) { value in
        started.withLock { $0.append(value) }
        if value == 1 { throw Boom() }
        try await Task.sleep(for: .milliseconds(50))
        return value
      }
    }
    #expect(started.withLock { $0.count } < 10)
  }
}
