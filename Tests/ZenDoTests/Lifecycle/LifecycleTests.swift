import Foundation
import TestSupport
import Testing
import ZenDo

@Suite struct RecordReferenceTests {
  @Test(arguments: [
    ("1234", RecordReference.id(1234)),
    ("10.5281/zenodo.1234", .id(1234)),
    ("doi:10.5281/ZENODO.77", .id(77)),
    ("10.5072/zenodo.9", .id(9)),
    ("https://doi.org/10.5281/zenodo.1234", .id(1234)),
    ("https://zenodo.org/records/1234", .id(1234)),
    ("https://zenodo.org/records/1234?preview=1#files", .id(1234)),
    ("https://zenodo.org/record/12", .id(12)),
    ("https://zenodo.org/uploads/55", .id(55)),
    ("https://sandbox.zenodo.org/deposit/56", .id(56)),
    ("https://zenodo.org/doi/10.5281/zenodo.321", .id(321)),
    ("http://127.0.0.1:8080/records/3", .id(3)),
    ("10.1234/abc.def", .doi("10.1234/abc.def")),
    ("https://doi.org/10.1234/x%2Fy", .doi("10.1234/x/y")),
  ])
  func parses(_ text: String, _ expected: RecordReference) throws {
    #expect(try RecordReference(parsing: text) == expected)
  }

  @Test(arguments: ["", "0", "-3", "abc", "10.5281/zenodo.x", "https://zenodo.org/communities/x"])
  func refuses(_ text: String) {
    #expect(throws: RecordReferenceError.unrecognised(text)) {
      try RecordReference(parsing: text)
    }
  }

  @Test func theErrorSaysWhatToGive() {
    let error = RecordReferenceError.unrecognised("abc")
    #expect(error.description.contains("\"abc\""))
    #expect(error.description.contains("10.5281/zenodo.1234"))
  }
}

@Suite struct LifecycleClientTests {
  @Test func listingReadsEveryPageUntilAShortOne() async throws {
    let transport = FakeTransport { request, index in
      let count = index < 2 ? 2 : 1
      let items = (0..<count).map {
        depositionJSON(id: index * 10 + $0 + 1, concept: 100, state: "done")
      }
      return json("[" + items.joined(separator: ",") + "]")
    }
    let all = try await client(transport).userDepositions(pageSize: 2)
    #expect(all.count == 5)
    #expect(transport.requests.count == 3)
    #expect(transport.requests.map(\.url).allSatisfy { $0.contains("all_versions=true") })
    #expect(transport.requests[2].url.contains("&page=3"))
  }

  @Test func ownDepositionIsNilForSomeoneElsesAndAnErrorOtherwise() async throws {
    let transport = FakeTransport { request, index in
      index == 0
        ? json(#"{"status":403,"message":"Permission denied."}"#, status: 403)
        : json(#"{"status":400,"message":"bad"}"#, status: 400)
    }
    #expect(try await client(transport).ownDeposition(id: 5) == nil)
    await #expect(throws: ZenodoError.self) { try await client(transport).ownDeposition(id: 5) }
  }
}

@Suite struct DepositStatusTests {
  func local(files: [(String, String)] = [("a.csv", "aa")], title: String = "T") -> LocalDeposit {
    var metadata = JSONObject()
    metadata["title"] = .string(title)
    metadata["upload_type"] = .string("dataset")
    metadata["related_identifiers"] = .array([
      .object(
        JSONObject([
          ("identifier", .string("urn:zenodo:o:r")), ("relation", .string("isIdenticalTo")),
          ("scheme", .string("urn")),
        ]))
    ])
    return LocalDeposit(
      sourcePath: ".zenodo.toml", urn: "urn:zenodo:o:r", metadata: metadata,
      files: files.map { LocalFile(name: $0.0, path: "/x/\($0.0)", size: 3, md5: $0.1) })
  }

  func remote(_ state: String, files: [(name: String, md5: String)] = [("a.csv", "aa")])
    -> Deposition
  {
    Deposition(
      json: try! ZenodoJSON.parse(
        depositionJSON(id: 7, concept: 6, state: state, files: files)))!
  }

  @Test func everyState() {
    var status = DepositStatus.compare(local(), with: nil, hasPublishedVersion: false, review: nil)
    #expect(status.state == .notOnZenodo)
    #expect(status.line.contains("not on Zenodo yet"))
    status = DepositStatus.compare(
      local(), with: remote("done"), hasPublishedVersion: true, review: nil)
    #expect(status.state == .inSync)
    #expect(status.line == ".zenodo.toml: in sync with record 7")
    status = DepositStatus.compare(
      local(files: [("a.csv", "bb"), ("n.txt", "cc")], title: "U"), with: remote("done"),
      hasPublishedVersion: true, review: nil)
    #expect(status.state == .differs)
    #expect(status.metadataDifferences == ["title"])
    #expect(
      status.fileDifferences.map(\.change) == [.changed, .onlyLocal])
    #expect(
      status.line.contains(
        "metadata differs: title; files differ: a.csv (changed), n.txt (only local)"))
    status = DepositStatus.compare(
      local(files: []), with: remote("done"), hasPublishedVersion: true, review: nil)
    #expect(status.fileDifferences.map(\.name) == ["a.csv"])
    #expect(status.fileDifferences.map(\.change) == [.onlyOnZenodo])
    status = DepositStatus.compare(
      local(), with: remote("inprogress"), hasPublishedVersion: true, review: nil)
    #expect(status.pending == .edit && status.state == .pending)
    status = DepositStatus.compare(
      local(), with: remote("unsubmitted"), hasPublishedVersion: true, review: nil)
    #expect(status.pending == .newVersion)
    status = DepositStatus.compare(
      local(), with: remote("unsubmitted"), hasPublishedVersion: false, review: "submitted")
    #expect(status.pending == .newDeposit && status.state == .inReview)
    #expect(status.line.contains("a community review waits"))
  }

  @Test func listingStatesAcrossVersions() throws {
    let parse = { (text: String) in Deposition(json: try! ZenodoJSON.parse(text))! }
    let listings = RecordListing.make([
      parse(depositionJSON(id: 3, concept: 1, state: "unsubmitted")),
      parse(depositionJSON(id: 2, concept: 1, state: "done")),
      parse(depositionJSON(id: 5, concept: 4, state: "unsubmitted", urn: "urn:zenodo:x:y")),
      parse(depositionJSON(id: 8, concept: 7, state: "inprogress")),
    ])
    #expect(listings.map(\.state) == ["new_version_draft", "published", "draft", "edit_draft"])
    #expect(listings[2].urn == "urn:zenodo:x:y")
  }
}

@Suite struct PulledMetadataTests {
  @Test func publicRecordMetadataBecomesDepositMetadata() throws {
    let record = try #require(
      ZenodoJSON.parse(
        """
        {"title":"T","resource_type":{"type":"publication","subtype":"article","title":"Article"},
         "license":{"id":"cc-by-4.0"},"communities":[{"id":"ours"}],
         "relations":{"version":[]},"doi":"10.5281/zenodo.5",
         "journal":{"title":"J","volume":"2"},
         "related_identifiers":[{"identifier":"10.1/x","relation":"cites","scheme":"doi"}],
         "alternate_identifiers":[{"identifier":"ark:/1/2","scheme":"ark"}]}
        """
      ).objectValue)
    let metadata = RecordResolver.depositMetadata(fromRecord: record, doi: "10.5281/zenodo.5")
    #expect(metadata["upload_type"] == .string("publication"))
    #expect(metadata["publication_type"] == .string("article"))
    #expect(metadata["license"] == .string("cc-by-4.0"))
    #expect(metadata["journal_title"] == .string("J") && metadata["journal_volume"] == .string("2"))
    #expect(metadata["relations"] == nil && metadata["doi"] == nil && metadata["journal"] == nil)
    #expect(
      metadata["communities"]
        == .array([.object(JSONObject([("identifier", .string("ours"))]))]))
    let related = metadata["related_identifiers"]?.arrayValue ?? []
    #expect(related.count == 2)
    #expect(related[1].objectValue?["relation"] == .string("isAlternateIdentifier"))
  }
}
