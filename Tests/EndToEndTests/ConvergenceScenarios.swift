import Foundation
import Testing
import ZenDo

/// The convergence scenarios both APIs must pass: flaky networks, killed runs, simultaneous
/// runs. Each suite calls them with its API.
enum ConvergenceScenarios {
  /// 20 deposits of 10 files, each synced until it succeeds (at most 5 runs), with 10% of
  /// requests failing and a rate limit: one deposit each, every file right.
  static func flakySyncs(api: ZenodoAPI) async throws {
    let h = try await UploadHarness(
      emulatorArguments: ["--fail-rate", "0.1", "--rate-limit", "1000/min", "--seed", "7"],
      api: api)
    var totalRuns = 0
    for round in 0..<20 {
      let files = (0..<10).map { ("f\($0).dat", "round \(round) file \($0)\n") }
      let harness = try UploadHarness.sharing(h, urnSuffix: "r\(round)")
      try harness.write(files: files)
      var status: Int32 = -1
      for _ in 0..<5 where status != 0 {
        status = try await harness.upload(environment: ["ZEN_DO_REQUESTS_PER_MINUTE": "1200"])
          .status
        totalRuns += 1
      }
      #expect(status == 0, "round \(round) did not converge in 5 runs")
      let deposits = try await harness.depositions()
      #expect(deposits.count == 1, "round \(round): \(deposits.count) deposits")
      let deposit = try await harness.current()
      #expect(deposit.files.count == 10)
      for (name, content) in files {
        #expect(deposit.files.first { $0.name == name }?.md5 == UploadHarness.md5(content))
      }
    }
    let faults = try String(contentsOfFile: h.logPath, encoding: .utf8)
      .split(separator: "\n").filter { $0.contains("\"fault\"") }.count
    #expect(faults > 0, "the emulator injected no failure")
    print(
      "flaky syncs (\(api.rawValue)): 20 deposits, \(totalRuns) zen-do runs, \(faults) injected "
        + "faults")
  }

  /// 14 rounds of change-one, add-one, drop-one, each run killed at a random moment and then
  /// run to the end: no file lost, one deposit.
  ///
  /// The records API has no overwrite: a changed file is deleted before its new content is
  /// sent, so a kill in between leaves that one file missing until the next run. Every other
  /// file must survive every kill.
  static func killedUploads(api: ZenodoAPI) async throws {
    let h = try await UploadHarness(api: api)
    let big = String(repeating: "0123456789abcdef", count: 1 << 16)  // 1 MiB
    var files = (0..<6).map { ("k\($0).bin", "\($0)" + big) }
    try h.write(files: files)
    #expect(try await h.upload().status == 0)
    var kills = 0
    var lastDuration = 0.3
    var generator = SystemRandomNumberGenerator()
    for round in 0..<14 {
      // Change one file, add one, drop one: uploads and a deletion to interrupt.
      let changed = files[round % files.count].0
      files[round % files.count].1 = "changed \(round)" + big
      files.append(("n\(round).bin", "new \(round)" + big))
      let dropped = files.removeFirst().0
      try h.write(files: files)
      let namesBefore = Set(try await h.current().files.map(\.name))
      let countBefore = namesBefore.count
      // A random moment within the time a whole run takes.
      let delay = Double.random(in: 0.005...max(0.01, lastDuration * 0.9), using: &generator)
      if try await h.uploadKilled(after: delay) { kills += 1 }
      let namesAfterKill = Set(try await h.current().files.map(\.name))
      // The dropped file is deleted on purpose, but only after the uploads.
      let replaced: Set<String> = api == .records ? [changed] : []
      let lost = namesBefore.subtracting(replaced).subtracting([dropped]).subtracting(
        namesAfterKill)
      #expect(lost.isEmpty, "round \(round): the kill lost \(lost.sorted())")
      let floor = countBefore - replaced.count
      #expect(namesAfterKill.count >= floor, "round \(round): \(namesAfterKill.count) < \(floor)")
      let started = Date()
      #expect(try await h.upload().status == 0)
      lastDuration = Date().timeIntervalSince(started)
      let deposit = try await h.current()
      #expect(Set(deposit.files.map(\.name)) == Set(files.map(\.0)))
      for (name, content) in files {
        #expect(deposit.files.first { $0.name == name }?.md5 == UploadHarness.md5(content))
      }
      #expect(try await h.depositions().count == 1)
    }
    #expect(kills >= 10, "only \(kills) runs were killed mid-way")
  }

  /// `runs` runs of the same new `.zenodo.toml` started together (a CI re-run while the
  /// first is still going): they end with exactly one deposit holding the right files.
  static func simultaneousNewDeposit(api: ZenodoAPI, runs: Int) async throws {
    let h = try await UploadHarness(api: api)
    let files = (0..<4).map { ("s\($0).dat", "simultaneous \($0)\n") }
    try h.write(files: files)
    let outputs = try await h.uploadTogether(runs)
    for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
    let deposits = try await h.depositions()
    #expect(deposits.count == 1, "\(runs) runs left \(deposits.count) deposits")
    let deposit = try await h.current()
    #expect(Set(deposit.files.map(\.name)) == Set(files.map(\.0)))
    for (name, content) in files {
      #expect(deposit.files.first { $0.name == name }?.md5 == UploadHarness.md5(content))
    }
    // Only drafts a run created itself were deleted: as many deletes as extra drafts.
    let creates = try h.log().filter {
      $0.method == "POST" && ($0.path == "/api/records" || $0.path == "/api/deposit/depositions")
        && $0.status == 201
    }.count
    let discards = try h.log().filter {
      $0.method == "DELETE"
        && ($0.path.hasSuffix("/draft")
          || $0.path.range(of: #"^/api/deposit/depositions/\d+$"#, options: .regularExpression)
            != nil)
        && $0.status == 204
    }.count
    #expect(creates - discards == 1, "\(creates) created, \(discards) discarded")
    // A second run afterwards has nothing to do.
    let before = try h.log().count
    #expect(try await h.upload().status == 0)
    #expect(try h.writes(since: before).isEmpty)
  }

  /// A second deposit with the same URN, made behind zen-do's back: the ambiguity error,
  /// listing both, and no write.
  static func ambiguity(api: ZenodoAPI) async throws {
    let h = try await UploadHarness(api: api)
    try h.write(files: [("a.csv", "x,y\n1,2\n")])
    #expect(try await h.upload().status == 0)
    let metadata = try #require(try await h.current().metadata)
    let other = try await h.client().create(metadata: metadata)
    let before = try h.log().count
    let output = try await h.upload()
    #expect(output.status == 1)
    #expect(output.stderr.contains("2 separate deposits carry \(h.urn)"))
    #expect(output.stderr.contains("id \(other.id)"))
    #expect(try h.writes(since: before).isEmpty)
  }
}

extension UploadHarness {
  /// Publishes a new deposit of `files` and checks it: published, its DOI minted and printed,
  /// and a second `--publish` run makes no write request.
  func publishNew(_ files: [(name: String, content: String)]) async throws -> Deposition {
    try write(files: files)
    let published = try await upload(["--publish"])
    #expect(published.status == 0, "\(published.stderr)")
    let first = try await current()
    #expect(first.state == .done)
    #expect(first.doi == "10.5281/zenodo.\(first.id)")
    #expect(published.stderr.contains("DOI 10.5281/zenodo.\(first.id)"))
    let before = try log().count
    #expect(try await upload(["--publish"]).status == 0)
    #expect(try writes(since: before).isEmpty)
    return first
  }
}
