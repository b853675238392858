import Foundation
import Testing
import ZenDo

private func local(_ urn: String, title: String = "T") -> LocalDeposit {
  LocalDeposit(
    sourcePath: "\(urn).toml", urn: urn,
    metadata: identityMetadata(urn: urn, title: title),
    files: [LocalFile(name: "a.csv", path: "/dev/null", size: 3, md5: "aaa")])
}

@Suite struct BatchLookupTests {
  @Test func manyDepositsAreFoundInOneSearchAndOnlyAChangedOneIsReRead() async throws {
    let urns = (1...5).map { "urn:zenodo:o:r\($0)" }
    let transport = FakeTransport { request, _ in
      guard request.method == "GET" else { return nil }
      if request.url.contains("?") {
        // Every deposit but r5 exists; r4 also has a look-alike hit that is not its URN.
        let hits =
          (1...4).map {
            depositionJSON(
              id: 10 + $0, concept: $0, state: "unsubmitted", urn: "urn:zenodo:o:r\($0)",
              files: [("a.csv", "aaa")])
          } + [depositionJSON(id: 99, concept: 99, state: "unsubmitted", urn: "urn:zenodo:o:r4x")]
        return json("[" + hits.joined(separator: ",") + "]")
      }
      if request.url.hasSuffix("/deposit/depositions/13") {
        return json(
          depositionJSON(
            id: 13, concept: 3, state: "unsubmitted", urn: "urn:zenodo:o:r3",
            files: [("a.csv", "aaa")]))
      }
      return nil
    }
    let executor = SyncExecutor(client: client(transport))
    var locals = urns.map { local($0) }
    locals[2] = local(urns[2], title: "A new title")
    let matches = try await executor.findRemotes(for: locals)
    let searches = transport.requests.filter { $0.url.contains("?") }
    #expect(searches.count == 1)
    let query = try #require(searches.first?.url.removingPercentEncoding)
    for urn in urns { #expect(query.contains("related.identifier:\"\(urn)\"")) }
    #expect(query.contains(" OR "))
    guard case .none = matches[4] else {
      Issue.record("r5 should have no deposit: \(matches[4])")
      return
    }
    var plans: [SyncPlan] = []
    for (deposit, match) in zip(locals, matches) {
      plans.append(try await executor.plan(deposit, searched: match, publish: false))
    }
    #expect(plans.map(\.isUpToDate) == [true, true, false, true, false])
    #expect(plans[3].remote?.id == 14, "the look-alike URN was not filtered out")
    // Only the deposit that changes was read again by id.
    let reads = transport.requests.filter { !$0.url.contains("?") }.map(\.url)
    #expect(reads == ["http://127.0.0.1:1/api/deposit/depositions/13"])
    #expect(transport.writes.isEmpty)
  }

  @Test func urnsAreSearchedInBatchesOfTheGivenSize() async throws {
    let transport = FakeTransport { request, _ in request.method == "GET" ? json("[]") : nil }
    let executor = SyncExecutor(client: client(transport))
    let locals = (1...7).map { local("urn:zenodo:o:b\($0)") } + [local("urn:zenodo:o:b1")]
    let matches = try await executor.findRemotes(for: locals, batchSize: 3)
    #expect(matches.count == 8)
    #expect(transport.requests.count == 3)
  }
}
