import Testing
import ZenDo

private let urn = "urn:zenodo:o:r"

private func local(
  version: String? = "1.0", files: [(String, String)] = [("a.csv", "aaa"), ("b.csv", "bbb")],
  extra: [(String, JSONValue)] = []
) -> LocalDeposit {
  var metadata = JSONObject([
    ("title", .string("T")), ("upload_type", .string("dataset")),
    (
      "related_identifiers",
      .array([
        .object(JSONObject([("identifier", .string(urn)), ("relation", .string("isIdenticalTo"))]))
      ])
    ),
  ])
  if let version { metadata["version"] = .string(version) }
  for (key, value) in extra { metadata[key] = value }
  return LocalDeposit(
    sourcePath: "x/.zenodo.toml", urn: urn, metadata: metadata,
    files: files.map { LocalFile(name: $0.0, path: "/tmp/\($0.0)", size: 3, md5: $0.1) })
}

private func remote(
  _ state: String, version: String? = "1.0",
  files: [(name: String, md5: String)] = [("a.csv", "aaa"), ("b.csv", "bbb")], extra: String = ""
) throws -> Deposition {
  try #require(
    Deposition(
      json: try ZenodoJSON.parse(
        depositionJSON(
          id: 7, concept: 6, state: state, version: version, files: files,
          extra: extra
            + #","publication_date":"2026-11-21","imprint_publisher":"Zenodo","access_right":"open","license":"cc-by-4.0""#
        ))))
}

@Suite struct SyncPlanTests {
  @Test func noRemoteCreatesThenUploadsEveryFile() throws {
    let plan = try SyncPlan.make(local: local(), remote: .none, publish: false)
    #expect(plan.steps.count == 3)
    #expect(plan.steps.first == .create)
    #expect(plan.steps.dropFirst().allSatisfy { $0.isUpload })
  }

  @Test func noRemoteWithPublishEndsWithPublish() throws {
    let plan = try SyncPlan.make(local: local(), remote: .none, publish: true)
    #expect(plan.steps.last == .publish)
  }

  @Test func unchangedDraftIsUpToDateDespiteZenodoDefaults() throws {
    let plan = try SyncPlan.make(
      local: local(), remote: .found(try remote("unsubmitted")), publish: false)
    #expect(plan.isUpToDate)
    #expect(plan.metadataDifferences.isEmpty)
  }

  @Test func draftWithChangesUpdatesMetadataUploadsFirstDeletesLast() throws {
    let deposit = local(
      files: [("a.csv", "aaa"), ("b.csv", "CHANGED"), ("c.csv", "ccc")],
      extra: [("keywords", .array([.string("k")]))])
    let draft = try remote(
      "unsubmitted", files: [("a.csv", "aaa"), ("b.csv", "bbb"), ("old.csv", "ooo")])
    let plan = try SyncPlan.make(local: deposit, remote: .found(draft), publish: false)
    #expect(plan.metadataDifferences.map(\.key) == ["keywords"])
    let names = plan.steps.map { step -> String in
      switch step {
      case .updateMetadata: "meta"
      case .upload(let file, let old): "up:\(file.name):\(old == nil ? "new" : "changed")"
      case .delete(let file): "del:\(file.name)"
      default: "\(step)"
      }
    }
    #expect(names == ["meta", "up:b.csv:changed", "up:c.csv:new", "del:old.csv"])
  }

  @Test func publishedAndEqualIsUpToDateEvenWithPublish() throws {
    let plan = try SyncPlan.make(local: local(), remote: .found(try remote("done")), publish: true)
    #expect(plan.isUpToDate)
  }

  @Test func publishedWithMetadataChangesEditsAndPuts() throws {
    let deposit = local(extra: [("description", .string("new words"))])
    let plan = try SyncPlan.make(local: deposit, remote: .found(try remote("done")), publish: false)
    #expect(plan.steps == [.edit, .updateMetadata])
    let published = try SyncPlan.make(
      local: deposit, remote: .found(try remote("done")), publish: true)
    #expect(published.steps == [.edit, .updateMetadata, .publish])
  }

  @Test func publishedWithChangedFilesMakesANewVersion() throws {
    let deposit = local(version: "2.0", files: [("a.csv", "aaa"), ("b.csv", "NEW")])
    let plan = try SyncPlan.make(local: deposit, remote: .found(try remote("done")), publish: false)
    #expect(Array(plan.steps.prefix(2)) == [.newVersion, .updateMetadata])
    #expect(plan.steps.count == 3)
  }

  @Test func publishedWithChangedFilesAndTheSameVersionIsRefused() throws {
    let deposit = local(version: "1.0", files: [("a.csv", "aaa"), ("b.csv", "NEW")])
    #expect(throws: SyncRefusal.self) {
      try SyncPlan.make(local: deposit, remote: .found(try remote("done")), publish: false)
    }
  }

  @Test func editDraftWithSameFilesPutsMetadata() throws {
    let deposit = local(extra: [("notes", .string("n"))])
    let plan = try SyncPlan.make(
      local: deposit, remote: .found(try remote("inprogress")), publish: false)
    #expect(plan.steps == [.updateMetadata])
  }

  @Test func editDraftWithChangedFilesStopsAndPrintsTheDiscardCommand() throws {
    let deposit = local(version: "2.0", files: [("a.csv", "aaa")])
    do {
      _ = try SyncPlan.make(
        local: deposit, remote: .found(try remote("inprogress")), publish: false)
      Issue.record("expected a refusal")
    } catch {
      #expect("\(error)".contains("/actions/discard"))
      #expect(!"\(error)".contains("s3cr3t"))
    }
  }

  @Test func ambiguityListsEveryCandidate() throws {
    let hits = [
      try #require(
        Deposition(
          json: try ZenodoJSON.parse(depositionJSON(id: 2, concept: 1, state: "done", title: "One"))
        )),
      try #require(
        Deposition(
          json: try ZenodoJSON.parse(
            depositionJSON(id: 5, concept: 4, state: "unsubmitted", title: "Two")))),
    ]
    let match = RemoteMatch.resolve(urn: urn, hits: hits)
    do {
      _ = try SyncPlan.make(local: local(), remote: match, publish: false)
      Issue.record("expected a refusal")
    } catch {
      let text = "\(error)"
      #expect(text.contains("id 2, \"One\", state done"))
      #expect(text.contains("id 5, \"Two\", state unsubmitted"))
      #expect(text.contains("http://127.0.0.1:1/deposit/5"))
    }
  }

  @Test func resolveKeepsExactIsIdenticalToMatchesAndPrefersThePendingDraft() throws {
    let hits = try [
      depositionJSON(id: 2, concept: 1, state: "done"),
      depositionJSON(id: 3, concept: 1, state: "done"),
      depositionJSON(id: 4, concept: 1, state: "unsubmitted"),
      depositionJSON(id: 9, concept: 8, state: "done", urn: "urn:zenodo:o:r:other"),
      depositionJSON(id: 12, concept: 11, state: "done", urn: "URN:zenodo:o:r"),
    ].map { try #require(Deposition(json: try ZenodoJSON.parse($0))) }
    #expect(RemoteMatch.resolve(urn: urn, hits: Array(hits.prefix(4))) == .found(hits[2]))
    #expect(RemoteMatch.resolve(urn: urn, hits: Array(hits.prefix(2))) == .found(hits[1]))
    if case .ambiguous(let found) = RemoteMatch.resolve(urn: urn, hits: hits) {
      #expect(found.map(\.id) == [4, 12])
    } else {
      Issue.record("URN prefix case must be normalised")
    }
  }
}

@Suite struct MetadataComparisonTests {
  private func object(_ text: String) throws -> JSONObject {
    try #require(try ZenodoJSON.parse(text).objectValue)
  }

  @Test func zenodoNormalisationsCompareEqual() throws {
    let local = try object(
      #"{"license":"MIT","access_right":"closed","language":"en","thesis_supervisors":[{"name":"S, T"}],"related_identifiers":[{"identifier":"URN:zenodo:a:b","relation":"isIdenticalTo"}],"grants":[{"id":"755021"}],"keywords":[],"notes":""}"#
    )
    let remote = try object(
      #"{"license":"mit-license","access_right":"restricted","language":"eng","contributors":[{"name":"S, T","type":"Supervisor"}],"related_identifiers":[{"identifier":"urn:zenodo:a:b","relation":"isIdenticalTo","scheme":"urn"}],"grants":[{"id":"10.13039/501100000780::755021"}],"prereserve_doi":{"doi":"10.5281/zenodo.1","recid":1},"publication_date":"2026-11-21","imprint_publisher":"Zenodo"}"#
    )
    #expect(MetadataComparison.differences(local: local, remote: remote) == [])
  }

  @Test func stringsCompareWithoutTheWhiteSpaceZenodoTrims() throws {
    let local = try object(
      #"{"title":" Scent ","description":"<p>Rosa\nx</p>\n","notes":"\n"}"#)
    let trimmed = try object(#"{"title":"Scent","description":"<p>Rosa\nx</p>"}"#)
    #expect(MetadataComparison.differences(local: local, remote: trimmed) == [])
    // White space inside a value is kept by Zenodo, so a change there is still a difference.
    let changed = try object(#"{"title":"Scent","description":"<p>Rosa x</p>"}"#)
    #expect(
      MetadataComparison.differences(local: local, remote: changed).map(\.key) == ["description"])
  }

  @Test func licenceAliasesFromTheReadBackTable() {
    #expect(
      MetadataComparison.canonicalLicense("CC0-1.0")
        == MetadataComparison.canonicalLicense("cc-zero"))
    #expect(
      MetadataComparison.canonicalLicense("Apache-2.0")
        == MetadataComparison.canonicalLicense("apache2.0"))
    #expect(MetadataComparison.canonicalLicense("GPL-3.0") == "gpl-3.0-only")
    #expect(MetadataComparison.canonicalLicense("cc-by") == "cc-by-4.0")
  }

  @Test func realChangesAndRemovalsAreDifferences() throws {
    let local = try object(#"{"title":"New","license":"cc-by-4.0"}"#)
    let remote = try object(
      #"{"title":"Old","license":"mit","keywords":["k"],"publication_date":"2020-01-01"}"#)
    #expect(
      MetadataComparison.differences(local: local, remote: remote).map(\.key) == [
        "title", "license", "keywords",
      ])
  }
}
