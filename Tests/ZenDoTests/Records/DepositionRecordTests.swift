import Testing
import ZenDo

/// Reading native records into the API-neutral ``Deposition``, and the records comparison.
@Suite struct DepositionRecordTests {
  static func record(published: Bool, draft: Bool, extra: String = "") throws -> Deposition {
    let text = """
      {"id": "42", "is_published": \(published), "is_draft": \(draft),
       "parent": {"id": "41", "review": {"id": "r1", "status": "submitted",
                  "receiver": {"community": "c-9"}}},
       "pids": {"doi": {"identifier": "10.5281/zenodo.42", "provider": "datacite"}},
       "metadata": {"title": "T", "version": "1.0", "related_identifiers": [
         {"identifier": "urn:zenodo:o:r", "scheme": "urn",
          "relation_type": {"id": "isidenticalto", "title": {"en": "Is identical to"}}}]},
       "files": {"enabled": true, "entries": {
         "data/a.csv": {"key": "data/a.csv", "size": 3, "checksum": "md5:ABC"},
         "b.csv": {"key": "b.csv", "metadata": null}}},
       "links": {"self": "https://z/api/records/42/draft", "self_html": "https://z/uploads/42"}
       \(extra)}
      """
    return try #require(Deposition(record: try ZenodoJSON.parse(text)))
  }

  @Test func statesFollowPublishedAndDraft() throws {
    #expect(try Self.record(published: false, draft: true).state == .unsubmitted)
    #expect(try Self.record(published: true, draft: true).state == .inprogress)
    #expect(try Self.record(published: true, draft: false).state == .done)
  }

  @Test func idsDOIsFilesLinksAndReview() throws {
    let draft = try Self.record(published: false, draft: true)
    #expect(draft.id == 42)
    #expect(draft.conceptRecordID == "41")
    #expect(draft.prereservedDOI == "10.5281/zenodo.42")
    #expect(draft.doi == nil)
    #expect(draft.version == "1.0")
    #expect(draft.webURL == "https://z/uploads/42")
    #expect(draft.links["discard"] == "https://z/api/records/42/draft")
    let files = draft.files.sorted { $0.name < $1.name }
    #expect(files.map(\.name) == ["b.csv", "data/a.csv"])
    #expect(files[1].md5 == "abc")
    #expect(files[1].size == 3)
    #expect(files[0].md5 == "", "a pending file has no checksum and never matches")
    #expect(draft.review?.status == "submitted")
    #expect(draft.review?.community == "c-9")
    let published = try Self.record(published: true, draft: false)
    #expect(published.doi == "10.5281/zenodo.42")
    #expect(published.prereservedDOI == nil)
  }

  @Test func theURNIsFoundInTheRecordsShape() throws {
    let hit = try Self.record(published: false, draft: true)
    #expect(RemoteMatch.resolve(urn: "urn:zenodo:o:r", hits: [hit]) == .found(hit))
    #expect(RemoteMatch.resolve(urn: "urn:zenodo:o:other", hits: [hit]) == .none)
  }

  @Test func neverPublishedDraftsLeaveOutConceptsWithAPublishedVersion() throws {
    let draft = try Self.record(published: false, draft: true)
    var other = draft
    other.id = 50
    other.conceptRecordID = "49"
    var published = draft
    published.id = 48
    published.conceptRecordID = "49"
    published.state = .done
    let drafts = RemoteMatch.neverPublishedDrafts(
      urn: "urn:zenodo:o:r", hits: [draft, other, published])
    #expect(drafts.map(\.id) == [42])
  }

  @Test func comparisonToleratesWhatZenodoAddsButNotWhatItLost() throws {
    let local = JSONObject([
      (
        "metadata",
        .object(
          JSONObject([
            ("title", .string("T")),
            (
              "related_identifiers",
              .array([
                .object(
                  JSONObject([
                    ("identifier", .string("urn:zenodo:o:r")), ("scheme", .string("urn")),
                    ("relation_type", .object(JSONObject([("id", .string("isidenticalto"))]))),
                  ]))
              ])
            ),
          ]))
      )
    ])
    let remote = try #require(try Self.record(published: false, draft: true).record)
    #expect(RecordComparison.differences(local: local, remote: remote) == ["metadata.version"])
    var changed = local
    changed["metadata"] = .object(
      JSONObject([("title", .string("Other")), ("version", .string("1.0"))]))
    #expect(
      RecordComparison.differences(local: changed, remote: remote) == [
        "metadata.title", "metadata.related_identifiers",
      ])
  }
}
