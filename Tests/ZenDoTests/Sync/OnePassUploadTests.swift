import Foundation
import Synchronization
import Testing
import ZenDo

/// A deposit of one real file `a.csv` ("abc") with no MD5 computed yet.
private func unhashedDeposit() throws -> (LocalDeposit, String) {
  let path = NSTemporaryDirectory() + "zen-do-one-pass-\(UUID().uuidString.prefix(8)).csv"
  try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
  let deposit = LocalDeposit(
    sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r",
    metadata: identityMetadata(),
    files: [LocalFile(name: "a.csv", path: path, size: 3)])
  return (deposit, path)
}

private let abc = "900150983cd24fb0d6963f7d28e17f72"

@Suite struct OnePassUploadTests {
  @Test func aNewFileIsNotHashedBeforeTheUploadAndAWrongChecksumIsResent() async throws {
    let (deposit, path) = try unhashedDeposit()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let puts = Mutex(0)
    let transport = FakeTransport { request, _ in
      switch request.method {
      case "GET" where request.url.contains("?"):
        return json("[" + depositionJSON(id: 2, concept: 1, state: "unsubmitted") + "]")
      case "GET": return json(depositionJSON(id: 2, concept: 1, state: "unsubmitted"))
      case "PUT":
        #expect(request.hashFileBody, "a file without an MD5 must be hashed while sent")
        let count = puts.withLock {
          $0 += 1
          return $0
        }
        let checksum = count == 1 ? String(repeating: "f", count: 32) : abc
        return json(#"{"checksum":"md5:\#(checksum)"}"#, status: 201)
      default: return nil
      }
    }
    let events = Mutex<[String]>([])
    let executor = SyncExecutor(
      client: client(transport),
      events: { event in
        switch event {
        case .hashing(let name, _): events.withLock { $0.append("hash \(name)") }
        case .retry(let text): events.withLock { $0.append("retry \(text)") }
        default: break
        }
      })
    let plan = try await executor.plan(deposit, publish: false)
    #expect(plan.steps == [.upload(deposit.files[0], replacing: nil)])
    #expect(events.withLock { $0 }.isEmpty, "a new file was hashed before the plan")
    let result = try await executor.execute(plan)
    #expect(puts.withLock { $0 } == 2)
    guard case .upload(let sent, _) = result.steps.first else {
      Issue.record("no upload step in \(result.steps)")
      return
    }
    #expect(sent.md5 == abc)
    #expect(events.withLock { $0 }.contains { $0.hasPrefix("retry a.csv arrived with MD5 fff") })
  }

  @Test func aFileTheRemoteHoldsWithTheSameNameAndSizeIsHashedFirst() async throws {
    let (deposit, path) = try unhashedDeposit()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let transport = FakeTransport { request, _ in
      guard request.method == "GET" else { return nil }
      // depositionJSON gives every file 3 bytes, as "abc" is.
      let body = depositionJSON(id: 2, concept: 1, state: "unsubmitted", files: [("a.csv", abc)])
      return json(request.url.contains("?") ? "[" + body + "]" : body)
    }
    let hashed = Mutex<[String]>([])
    let executor = SyncExecutor(
      client: client(transport),
      events: { event in
        if case .hashing(let name, _) = event { hashed.withLock { $0.append(name) } }
      })
    let plan = try await executor.plan(deposit, publish: false)
    #expect(hashed.withLock { $0 } == ["a.csv"])
    #expect(plan.isUpToDate)
    #expect(transport.writes.isEmpty)
  }

  @Test func aChangedSizeNeedsNoHashAndTheDryRunSaysWhy() async throws {
    let (deposit, path) = try unhashedDeposit()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let transport = FakeTransport { request, _ in
      guard request.method == "GET" else { return nil }
      let body = depositionJSON(
        id: 2, concept: 1, state: "unsubmitted", files: [("a.csv", abc)]
      ).replacingOccurrences(of: "\"filesize\":3", with: "\"filesize\":4")
      return json(request.url.contains("?") ? "[" + body + "]" : body)
    }
    let plan = try await SyncExecutor(client: client(transport)).plan(deposit, publish: false)
    #expect(plan.steps.count == 1)
    #expect(plan.local.files[0].md5 == nil)
    #expect(plan.rendered().contains("upload a.csv (3 B, changed: size 4 B -> 3 B)"))
  }
}
