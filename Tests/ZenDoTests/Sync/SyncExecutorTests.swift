import Synchronization
import TestSupport
import Testing
import ZenDo

private let deposit = LocalDeposit(
  sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r",
  metadata: JSONObject([
    ("title", .string("T")), ("upload_type", .string("dataset")),
    (
      "related_identifiers",
      .array([
        .object(
          JSONObject([
            ("identifier", .string("urn:zenodo:o:r")), ("relation", .string("isIdenticalTo")),
          ]))
      ])
    ),
  ]),
  files: [LocalFile(name: "a.csv", path: "/dev/null", size: 0, md5: "aaa")])

@Suite struct SyncExecutorTests {
  @Test func aLostCreateAnswerIsFoundBySearchNotCreatedTwice() async throws {
    let created = Mutex(false)
    let transport = FakeTransport { request, _ in
      switch (request.method, request.url) {
      case ("POST", let url) where url.hasSuffix("/deposit/depositions"):
        created.withLock { $0 = true }
        return json("<html>gateway timeout</html>", status: 504)
      case ("GET", let url) where url.contains("/deposit/depositions?"):
        return json(
          created.withLock { $0 }
            ? "[" + depositionJSON(id: 2, concept: 1, state: "unsubmitted") + "]" : "[]")
      case ("GET", let url) where url.hasSuffix("/deposit/depositions/2"):
        return json(
          depositionJSON(
            id: 2, concept: 1, state: "unsubmitted", files: created.withLock { _ in [] }))
      case ("PUT", let url) where url.hasSuffix("/files/b2/a.csv"):
        return json(#"{"checksum":"md5:aaa"}"#, status: 201)
      default:
        return nil
      }
    }
    let clock = FakeClock()
    let executor = SyncExecutor(client: client(transport, clock: clock), clock: clock)
    let plan = try await executor.plan(deposit, publish: false)
    #expect(plan.steps.first == .create)
    let result = try await executor.execute(plan)
    #expect(result.deposition.id == 2)
    #expect(transport.requests.filter { $0.method == "POST" }.count == 1)
    #expect(transport.writes.map(\.method) == ["POST", "PUT"])
  }

  @Test func aChecksumMismatchIsResentThenReported() async throws {
    let transport = FakeTransport { request, _ in
      switch request.method {
      case "GET" where request.url.contains("?"):
        return json("[" + depositionJSON(id: 2, concept: 1, state: "unsubmitted") + "]")
      case "GET": return json(depositionJSON(id: 2, concept: 1, state: "unsubmitted"))
      case "PUT": return json(#"{"checksum":"md5:bbb"}"#, status: 201)
      default: return nil
      }
    }
    let executor = SyncExecutor(client: client(transport))
    let plan = try await executor.plan(deposit, publish: false)
    await #expect(throws: ZenodoError.self) { _ = try await executor.execute(plan) }
    #expect(transport.writes.count == 3)
  }

  @Test func anUpToDateDraftMakesNoWriteRequest() async throws {
    let transport = FakeTransport { request, _ in
      guard request.method == "GET" else { return nil }
      let body = depositionJSON(id: 2, concept: 1, state: "unsubmitted", files: [("a.csv", "aaa")])
      return json(request.url.contains("?") ? "[" + body + "]" : body)
    }
    let executor = SyncExecutor(client: client(transport))
    let plan = try await executor.plan(deposit, publish: false)
    #expect(plan.isUpToDate)
    #expect(transport.writes.isEmpty)
  }
}
