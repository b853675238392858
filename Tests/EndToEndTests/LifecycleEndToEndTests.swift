import EmulatorTestSupport
import Foundation
import TestSupport
import Testing
import ZenDo

/// `zen-do pull`, `status`, `list` and `discard` as the built binary against a real
/// `zenodo-emulator` process, with write counts from the emulator's log.
@Suite(.serialized) struct LifecycleEndToEndTests {
  static let bobToken = "e2e-bob-token-lifecycle"

  /// A harness whose emulator also has bob, and a community bob owns (so alice's review waits).
  func harness(api: ZenodoAPI = .legacy) async throws -> UploadHarness {
    try await UploadHarness(
      emulatorArguments: [
        "--user", "bob:\(Self.bobToken)", "--community", "theirs:bob",
      ], api: api)
  }

  /// Runs `zen-do COMMAND ARGS --server <emulator>` in `folder` (default: the harness's).
  func zenDo(
    _ h: UploadHarness, _ command: String, _ arguments: [String] = [], in folder: URL? = nil,
    token: String? = nil, server: Bool = true
  ) async throws -> ProcessOutcome {
    var env = ProcessInfo.processInfo.environment
    env["ZENODO_TOKEN"] = token ?? h.token
    env["ZEN_DO_SERVER"] = nil
    env["DBUS_SESSION_BUS_ADDRESS"] = ""
    env["ZEN_DO_REQUESTS_PER_MINUTE"] = "6000"
    let running = try Subprocess.start(
      [try BuiltProducts.executable("zen-do").path, command] + arguments
        + (server ? ["--server", h.emulator.apiURL] : []),
      environment: env, directory: folder ?? h.folder)
    let exited = await running.waitForExit(timeout: 120)
    #expect(exited, "zen-do \(command) did not finish")
    let output = await running.collect(timedOut: !exited)
    #expect(!output.reveals(h.token))
    return output
  }

  func json(_ output: ProcessOutcome) throws -> JSONObject {
    try #require(ZenodoJSON.parse(output.stdout).objectValue, "\(output.stdout)")
  }

  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-lifecycle-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Publishes a record through the deposit API (not zen-do): several creators, `files`.
  func publishRecord(
    _ client: ZenodoClient, files: [(name: String, content: String)], title: String = "Adopted",
    related: [JSONValue] = []
  ) async throws -> Deposition {
    var metadata = JSONObject()
    metadata["title"] = .string(title)
    metadata["upload_type"] = .string("dataset")
    metadata["description"] = .string("<p>Made through the API.</p>")
    metadata["version"] = .string("1.0")
    metadata["publication_date"] = .string("2026-10-01")
    metadata["access_right"] = .string("open")
    metadata["license"] = .string("cc-by-4.0")
    metadata["keywords"] = .array([.string("adoption"), .string("test")])
    metadata["creators"] = .array([
      .object(
        JSONObject([("name", .string("Doe, Jane")), ("orcid", .string("0000-0002-1825-0097"))])),
      .object(JSONObject([("name", .string("Roe, Richard")), ("affiliation", .string("Uni A"))])),
      .object(JSONObject([("name", .string("Poe, Edgar"))])),
    ])
    if !related.isEmpty { metadata["related_identifiers"] = .array(related) }
    let draft = try await client.create(metadata: metadata)
    let scratch = try folder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    for file in files {
      let path = scratch.appendingPathComponent(file.name)
      try Data(file.content.utf8).write(to: path)
      _ = try await client.upload(
        bucketURL: try #require(draft.bucketURL), key: file.name, path: path.path,
        size: Int64(file.content.utf8.count))
    }
    return try await client.publish(id: draft.id)
  }

  func write(_ files: [(name: String, content: String)], in folder: URL) throws {
    for file in files {
      try Data(file.content.utf8).write(to: folder.appendingPathComponent(file.name))
    }
  }

  let files: [(name: String, content: String)] = [("a.csv", "x,y\n1,2\n"), ("b.txt", "notes\n")]

  @Test(arguments: [ZenodoAPI.legacy, .records])
  func pullThenUploadAddsTheURNWithOneMetadataChangeAndNoUpload(api: ZenodoAPI) async throws {
    let h = try await harness(api: api)
    let record = try await publishRecord(h.client(), files: files)
    let doi = try #require(record.doi)
    try write(files, in: h.folder)

    let pulled = try await zenDo(
      h, "pull", ["\(record.id)", "--urn", h.urn, "--api", api.rawValue])
    #expect(pulled.status == 0, "\(pulled.stderr)")
    let toml = try String(
      contentsOf: h.folder.appendingPathComponent(".zenodo.toml"), encoding: .utf8)
    #expect(toml.hasPrefix("# Pulled from Zenodo record \(record.id) (DOI \(doi))"))
    #expect(toml.contains("files = [\"a.csv\", \"b.txt\"]"))
    #expect(toml.contains("adopt_concept = \(try #require(record.conceptRecordID))"))
    if api == .legacy {
      #expect(toml.contains("name = \"Roe, Richard\"") && toml.contains("name = \"Poe, Edgar\""))
    } else {
      // The records API's keys: a person's names apart.
      #expect(toml.contains("family_name = \"Roe\"") && toml.contains("given_name = \"Richard\""))
      #expect(toml.contains("family_name = \"Poe\""))
    }
    #expect(toml.contains("identifier = \"\(h.urn)\""))
    #expect(!toml.contains("not found here"))
    let check = try await zenDo(h, "check", server: false)
    #expect(check.status == 0, "\(check.stderr)")

    let before = try h.log().count
    let upload = try await h.upload(["--publish"])
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(upload.stderr.contains("adopt_concept = \(record.conceptRecordID ?? "")"))
    #expect(upload.stderr.contains("can go"))
    let writes = try h.writes(since: before)
    // An edit, one metadata PUT, a publish; no file is sent.
    #expect(writes.count == 3, "\(writes)")
    #expect(writes.filter { $0.method == "PUT" }.count == 1)
    #expect(!writes.contains { $0.path.contains("/files") })
    if api == .legacy {
      #expect(writes.map(\.method) == ["POST", "PUT", "POST"])
      #expect(writes[1].path == "/api/deposit/depositions/\(record.id)")
    } else {
      #expect(writes[1].path == "/api/records/\(record.id)/draft")
    }
    let now = try await h.current()
    #expect(now.id == record.id && now.doi == doi && now.state == .done)

    let second = try await h.upload(["--publish"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("up to date"))
    let after = try h.log().count
    let third = try await h.upload(["--publish"])
    #expect(third.status == 0)
    #expect(try h.writes(since: after).isEmpty)
  }

  @Test func pullOverTheRecordsAPIKeepsWhatOnlyItCarries() async throws {
    let h = try await harness(api: .records)
    let extra = """
      publisher = "The Rose Lab"

      [[funding]]
      funder = { ror = "00k4n6c32" }
      award = { number = "GN23549", title = "Scent of roses" }

      [[creators]]
      type = "organizational"
      name = "The ASPECT developers"
      ror = "01ggx4157"

      [[creators]]
      given_name = "Ada"
      family_name = "Lovelace"
      affiliations = [{ ror = "01ggx4157" }, { ror = "00k4n6c32" }]
      """
    try h.write(files: files, extra: extra)
    let published = try await h.upload(["--publish"])
    #expect(published.status == 0, "\(published.stderr)")
    let record = try await h.current()

    // Pulled into another folder: the records API's keys come back.
    let elsewhere = h.folder.appendingPathComponent("pulled")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    try write(files, in: elsewhere)
    let pulled = try await zenDo(h, "pull", ["\(record.id)"], in: elsewhere)
    #expect(pulled.status == 0, "\(pulled.stderr)")
    let toml = try String(
      contentsOf: elsewhere.appendingPathComponent(".zenodo.toml"), encoding: .utf8)
    #expect(toml.contains("type = \"organizational\""), "\(toml)")
    #expect(toml.contains("The ASPECT developers"))
    #expect(toml.contains("publisher = \"The Rose Lab\""))
    #expect(toml.contains("01ggx4157") && toml.contains("00k4n6c32"))
    #expect(toml.contains("GN23549"))
    #expect(toml.contains("identifier = \"\(h.urn)\""))
    #expect(!toml.contains("adopt_concept"), "the record carries the URN already")

    // The pulled file describes the record exactly: an upload of it makes no write.
    let before = try h.log().count
    let again = try await zenDo(h, "upload", ["--publish"], in: elsewhere)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("up to date"), "\(again.stderr)")
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test func pullByDOIConceptDOIAndWebAddressAndDownload() async throws {
    let h = try await harness()
    let client = h.client()
    let first = try await publishRecord(client, files: files)
    let concept = try #require(first.conceptRecordID)
    // A second version: the concept DOI must resolve to it.
    let draft = try await client.newVersion(id: first.id)
    var metadata = draft.metadata
    metadata["version"] = .string("2.0")
    metadata["title"] = .string("Adopted, second")
    _ = try await client.update(id: draft.id, metadata: metadata)
    let second = try await client.publish(id: draft.id)
    let site = h.emulator.apiURL.replacingOccurrences(of: "/api", with: "")

    for (reference, expected) in [
      ("10.5281/zenodo.\(first.id)", first.id), ("10.5281/zenodo.\(concept)", second.id),
      ("\(site)/records/\(first.id)", first.id),
      ("https://doi.org/10.5281/zenodo.\(concept)", second.id),
      ("\(site)/uploads/\(second.id)", second.id),
    ] {
      let out = try await zenDo(
        h, "pull", [reference, "--urn", h.urn, "-o", "p.toml", "--force", "--format", "json"])
      #expect(out.status == 0, "\(reference): \(out.stderr)")
      let envelope = try json(out)
      #expect(envelope["record"]?.objectValue?["id"]?.intValue == expected, "\(reference)")
      #expect(envelope["adopt_concept"]?.intValue == Int(concept))
      #expect(
        envelope["files"]?.arrayValue?.allSatisfy {
          $0.objectValue?["status"] == .string("missing")
        } == true)
    }
    let commented = try String(
      contentsOf: h.folder.appendingPathComponent("p.toml"), encoding: .utf8)
    #expect(commented.contains("files = []"))
    #expect(commented.contains("#   a.csv  8 B  md5:\(UploadHarness.md5("x,y\n1,2\n"))"))

    // --download: streamed, MD5 checked, written; a different local file is kept without --force.
    let empty = try folder()
    defer { try? FileManager.default.removeItem(at: empty) }
    try Data("other\n".utf8).write(to: empty.appendingPathComponent("b.txt"))
    let refused = try await zenDo(
      h, "pull", ["\(second.id)", "--urn", h.urn, "--download"], in: empty)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("b.txt exists with MD5"))
    #expect(
      !FileManager.default.fileExists(atPath: empty.appendingPathComponent(".zenodo.toml").path))
    let fetched = try await zenDo(
      h, "pull", ["\(second.id)", "--urn", h.urn, "--download", "--force", "--format", "json"],
      in: empty)
    #expect(fetched.status == 0, "\(fetched.stderr)")
    for file in files {
      let path = empty.appendingPathComponent(file.name).path
      #expect(try FileDigest.md5(path: path) == UploadHarness.md5(file.content))
    }
    let statuses = try json(fetched)["files"]?.arrayValue?.compactMap {
      $0.objectValue?["status"]?.stringValue
    }
    #expect(statuses == ["downloaded", "downloaded"])
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: empty.path)
      .filter { $0.contains("zen-do-download") }
    #expect(leftovers.isEmpty)
    let listed = try String(
      contentsOf: empty.appendingPathComponent(".zenodo.toml"), encoding: .utf8)
    #expect(listed.contains("files = [\"a.csv\", \"b.txt\"]"))
  }

  @Test func thePointerIsRefusedForSomeoneElsesRecordOrAnotherURN() async throws {
    let h = try await harness()
    let transport = AsyncHTTPClientTransport()
    let bob = ZenodoClient(
      baseURL: h.emulator.apiURL, token: ZenodoToken(Self.bobToken), transport: transport)
    let theirs: Deposition
    do {
      theirs = try await publishRecord(bob, files: files, title: "Bob's")
      await transport.shutdown()
    } catch {
      await transport.shutdown()
      throw error
    }
    try write(files, in: h.folder)
    let pulled = try await zenDo(h, "pull", ["\(theirs.id)", "--urn", h.urn])
    #expect(pulled.status == 0, "\(pulled.stderr)")
    #expect(pulled.stderr.contains("is not yours"))
    var before = try h.log().count
    let refused = try await h.upload(["--publish"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("points to a record that is not yours"))
    #expect(try h.writes(since: before).isEmpty)

    let other = try await publishRecord(
      h.client(), files: files, title: "Other identity",
      related: [
        .object(
          JSONObject([
            ("identifier", .string("urn:zenodo:someone:else")),
            ("relation", .string("isIdenticalTo")),
            ("scheme", .string("urn")),
          ]))
      ])
    try h.write(files: files)
    let path = h.folder.appendingPathComponent(".zenodo.toml")
    let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(
      of: "[zen-do]\n", with: "[zen-do]\nadopt_concept = \(other.conceptRecordID ?? "")\n")
    try Data(text.utf8).write(to: path)
    before = try h.log().count
    let carries = try await h.upload(["--publish"])
    #expect(carries.status == 1)
    #expect(carries.stderr.contains("already carries the identity urn:zenodo:someone:else"))
    #expect(try h.writes(since: before).isEmpty)
  }

  @Test(arguments: [ZenodoAPI.legacy, .records])
  func statusListAndDiscardThroughEveryState(api: ZenodoAPI) async throws {
    let h = try await harness(api: api)
    let three: [(name: String, content: String)] = [("a.csv", "1\n"), ("b.csv", "2\n")]
    try h.write(files: three)
    func status() async throws -> (Int32, JSONObject) {
      let out = try await zenDo(h, "status", ["--api", api.rawValue, "--format", "json"])
      let deposit = try #require(try json(out)["deposits"]?.arrayValue?.first?.objectValue)
      return (out.status, deposit)
    }
    func listed() async throws -> [JSONObject] {
      let out = try await zenDo(h, "list", ["--format", "json"])
      #expect(out.status == 0, "\(out.stderr)")
      return (try json(out)["records"]?.arrayValue ?? []).compactMap(\.objectValue)
        .filter { $0["urn"] == .string(h.urn) }
    }

    var (code, deposit) = try await status()
    #expect(code == 2 && deposit["state"] == .string("not_on_zenodo"))
    let text = try await zenDo(h, "status", ["--api", api.rawValue])
    #expect(text.stdout.contains(".zenodo.toml: not on Zenodo yet"))

    #expect(try await h.upload().status == 0)
    (code, deposit) = try await status()
    #expect(code == 2 && deposit["state"] == .string("pending"))
    #expect(deposit["pending"] == .string("new_deposit"))
    #expect(try await listed().map { $0["state"] } == [.string("draft")])
    var out = try await zenDo(h, "discard", [])
    #expect(out.status == 1 && out.stderr.contains("--delete-unpublished"))
    out = try await zenDo(h, "discard", ["--delete-unpublished", "--format", "json"])
    #expect(out.status == 1)
    #expect(try json(out)["error"]?.objectValue?["code"] == .string("confirmation_needed"))
    out = try await zenDo(h, "discard", ["--delete-unpublished", "--yes", "--format", "json"])
    #expect(out.status == 0, "\(out.stderr)")
    #expect(try json(out)["discarded"] == .string("unpublished_deposit"))
    (code, deposit) = try await status()
    #expect(deposit["state"] == .string("not_on_zenodo"))

    #expect(try await h.upload(["--publish"]).status == 0)
    (code, deposit) = try await status()
    #expect(code == 0 && deposit["state"] == .string("in_sync"), "\(deposit)")
    let published = try #require(deposit["id"]?.intValue)
    out = try await zenDo(h, "discard", ["--yes"])
    #expect(out.status == 0 && out.stderr.contains("nothing to discard"))

    try h.write(files: [three[0], ("b.csv", "3\n")], title: "Another title")
    (code, deposit) = try await status()
    #expect(code == 2 && deposit["state"] == .string("differs"))
    // Fields as each API's comparison names them (the records API's are dotted paths).
    let title = api == .legacy ? "title" : "metadata.title"
    #expect(deposit["metadata_differences"] == .array([.string(title)]))
    #expect(
      deposit["file_differences"]
        == .array([
          .object(JSONObject([("name", .string("b.csv")), ("change", .string("changed"))]))
        ]))
    let line = try await zenDo(h, "status", ["--api", api.rawValue])
    #expect(line.stdout.contains("metadata differs: \(title); files differ: b.csv (changed)"))

    try h.write(files: three, title: "Another title")
    #expect(try await h.upload().status == 0)
    (code, deposit) = try await status()
    #expect(code == 2 && deposit["pending"] == .string("edit"))
    #expect(try await listed().map { $0["state"] } == [.string("edit_draft")])
    out = try await zenDo(h, "discard", ["--yes", "--format", "json"])
    #expect(try json(out)["discarded"] == .string("edit"), "\(out.stdout)")
    (code, deposit) = try await status()
    #expect(deposit["state"] == .string("differs") && deposit["pending"] == .null)

    try h.write(files: [three[0], ("b.csv", "3\n")], version: "2.0.0")
    #expect(try await h.upload().status == 0)
    (code, deposit) = try await status()
    #expect(deposit["pending"] == .string("new_version"), "\(deposit)")
    #expect(
      Set(try await listed().compactMap { $0["state"]?.stringValue }) == [
        "new_version_draft", "published",
      ])
    out = try await zenDo(h, "discard", ["--yes", "--format", "json"])
    #expect(try json(out)["discarded"] == .string("new_version"), "\(out.stdout)")
    (code, deposit) = try await status()
    #expect(deposit["id"]?.intValue == published && deposit["pending"] == .null)

    // A community review waiting: a new deposit submitted to a community alice does not own.
    let http = EmulatorHTTP(apiURL: h.emulator.apiURL, token: h.token)
    let reviewed = try UploadHarness(sharing: h, urn: h.urn + ":reviewed")
    try reviewed.write(files: three)
    #expect(try await reviewed.upload().status == 0)
    func reviewStatus() async throws -> (Int32, JSONObject) {
      let out = try await zenDo(
        h, "status", ["--api", api.rawValue, "--format", "json"], in: reviewed.folder)
      let deposit = try #require(try json(out)["deposits"]?.arrayValue?.first?.objectValue)
      return (out.status, deposit)
    }
    (code, deposit) = try await reviewStatus()
    let draftID = try #require(deposit["id"]?.intValue)
    let community = try await http.get("/communities/theirs")
    let communityID = try #require(community.object["id"] as? String)
    let put = try await http.send(
      "PUT", "/records/\(draftID)/draft/review",
      json: ["receiver": ["community": communityID], "type": "community-submission"])
    #expect(put.status == 200, "\(put.text)")
    let submitted = try await http.send("POST", "/records/\(draftID)/draft/actions/submit-review")
    #expect(submitted.status == 202, "\(submitted.text)")
    (code, deposit) = try await reviewStatus()
    #expect(code == 2 && deposit["state"] == .string("in_review"), "\(deposit)")
    #expect(deposit["review"] == .string("submitted"))
    let reviewLine = try await zenDo(h, "status", ["--api", api.rawValue], in: reviewed.folder)
    #expect(reviewLine.stdout.contains("a community review waits"))
  }
}
