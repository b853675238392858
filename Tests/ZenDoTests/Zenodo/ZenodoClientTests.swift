import TestSupport
import Testing
import ZenDo

@Suite struct ZenodoClientTests {
  @Test func sendsBearerUserAgentAcceptAndNeverTheTokenInTheURL() async throws {
    let transport = FakeTransport { request, _ in
      json(depositionJSON(id: 2, concept: 1, state: "unsubmitted"))
    }
    _ = try await client(transport).deposition(id: 2)
    let request = try #require(transport.requests.first)
    let headers = Dictionary(uniqueKeysWithValues: request.headers.map { ($0.name, $0.value) })
    #expect(headers["Authorization"] == "Bearer s3cr3t-token")
    #expect(headers["Accept"] == "application/json")
    #expect(headers["User-Agent"]?.hasPrefix("zen-do/") == true)
    #expect(headers["User-Agent"] == "zen-do/\(zenDoVersion) (+\(zenDoRepository))")
    #expect(!request.url.contains("s3cr3t"))
    #expect(request.url == "http://127.0.0.1:1/api/deposit/depositions/2")
  }

  @Test func uploadsWithOctetStreamAndAPercentEncodedKey() async throws {
    let transport = FakeTransport { request, _ in
      json(#"{"key":"a b.csv","checksum":"md5:ABCDEF"}"#, status: 201)
    }
    let md5 = try await client(transport).upload(
      bucketURL: "http://127.0.0.1:1/api/files/b1", key: "a b#?.csv", path: "/dev/null", size: 0)
    #expect(md5 == "abcdef")
    let request = try #require(transport.requests.first)
    #expect(request.method == "PUT")
    #expect(request.url == "http://127.0.0.1:1/api/files/b1/a%20b%23%3F.csv")
    #expect(
      request.headers.contains {
        $0.name == "Content-Type" && $0.value == "application/octet-stream"
      })
  }

  @Test func searchPagesUntilAShortPageAndQuotesTheURN() async throws {
    let transport = FakeTransport { request, index in
      let count = index == 0 ? 2 : 1
      let items = (0..<count).map {
        depositionJSON(id: 10 * (index + 1) + $0, concept: 1, state: "done")
      }
      return json("[" + items.joined(separator: ",") + "]")
    }
    let hits = try await client(transport).search(urn: "urn:zenodo:o:r", pageSize: 2)
    #expect(hits.map(\.id) == [10, 11, 20])
    #expect(transport.requests.count == 2)
    let first = transport.requests[0].url
    #expect(first.contains("q=related.identifier%3A%22urn%3Azenodo%3Ao%3Ar%22"))
    #expect(first.contains("all_versions=true"))
    #expect(first.contains("page=1"))
    #expect(transport.requests[1].url.contains("page=2"))
  }

  @Test func retriesA503WithBackoffThenSucceeds() async throws {
    let clock = FakeClock()
    let transport = FakeTransport { _, index in
      index < 2
        ? json("<html>bad gateway</html>", status: 503)
        : json(depositionJSON(id: 2, concept: 1, state: "done"))
    }
    let deposition = try await client(transport, clock: clock).deposition(id: 2)
    #expect(deposition.state == .done)
    #expect(transport.requests.count == 3)
    // base 0.5 s doubling, jitter 0.5 → 0.375 and 0.75
    #expect(clock.sleeps == [0.375, 0.75])
  }

  @Test func honoursRetryAfterSecondsAndHTTPDate() async throws {
    let clock = FakeClock()
    let transport = FakeTransport { _, index in
      switch index {
      case 0: json("100 per 1 minute", status: 429, headers: [("Retry-After", "7")])
      case 1:
        json(
          "slow down", status: 429,
          headers: [("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT")])
      case 2: json("slow down", status: 429, headers: [("X-RateLimit-Reset", "1700000020")])
      default: json(depositionJSON(id: 2, concept: 1, state: "done"))
      }
    }
    _ = try await client(transport, clock: clock).deposition(id: 2)
    #expect(clock.sleeps.count == 3)
    #expect(clock.sleeps[0] == 7)
    // 1700000020 is 2023-11-14T22:13:40Z; the fake clock is at 1700000007 then.
    #expect(clock.sleeps[1] == 13)
    #expect(clock.sleeps[2] == 0)
  }

  @Test func a503WithRateLimitHeadersBacksOffInsteadOfWaitingForTheWindow() async throws {
    let clock = FakeClock()
    let transport = FakeTransport { _, index in
      index == 0
        ? json(
          "", status: 503,
          headers: [("X-RateLimit-Remaining", "50"), ("X-RateLimit-Reset", "1700000060")])
        : json(depositionJSON(id: 2, concept: 1, state: "done"))
    }
    _ = try await client(transport, clock: clock).deposition(id: 2)
    #expect(clock.sleeps == [0.375])
  }

  @Test func createIsNotRetriedAfterA500ButReportedAsUncertain() async throws {
    let transport = FakeTransport { _, _ in json("{}", status: 500) }
    await #expect {
      _ = try await client(transport).create(metadata: JSONObject())
    } throws: { error in
      guard case ZenodoError.uncertain = error else { return false }
      return true
    }
    #expect(transport.requests.count == 1)
  }

  @Test func createIsRetriedAfterA429() async throws {
    let transport = FakeTransport { _, index in
      index == 0
        ? json("", status: 429, headers: [("Retry-After", "1")])
        : json(depositionJSON(id: 2, concept: 1, state: "unsubmitted"), status: 201)
    }
    let created = try await client(transport).create(metadata: JSONObject())
    #expect(created.id == 2)
    #expect(transport.requests.count == 2)
  }

  @Test func errorsNameMethodPathStatusAndBothFieldErrorShapes() async throws {
    let transport = FakeTransport { request, _ in
      json(
        #"{"status":400,"message":"A validation error occurred.","errors":[{"field":"metadata.creators","messages":["Missing data for required field."]},{"field":"metadata.title","message":"Too short."}]}"#,
        status: 400)
    }
    do {
      _ = try await client(transport).update(id: 5, metadata: JSONObject())
      Issue.record("expected an error")
    } catch {
      let text = "\(error)"
      #expect(text.contains("PUT /api/deposit/depositions/5 failed with status 400"))
      #expect(text.contains("A validation error occurred."))
      #expect(text.contains("metadata.creators: Missing data for required field."))
      #expect(text.contains("metadata.title: Too short."))
      #expect(!text.contains("s3cr3t"))
    }
  }

  @Test func newVersionFollowsLatestDraftWhenTheAnswerIsTheOriginal() async throws {
    let transport = FakeTransport { request, _ in
      if request.url.hasSuffix("/actions/newversion") {
        var original = depositionJSON(id: 2, concept: 1, state: "done")
        original = original.replacingAll(
          "\"latest_draft\":\"http://127.0.0.1:1/api/deposit/depositions/2\"",
          with: "\"latest_draft\":\"http://127.0.0.1:1/api/deposit/depositions/3\"")
        return json(original, status: 201)
      }
      if request.url.hasSuffix("/deposit/depositions/3") {
        return json(depositionJSON(id: 3, concept: 1, state: "unsubmitted"))
      }
      return nil
    }
    let draft = try await client(transport).newVersion(id: 2)
    #expect(draft.id == 3)
    #expect(draft.state == .unsubmitted)
  }

  @Test func deletingAFileThatIsGoneCountsAsDone() async throws {
    let transport = FakeTransport { _, _ in
      json(#"{"status":404,"message":"Not found."}"#, status: 404)
    }
    try await client(transport).deleteFile(depositionID: 3, fileID: "abc")
    #expect(transport.requests.first?.method == "DELETE")
  }

  @Test func pacerLetsABurstGoThenSpacesRequests() async throws {
    let clock = FakeClock()
    let pacer = RequestPacer(clock: clock, perMinute: 60, capacity: 3)
    let start = clock.now()
    for _ in 0..<9 { try await pacer.acquire() }
    // 3 at once, then one per second for the other 6.
    #expect(abs(clock.now() - start - 6) < 0.01)
  }

  @Test func jsonRoundTripKeepsOrderAndNumberText() throws {
    let text = #"{"b":1.0,"a":[true,null,"x\"\u00e9\ud83d\ude00"],"c":{}}"#
    let value = try ZenodoJSON.parse(text)
    #expect(ZenodoJSON.serialize(value) == #"{"b":1.0,"a":[true,null,"x\"é😀"],"c":{}}"#)
    #expect(throws: ZenodoJSON.ParseError.self) { try ZenodoJSON.parse("{\"a\":}") }
  }
}

extension String {
  /// Replaces every occurrence of a non-empty `target` (named so it does not shadow
  /// Foundation's `replacingOccurrences` for the other tests of this module).
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound] + replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
