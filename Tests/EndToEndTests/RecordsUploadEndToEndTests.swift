import Foundation
import Testing
import ZenDo

/// `zen-do upload` over the records API (the default) against a real `zenodo-emulator`
/// process: every row of the upload.md §3 decision table, with write counts from the
/// emulator's log.
@Suite(.serialized) struct RecordsUploadEndToEndTests {
  let three: [(name: String, content: String)] = [
    ("a.csv", "x,y\n1,2\n"), ("b.csv", "x,y\n3,4\n"), ("c.txt", "notes\n"),
  ]

  /// The writes as "METHOD path" with the record id replaced by `{id}`.
  static func shape(_ writes: [UploadHarness.LoggedRequest], id: Int) -> [String] {
    writes.map { "\($0.method) " + $0.path.replacingOccurrences(of: "/\(id)/", with: "/{id}/") }
  }

  @Test func createReservesTheDOIThenASecondRunMakesNoWriteRequest() async throws {
    let h = try await UploadHarness(api: .records)
    try h.write(files: three)
    // One file at a time, so that the order of the writes is fixed.
    let first = try await h.upload(["--parallel", "1"])
    #expect(first.status == 0, "\(first.stderr)")
    // zen-do spoke only the records API (the harness reads back through the legacy one).
    let runLog = try h.log()
    #expect(!runLog.isEmpty)
    #expect(
      runLog.allSatisfy { $0.path.hasPrefix("/api/records") || $0.path == "/api/user/records" })
    let deposit = try await h.current()
    #expect(deposit.state == .unsubmitted)
    #expect(deposit.prereservedDOI == "10.5281/zenodo.\(deposit.id)")
    #expect(first.stderr.contains("reserved DOI 10.5281/zenodo.\(deposit.id)"))
    let writes = Self.shape(try h.writes(since: 0), id: deposit.id)
    // One init for all three new keys, then content and commit for each.
    var expected = [
      "POST /api/records", "POST /api/records/{id}/draft/pids/doi",
      "POST /api/records/{id}/draft/files",
    ]
    for name in ["a.csv", "b.csv", "c.txt"] {
      expected += [
        "PUT /api/records/{id}/draft/files/\(name)/content",
        "POST /api/records/{id}/draft/files/\(name)/commit",
      ]
    }
    #expect(writes == expected)
    #expect(Set(deposit.files.map(\.name)) == ["a.csv", "b.csv", "c.txt"])
    #expect(deposit.files.first { $0.name == "a.csv" }?.md5 == UploadHarness.md5("x,y\n1,2\n"))

    let before = try h.log().count
    let second = try await h.upload()
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("up to date"))
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test func metadataChangeIsOnePutAndChangingOneFileUploadsOnlyThatFile() async throws {
    let h = try await UploadHarness(api: .records)
    try h.write(files: three)
    #expect(try await h.upload().status == 0)
    let id = try await h.current().id

    var before = try h.log().count
    try h.write(files: three, title: "A better title")
    #expect(try await h.upload().status == 0)
    #expect(Self.shape(try h.writes(since: before), id: id) == ["PUT /api/records/{id}/draft"])
    #expect(try await h.current().title == "A better title")

    before = try h.log().count
    var changed = three
    changed[1].content = "x,y\n3,5\n"
    try h.write(files: changed, title: "A better title")
    let output = try await h.upload()
    #expect(output.status == 0, "\(output.stderr)")
    #expect(
      Self.shape(try h.writes(since: before), id: id) == [
        "DELETE /api/records/{id}/draft/files/b.csv", "POST /api/records/{id}/draft/files",
        "PUT /api/records/{id}/draft/files/b.csv/content",
        "POST /api/records/{id}/draft/files/b.csv/commit",
      ])
    let deposit = try await h.current()
    #expect(deposit.files.first { $0.name == "b.csv" }?.md5 == UploadHarness.md5("x,y\n3,5\n"))
    #expect(deposit.files.count == 3)
  }

  @Test func removingAFileDeletesItOnlyAfterTheUploads() async throws {
    let h = try await UploadHarness(api: .records)
    try h.write(files: three)
    #expect(try await h.upload().status == 0)
    let id = try await h.current().id
    let before = try h.log().count
    try h.remove("c.txt")
    try h.write(files: [three[0], three[1], ("d.txt", "new\n")])
    #expect(try await h.upload().status == 0)
    #expect(
      Self.shape(try h.writes(since: before), id: id) == [
        "POST /api/records/{id}/draft/files", "PUT /api/records/{id}/draft/files/d.txt/content",
        "POST /api/records/{id}/draft/files/d.txt/commit",
        "DELETE /api/records/{id}/draft/files/c.txt",
      ])
    #expect(Set(try await h.current().files.map(\.name)) == ["a.csv", "b.csv", "d.txt"])
  }

  @Test func publishedRecordsEditNewVersionAndRefusals() async throws {
    let h = try await UploadHarness(api: .records)
    let first = try await h.publishNew(three)

    // Metadata only: an edit draft of the same record, one PUT.
    var before = try h.log().count
    try h.write(files: three, title: "Edited title")
    #expect(try await h.upload().status == 0)
    #expect(
      Self.shape(try h.writes(since: before), id: first.id) == [
        "POST /api/records/{id}/draft", "PUT /api/records/{id}/draft",
      ])
    #expect(try await h.current().state == .inprogress)

    // Edit draft with changed files: refused (files of an edit draft are locked), no write.
    before = try h.log().count
    var changed = three
    changed[0].content = "x,y\n9,9\n"
    try h.write(files: changed, version: "2.0.0", title: "Edited title")
    let refused = try await h.upload()
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("curl -X DELETE"))
    #expect(refused.stderr.contains("/api/records/\(first.id)/draft"))
    #expect(try h.writes(since: before).isEmpty)

    // Publish the edit: same record, same DOI.
    try h.write(files: three, title: "Edited title")
    #expect(try await h.upload(["--publish"]).status == 0)
    let edited = try await h.current()
    #expect(edited.id == first.id)
    #expect(edited.doi == first.doi)
    #expect(edited.title == "Edited title")

    // Changed files with the same version: refused, no write.
    before = try h.log().count
    try h.write(files: changed, version: "1.0.0", title: "Edited title")
    let sameVersion = try await h.upload()
    #expect(sameVersion.status == 1)
    #expect(sameVersion.stderr.contains("`version` is still '1.0.0'"))
    #expect(try h.writes(since: before).isEmpty)

    // A new version: /versions, files-import, a reserved DOI, the metadata, only a.csv sent.
    before = try h.log().count
    try h.write(files: changed, version: "2.0.0", title: "Edited title")
    let newVersion = try await h.upload(["--publish"])
    #expect(newVersion.status == 0, "\(newVersion.stderr)")
    let second = try await h.current()
    #expect(second.id != first.id)
    #expect(second.conceptRecordID == first.conceptRecordID)
    #expect(second.version == "2.0.0")
    #expect(second.state == .done)
    #expect(second.doi == "10.5281/zenodo.\(second.id)")
    let writes = try h.writes(since: before)
    #expect(
      Self.shape(Array(writes.dropFirst()), id: second.id) == [
        "POST /api/records/{id}/draft/actions/files-import",
        "POST /api/records/{id}/draft/pids/doi", "PUT /api/records/{id}/draft",
        "DELETE /api/records/{id}/draft/files/a.csv", "POST /api/records/{id}/draft/files",
        "PUT /api/records/{id}/draft/files/a.csv/content",
        "POST /api/records/{id}/draft/files/a.csv/commit",
        "POST /api/records/{id}/draft/actions/publish",
      ])
    #expect(
      writes.first.map { "\($0.method) \($0.path)" } == "POST /api/records/\(first.id)/versions")
    #expect(writes.filter { $0.path.hasSuffix("/content") }.count == 1)
    #expect(second.files.first { $0.name == "a.csv" }?.md5 == UploadHarness.md5("x,y\n9,9\n"))
    #expect(second.files.first { $0.name == "b.csv" }?.md5 == UploadHarness.md5("x,y\n3,4\n"))
    #expect(try await h.depositions().count == 2)
  }

  @Test func twoRecordsWithTheSameURNAreAnAmbiguityError() async throws {
    try await ConvergenceScenarios.ambiguity(api: .records)
  }

  // MARK: Communities

  /// `mine` is alice's (the token's user), `theirs` is bob's.
  static let communityArguments = [
    "--user", "bob:bob-token-for-communities", "--community", "mine:alice",
    "--community", "theirs:bob",
  ]

  static func communities(_ slugs: [String]) -> String {
    slugs.map { "[[communities]]\nidentifier = \"\($0)\"\n" }.joined(separator: "\n")
  }

  @Test func publishSubmitsAReviewAcceptedForTheOwnerThenAsksForInclusion() async throws {
    let h = try await UploadHarness(emulatorArguments: Self.communityArguments, api: .records)
    try h.write(files: three, extra: Self.communities(["mine", "theirs"]))
    let output = try await h.upload(["--publish"])
    #expect(output.status == 0, "\(output.stderr)")
    let text = output.stdout + output.stderr
    #expect(text.contains("accepted into mine"))
    #expect(text.contains("waiting for review by theirs"))
    let deposit = try await h.current()
    #expect(deposit.state == .done)
    #expect(deposit.doi == "10.5281/zenodo.\(deposit.id)")
    let writes = Self.shape(try h.writes(since: 0), id: deposit.id)
    #expect(writes.contains("PUT /api/records/{id}/draft/review"))
    #expect(writes.contains("POST /api/records/{id}/draft/actions/submit-review"))
    #expect(writes.contains("POST /api/records/{id}/communities"))
    #expect(!writes.contains("POST /api/records/{id}/draft/actions/publish"))
    // Published and nothing changed: no write, no second request.
    let before = try h.log().count
    #expect(try await h.upload(["--publish"]).status == 0)
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test func aReviewByAnotherCommunityIsLeftWaitingAndThenBlocksPublishing() async throws {
    let h = try await UploadHarness(emulatorArguments: Self.communityArguments, api: .records)
    try h.write(files: three, extra: Self.communities(["theirs"]))
    let output = try await h.upload(["--publish"])
    #expect(output.status == 0, "\(output.stderr)")
    #expect((output.stdout + output.stderr).contains("waiting for review by theirs"))
    #expect(try await h.current().state == .unsubmitted)

    // Publishing again while the review is open: reported, not cancelled, no write.
    let before = try h.log().count
    let blocked = try await h.upload(["--publish"])
    #expect(blocked.status == 1)
    #expect(blocked.stderr.contains("is waiting for review by theirs"))
    #expect(blocked.stderr.contains("zen-do never cancels a review"))
    #expect(try h.writes(since: before).isEmpty)
    // Without --publish the waiting draft is simply up to date.
    let plain = try await h.upload()
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(try h.writes(since: before).isEmpty)
  }

  // MARK: Folders

  @Test func keepFoldersUploadsPathsAndAllowsEqualBaseNames() async throws {
    let h = try await UploadHarness(api: .records)
    let files = [("data/raw/a.csv", "raw\n"), ("data/clean/a.csv", "clean\n"), ("top.txt", "t\n")]
    try h.write(files: files, settings: "keep_folders = true")
    let output = try await h.upload()
    #expect(output.status == 0, "\(output.stderr)")
    let deposit = try await h.current()
    #expect(Set(deposit.files.map(\.name)) == ["data/raw/a.csv", "data/clean/a.csv", "top.txt"])
    #expect(deposit.files.first { $0.name == "data/raw/a.csv" }?.md5 == UploadHarness.md5("raw\n"))
    let before = try h.log().count
    #expect(try await h.upload().status == 0)
    #expect(try h.writes(since: before).isEmpty)

    // The legacy API cannot store folders: refused before any request.
    let legacy = try await UploadHarness(api: .legacy)
    try legacy.write(files: files, settings: "keep_folders = true")
    let refused = try await legacy.upload()
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("keep_folders = true needs the records API"))
    #expect(try legacy.log().isEmpty)
    // Without keep_folders, equal base names are an error at the list's line and column.
    try legacy.write(files: files)
    let duplicate = try await legacy.upload()
    #expect(duplicate.status == 1)
    #expect(duplicate.stderr.contains("expected unique file names"))
    #expect(
      duplicate.stderr.range(of: #"\.zenodo\.toml:\d+:\d+: error"#, options: .regularExpression)
        != nil)
  }

  @Test func keepFoldersMustBeABoolean() async throws {
    let h = try await UploadHarness(api: .records)
    try h.write(files: three, settings: "keep_folders = \"yes\"")
    let output = try await h.upload()
    #expect(output.status == 1)
    // The [zen-do] table is the file's last; keep_folders is its last line.
    let lines = try String(
      contentsOf: h.folder.appendingPathComponent(".zenodo.toml"), encoding: .utf8
    ).split(separator: "\n", omittingEmptySubsequences: false)
    let line = (lines.firstIndex { $0.contains("keep_folders") } ?? -1) + 1
    #expect(output.stderr.contains(".zenodo.toml:\(line):16: error"), "\(output.stderr)")
    #expect(output.stderr.contains("true or false"))
    #expect(try h.log().isEmpty)
  }

  @Test func recordsOnlyKeysWithTheLegacyAPIAreRefusedBeforeAnyRequest() async throws {
    let h = try await UploadHarness(api: .legacy)
    try h.write(files: three, extra: "publisher = \"Rose Lab\"")
    let output = try await h.upload()
    #expect(output.status == 1, "\(output.stderr)")
    #expect(output.stderr.contains("publisher"), "\(output.stderr)")
    #expect(output.stderr.contains("--api legacy"), "\(output.stderr)")
    #expect(try h.log().isEmpty)
    // The same file goes through the records API.
    let records = try await UploadHarness(api: .records)
    try records.write(files: three, extra: "publisher = \"Rose Lab\"")
    let sent = try await records.upload()
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(
      try records.writes(since: 0).contains { $0.method == "POST" && $0.path == "/api/records" })
  }

  // MARK: Convergence

  @Test func twentyFlakySyncsOfTenFilesConverge() async throws {
    try await ConvergenceScenarios.flakySyncs(api: .records)
  }

  @Test func killedUploadsNeverLoseFilesAndConverge() async throws {
    try await ConvergenceScenarios.killedUploads(api: .records)
  }

  @Test(arguments: [3, 5]) func simultaneousRunsOfANewFileMakeOneDeposit(runs: Int) async throws {
    try await ConvergenceScenarios.simultaneousNewDeposit(api: .records, runs: runs)
  }
}
