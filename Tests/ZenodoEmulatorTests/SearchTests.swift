import EmulatorTestSupport
import Foundation
import Testing

/// §4 and §11.4: what `GET /deposit/depositions` finds.
@Suite("§4 search")
struct SearchTests {
  func search(_ http: EmulatorHTTP, _ query: String) async throws -> HTTPReply {
    try await http.get("/deposit/depositions?" + query)
  }

  func q(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return "q=" + text.addingPercentEncoding(withAllowedCharacters: allowed)!
  }

  func ids(_ reply: HTTPReply) -> Set<Int> { Set(reply.array.compactMap { int($0, "id") }) }

  @Test("Field queries with legacy aliases and RDM paths match identifiers exactly")
  func fields() async throws {
    let fixture = try await Fixture()
    let a = try await fixture.alice.create(
      validMetadata(title: "Alpha paper", urn: "urn:zenodo:o:r:a"))
    let b = try await fixture.alice.create(
      validMetadata(title: "Beta data", urn: "URN:zenodo:o:r:b"))
    let idA = try #require(int(a, "id"))
    let idB = try #require(int(b, "id"))
    #expect(
      ids(try await search(fixture.alice, q(#"related.identifier:"urn:zenodo:o:r:a""#))) == [idA])
    #expect(
      ids(
        try await search(
          fixture.alice, q(#"metadata.related_identifiers.identifier:"urn:zenodo:o:r:b""#))) == [
          idB
        ])
    #expect(
      ids(try await search(fixture.alice, q(#"related.identifier:"urn:zenodo:o:r""#))).isEmpty,
      "exact, not prefix")
    #expect(
      ids(try await search(fixture.alice, q(#"related.identifier:"URN:zenodo:o:r:a""#))).isEmpty,
      "case-sensitive")
    #expect(
      ids(try await search(fixture.alice, q(#"related_identifiers.identifier:"urn:zenodo:o:r:a""#)))
        .isEmpty)
    #expect(ids(try await search(fixture.alice, q("conceptrecid:\(idA - 1)"))) == [idA])
    #expect(ids(try await search(fixture.alice, q("recid:\(idB)"))) == [idB])
    #expect(ids(try await search(fixture.alice, q(#"title:"alpha paper""#))) == [idA])
    #expect(ids(try await search(fixture.alice, q("owners:1"))) == [idA, idB])
    #expect(ids(try await search(fixture.alice, q("owners:2"))).isEmpty)
    #expect(ids(try await search(fixture.alice, q(#"unknown.field:"x""#))).isEmpty)
    #expect(
      ids(
        try await search(
          fixture.alice, q(#"related.identifier:"urn:zenodo:o:r:a" OR recid:\#(idB)"#))) == [
          idA, idB,
        ])
    #expect(
      ids(
        try await search(
          fixture.alice, q(#"related.identifier:"urn:zenodo:o:r:a" AND recid:\#(idB)"#))
      ).isEmpty)
    #expect(
      ids(try await search(fixture.alice, q(#"(title:alpha OR title:beta) AND recid:\#(idB)"#)))
        == [idB])
    #expect(ids(try await search(fixture.alice, q("is_published:false"))) == [idA, idB])
  }

  @Test("doi: matches published records; isAlternateIdentifier entries are not related.identifier")
  func doiAndAlternate() async throws {
    let fixture = try await Fixture()
    var metadata = validMetadata(urn: "urn:zenodo:o:r:c")
    metadata["related_identifiers"] = [
      ["identifier": "urn:zenodo:o:r:alt", "relation": "isAlternateIdentifier"]
    ]
    let record = try await fixture.alice.published(metadata)
    let id = try #require(int(record, "id"))
    #expect(ids(try await search(fixture.alice, q(#"doi:"10.5281/zenodo.\#(id)""#))) == [id])
    #expect(
      ids(try await search(fixture.alice, q(#"related.identifier:"urn:zenodo:o:r:alt""#))).isEmpty)
  }

  @Test("One hit per concept (the pending new-version draft) unless all_versions; drafts included")
  func versions() async throws {
    let fixture = try await Fixture()
    let record = try await fixture.alice.published(validMetadata(urn: "urn:zenodo:o:r:v"))
    let id = try #require(int(record, "id"))
    let query = q(#"related.identifier:"urn:zenodo:o:r:v""#)
    #expect(ids(try await search(fixture.alice, query)) == [id])
    let draft = try await fixture.alice.action(id, "newversion")
    let newID = try #require(int(draft.object, "id"))
    let latest = try await search(fixture.alice, query)
    #expect(ids(latest) == [newID])
    #expect(string(latest.array.first, "state") == "unsubmitted")
    #expect(ids(try await search(fixture.alice, query + "&all_versions=true")) == [id, newID])
    #expect(ids(try await search(fixture.alice, query + "&all_versions")) == [id, newID])
    #expect(ids(try await search(fixture.alice, query + "&all_versions=0")) == [newID])
    #expect(
      ids(try await search(fixture.alice, query + "&status=published")) == [newID],
      "status is ignored")
  }

  @Test("Only the token's user's deposits are listed")
  func owner() async throws {
    let fixture = try await Fixture()
    _ = try await fixture.alice.create()
    let bobs = try await fixture.bob.create()
    #expect(ids(try await fixture.bob.get("/deposit/depositions")) == [int(bobs, "id")!])
  }

  @Test("page and size; size above 100 is the exact 400; sort keys; unknown sort 400")
  func paging() async throws {
    let fixture = try await Fixture()
    var created: [Int] = []
    for index in 0..<5 {
      created.append(
        int(try await fixture.alice.create(validMetadata(title: "Deposit \(index)")), "id")!)
    }
    let first = try await search(fixture.alice, "size=2&page=1&sort=oldest")
    #expect(first.array.compactMap { int($0, "id") } == Array(created[0..<2]))
    let third = try await search(fixture.alice, "size=2&page=3&sort=oldest")
    #expect(third.array.compactMap { int($0, "id") } == [created[4]])
    let newest = try await search(fixture.alice, "sort=mostrecent")
    #expect(newest.array.compactMap { int($0, "id") } == created.reversed())
    let defaultSize = try await search(fixture.alice, "")
    #expect(defaultSize.array.count == 5)
    let big = try await search(fixture.alice, "size=101")
    #expect(big.status == 400)
    #expect(
      big.text
        == #"{"errors":[{"field":"size","messages":["Page size cannot be greater than 100."]}],"message":"A validation error occurred.","status":400}"#
    )
    #expect(try await search(fixture.alice, "size=100").status == 200)
    let badSort = try await search(fixture.alice, "sort=sideways")
    #expect(badSort.status == 400)
    #expect(
      value(badSort.object, "errors", "0", "messages") as? [String] == [
        "Invalid sort option 'sideways'."
      ])
    for key in ["mostrecent", "-mostrecent", "newest", "oldest", "bestmatch"] {
      #expect(try await search(fixture.alice, "sort=\(key)").status == 200, "\(key)")
    }
  }

  @Test("Default size is 25")
  func defaultSize() async throws {
    let fixture = try await Fixture()
    for _ in 0..<27 { _ = try await fixture.alice.create([:]) }
    #expect(try await search(fixture.alice, "").array.count == 25)
    #expect(try await search(fixture.alice, "page=2").array.count == 2)
  }
}
