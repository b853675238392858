import Foundation
import Testing
import ZenDo

/// `zen-do upload` against a real `zenodo-emulator` process: the upload.md §3 decision table,
/// write counts from the emulator's log, failures, interruptions, and the token never shown.
@Suite(.serialized) struct UploadEndToEndTests {
  let three: [(name: String, content: String)] = [
    ("a.csv", "x,y\n1,2\n"), ("b.csv", "x,y\n3,4\n"), ("c.txt", "notes\n"),
  ]

  @Test func noRemoteCreatesThenASecondRunMakesNoWriteRequest() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    let first = try await h.upload()
    #expect(first.status == 0, "\(first.stderr)")
    let writes = try h.writes(since: 0)
    #expect(writes.filter { $0.method == "POST" }.count == 1)
    #expect(writes.filter { $0.method == "PUT" && $0.path.hasPrefix("/api/files/") }.count == 3)
    #expect(first.stderr.contains("reserved DOI 10.5281/zenodo."))
    let deposit = try await h.current()
    #expect(deposit.state == .unsubmitted)
    #expect(Set(deposit.files.map(\.name)) == ["a.csv", "b.csv", "c.txt"])
    #expect(deposit.files.first { $0.name == "a.csv" }?.md5 == UploadHarness.md5("x,y\n1,2\n"))

    let before = try h.log().count
    let second = try await h.upload()
    #expect(second.status == 0)
    #expect(second.stderr.contains("up to date"))
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test func draftMetadataChangeIsOnePutAndChangingOneFileReplacesOnlyThatFile() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    #expect(try await h.upload().status == 0)

    var before = try h.log().count
    try h.write(files: three, title: "A better title")
    #expect(try await h.upload().status == 0)
    var writes = try h.writes(since: before)
    #expect(writes.map(\.method) == ["PUT"])
    #expect(writes.first?.path.hasPrefix("/api/deposit/depositions/") == true)
    #expect(try await h.current().title == "A better title")

    before = try h.log().count
    var changed = three
    changed[1].content = "x,y\n3,5\n"
    try h.write(files: changed, title: "A better title")
    #expect(try await h.upload().status == 0)
    writes = try h.writes(since: before)
    #expect(writes.count == 1)
    #expect(writes.first?.method == "PUT")
    #expect(writes.first?.path.hasSuffix("/b.csv") == true)
    let deposit = try await h.current()
    #expect(deposit.files.first { $0.name == "b.csv" }?.md5 == UploadHarness.md5("x,y\n3,5\n"))
  }

  @Test func removingAFileDeletesItOnlyAfterTheUploads() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    #expect(try await h.upload().status == 0)
    let before = try h.log().count
    try h.remove("c.txt")
    try h.write(files: [three[0], three[1], ("d.txt", "new\n")])
    #expect(try await h.upload().status == 0)
    let writes = try h.writes(since: before)
    #expect(writes.map(\.method) == ["PUT", "DELETE"])
    #expect(writes[0].path.hasSuffix("/d.txt"))
    #expect(Set(try await h.current().files.map(\.name)) == ["a.csv", "b.csv", "d.txt"])
  }

  @Test func publishedDepositsEditNewVersionAndRefusal() async throws {
    let h = try await UploadHarness(api: .legacy)
    let first = try await h.publishNew(three)

    // Published, same files, metadata differs: edit + PUT, left as an edit draft.
    var before = try h.log().count
    try h.write(files: three, title: "Edited title")
    #expect(try await h.upload().status == 0)
    var writes = try h.writes(since: before)
    #expect(writes.map(\.method) == ["POST", "PUT"])
    #expect(writes[0].path.hasSuffix("/actions/edit"))
    #expect(try await h.current().state == .inprogress)

    // Edit draft, same files, metadata differs again: PUT only.
    before = try h.log().count
    try h.write(files: three, title: "Edited title, twice")
    #expect(try await h.upload().status == 0)
    #expect(try h.writes(since: before).map(\.method) == ["PUT"])

    // Edit draft, files differ: refused, with the discard command, and no write.
    before = try h.log().count
    var changed = three
    changed[0].content = "x,y\n9,9\n"
    try h.write(files: changed, version: "2.0.0", title: "Edited title, twice")
    let refused = try await h.upload()
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("/actions/discard"))
    #expect(try h.writes(since: before).isEmpty)

    // Publish the edit (same DOI), then changed files with the same version: refused.
    try h.write(files: three, title: "Edited title, twice")
    #expect(try await h.upload(["--publish"]).status == 0)
    #expect(try await h.current().doi == first.doi)
    before = try h.log().count
    try h.write(files: changed, version: "1.0.0", title: "Edited title, twice")
    let sameVersion = try await h.upload()
    #expect(sameVersion.status == 1)
    #expect(sameVersion.stderr.contains("`version` is still '1.0.0'"))
    #expect(try h.writes(since: before).isEmpty)

    // A new version number: newversion, full metadata, only the changed file, then publish.
    before = try h.log().count
    try h.write(files: changed, version: "2.0.0", title: "Edited title, twice")
    let newVersion = try await h.upload(["--publish"])
    #expect(newVersion.status == 0, "\(newVersion.stderr)")
    writes = try h.writes(since: before)
    #expect(writes.map(\.method) == ["POST", "PUT", "PUT", "POST"])
    #expect(writes[0].path.hasSuffix("/actions/newversion"))
    #expect(writes[2].path.hasSuffix("/a.csv"))
    #expect(writes[3].path.hasSuffix("/actions/publish"))
    let second = try await h.current()
    #expect(second.id != first.id)
    #expect(second.conceptRecordID == first.conceptRecordID)
    #expect(second.version == "2.0.0")
    #expect(second.state == .done)
    #expect(try await h.depositions().count == 2)
  }

  @Test func twoDepositsWithTheSameURNAreAnAmbiguityError() async throws {
    try await ConvergenceScenarios.ambiguity(api: .legacy)
  }

  @Test func dryRunPrintsAPlanWithAMetadataDiffAndWritesNothing() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    #expect(try await h.upload().status == 0)
    let before = try h.log().count
    try h.write(files: three, title: "Planned title")
    let output = try await h.upload(["--dry-run"])
    #expect(output.status == 0)
    #expect(output.stdout.contains("title:"))
    #expect(output.stdout.contains("+ local:  \"Planned title\""))
    #expect(output.stdout.contains("update the metadata"))
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test func jsonOutputIsOneDocumentOnStdout() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    let output = try await h.upload(["--format", "json"])
    #expect(output.status == 0)
    let document = try ZenodoJSON.parse(output.stdout)
    let deposit = try #require(document.objectValue?["deposits"]?.arrayValue?.first?.objectValue)
    #expect(deposit["id"]?.intValue == (try await h.current().id))
    #expect(deposit["prereserved_doi"]?.stringValue?.hasPrefix("10.5281/zenodo.") == true)
    #expect(deposit["links"]?.objectValue?["html"] != nil)
    #expect(deposit["actions"]?.arrayValue?.count == 4)
  }

  @Test func invalidInputSendsNothingAndPlainHTTPIsRefusedOffLoopback() async throws {
    let h = try await UploadHarness()
    try h.write(files: three)
    try h.remove("b.csv")
    let missing = try await h.upload()
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("b.csv"))
    #expect(try h.log().isEmpty)
    try h.write(files: three)
    let noToken = try await h.upload(environment: ["ZENODO_TOKEN": ""])
    #expect(noToken.status == 1)
    #expect(noToken.stderr.contains("no Zenodo token for ZENODO_TOKEN"))
    #expect(try h.log().isEmpty)
    let refused = try await h.upload(["--server", "http://example.org/api"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("https://"))
  }

  @Test func severalFilesInOneCallAreAllValidatedFirst() async throws {
    let h = try await UploadHarness()
    let other = try UploadHarness.sharing(h, urnSuffix: "second")
    try h.write(files: three)
    try other.write(files: [("z.txt", "zzz\n")])
    let otherPath = other.folder.appendingPathComponent(".zenodo.toml").path
    // One broken file: nothing at all is sent.
    try other.remove("z.txt")
    let broken = try await h.upload([".zenodo.toml", otherPath])
    #expect(broken.status == 1)
    #expect(try h.log().isEmpty)
    try other.write(files: [("z.txt", "zzz\n")])
    let both = try await h.upload([".zenodo.toml", otherPath])
    #expect(both.status == 0, "\(both.stderr)")
    #expect(try await h.current().files.count == 3)
    #expect(try await other.current().files.map(\.name) == ["z.txt"])
  }

  @Test func twentyFlakySyncsOfTenFilesConverge() async throws {
    try await ConvergenceScenarios.flakySyncs(api: .legacy)
  }

  @Test func killedUploadsNeverLoseFilesAndConverge() async throws {
    try await ConvergenceScenarios.killedUploads(api: .legacy)
  }

  @Test(arguments: [3, 5]) func simultaneousRunsOfANewFileMakeOneDeposit(runs: Int) async throws {
    try await ConvergenceScenarios.simultaneousNewDeposit(api: .legacy, runs: runs)
  }
}

extension UploadHarness {
  /// Another deposit (its own folder and URN) on the same emulator, for many syncs in a row.
  static func sharing(_ other: UploadHarness, urnSuffix: String) throws -> UploadHarness {
    try UploadHarness(sharing: other, urn: other.urn + ":" + urnSuffix)
  }
}
