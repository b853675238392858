import EmulatorTestSupport
import Foundation
import Testing

@testable import ZenodoEmulator

#if canImport(Glibc)
  import Glibc
#endif

/// `--state-dir`: the snapshot (`state.json`), the journal of saves (`state.journal`) and the
/// blobs, across restarts and kills.
@Suite("Persistence")
struct PersistenceTests {
  /// A fresh state directory, removed by `cleanUp`.
  static func stateDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "emulator-persist-\(UUID())"
    ).path
  }

  static func start(_ directory: String) async throws -> Fixture {
    try await Fixture([
      "--state-dir", directory, "--user", "alice:secret-a", "--user", "bob:secret-b",
    ])
  }

  static func size(_ path: String) -> Int {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return (attributes?[.size] as? NSNumber)?.intValue ?? -1
  }

  static func journal(_ directory: String) -> String { directory + "/state.journal" }

  static func title(_ reply: HTTPReply) -> String? { string(reply.object, "metadata", "title") }

  @Test("State survives a restart after many writes: the snapshot plus the replayed journal")
  func restartAfterWrites() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var ids: [String] = []
    var published = ""
    do {
      let first = try await Self.start(directory)
      let snapshotAtStart = Self.size(directory + "/state.json")
      for n in 0..<12 {
        let draft = try await first.alice.newDraft(rdmBody(title: "draft \(n)"))
        ids.append(try #require(string(draft, "id")))
      }
      for (n, id) in ids.enumerated() where n.isMultiple(of: 2) {
        let put = try await first.alice.rdm(
          "PUT", "/records/\(id)/draft", json: rdmBody(title: "renamed \(n)"))
        #expect(put.status == 200, "\(put.text)")
      }
      #expect(try await first.alice.rdm("DELETE", "/records/\(ids[11])/draft").status == 204)
      published = try #require(string(try await first.alice.publishedRDM(), "id"))
      // The writes went to the journal; the snapshot is the one written at start.
      #expect(Self.size(Self.journal(directory)) > 1000)
      #expect(Self.size(directory + "/state.json") == snapshotAtStart)
      #expect(await first.emulator.stopAndWait())
    }
    let second = try await Self.start(directory)
    for (n, id) in ids.enumerated() {
      let reply = try await second.alice.rdm("GET", "/records/\(id)/draft")
      if n == 11 {
        #expect(reply.status == 404, "the deleted draft stays deleted")
      } else {
        #expect(reply.status == 200, "\(id): \(reply.text)")
        #expect(Self.title(reply) == (n.isMultiple(of: 2) ? "renamed \(n)" : "draft \(n)"))
      }
    }
    let record = try await second.anonymous.rdm("GET", "/records/\(published)")
    #expect(record.status == 200)
    let file = try await second.anonymous.get("/records/\(published)/files/data.csv/content")
    #expect(file.text == "1,2,3\n")
    let next = try #require(Int(string(try await second.alice.newDraft(), "id") ?? ""))
    #expect(next > (Int(published) ?? .max), "the id counter survives")
  }

  @Test("A write the emulator answered survives SIGKILL right after the answer")
  func survivesKill() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let id: String
    do {
      let first = try await Self.start(directory)
      id = try #require(string(try await first.alice.newDraft(), "id"))
      let put = try await first.alice.rdm(
        "PUT", "/records/\(id)/draft", json: rdmBody(title: "answered, then killed"))
      #expect(put.status == 200)
      kill(first.emulator.pid, SIGKILL)
      #expect(await first.emulator.stopAndWait())
      #expect(!first.emulator.isRunning)
    }
    let second = try await Self.start(directory)
    let reply = try await second.alice.rdm("GET", "/records/\(id)/draft")
    #expect(reply.status == 200)
    #expect(Self.title(reply) == "answered, then killed")
  }

  @Test("A torn last journal line is ignored; the lines before it are kept")
  func tornLastLine() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let a: String
    let b: String
    do {
      let first = try await Self.start(directory)
      a = try #require(string(try await first.alice.newDraft(rdmBody(title: "Title A")), "id"))
      b = try #require(string(try await first.alice.newDraft(rdmBody(title: "Title B")), "id"))
      let put = try await first.alice.rdm(
        "PUT", "/records/\(b)/draft", json: rdmBody(title: "B, torn away"))
      #expect(put.status == 200)
      kill(first.emulator.pid, SIGKILL)
      #expect(await first.emulator.stopAndWait())
    }
    // Cut the last line (the update) in the middle, as a crash during its append would.
    let path = Self.journal(directory)
    let journal = try Data(contentsOf: URL(fileURLWithPath: path))
    let lines = journal.split(separator: UInt8(ascii: "\n"))
    #expect(lines.count == 3, "one line per write")
    let last = try #require(lines.last)
    let torn = journal.prefix(journal.count - 1 - last.count / 2)
    try torn.write(to: URL(fileURLWithPath: path))

    let second = try await Self.start(directory)
    let first = try await second.alice.rdm("GET", "/records/\(a)/draft")
    #expect(first.status == 200 && Self.title(first) == "Title A")
    let other = try await second.alice.rdm("GET", "/records/\(b)/draft")
    #expect(other.status == 200 && Self.title(other) == "Title B", "the torn update is not applied")
    // Start-up compacted: the torn bytes are gone, and new writes land on a clean journal.
    #expect(Self.size(path) == 0)
    let put = try await second.alice.rdm(
      "PUT", "/records/\(b)/draft", json: rdmBody(title: "Title B2"))
    #expect(put.status == 200)
    #expect(await second.emulator.stopAndWait())
    let third = try await Self.start(directory)
    #expect(Self.title(try await third.alice.rdm("GET", "/records/\(b)/draft")) == "Title B2")
  }

  @Test("Start-up compacts: a new snapshot with everything, an empty journal")
  func compactionAtStart() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var ids: [String] = []
    do {
      let first = try await Self.start(directory)
      for n in 0..<5 {
        ids.append(
          try #require(
            string(try await first.alice.newDraft(rdmBody(title: "compacted \(n)")), "id")))
      }
      #expect(Self.size(Self.journal(directory)) > 0)
      #expect(await first.emulator.stopAndWait())
    }
    for round in 0..<2 {
      let fixture = try await Self.start(directory)
      #expect(Self.size(Self.journal(directory)) == 0, "round \(round)")
      let snapshot = try Data(contentsOf: URL(fileURLWithPath: directory + "/state.json"))
      let object = try #require(try JSONSerialization.jsonObject(with: snapshot) as? [String: Any])
      let drafts = try #require(object["drafts"] as? [String: Any])
      #expect(Set(drafts.keys) == Set(ids), "round \(round)")
      for (n, id) in ids.enumerated() {
        #expect(
          Self.title(try await fixture.alice.rdm("GET", "/records/\(id)/draft")) == "compacted \(n)"
        )
      }
      #expect(await fixture.emulator.stopAndWait())
    }
  }

  @Test("The bytes one metadata update appends do not grow with the records already stored")
  func appendCostIsFlat() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fixture = try await Self.start(directory)
    let path = Self.journal(directory)
    let snapshot = Self.size(directory + "/state.json")
    let id = try #require(string(try await fixture.alice.newDraft(), "id"))
    func appended(_ title: String) async throws -> Int {
      let before = Self.size(path)
      let put = try await fixture.alice.rdm(
        "PUT", "/records/\(id)/draft", json: rdmBody(title: title))
      #expect(put.status == 200)
      return Self.size(path) - before
    }
    let withOne = try await appended("with one stored")
    for n in 0..<199 {
      let reply = try await fixture.bob.rdm("POST", "/records", json: rdmBody(title: "filler \(n)"))
      #expect(reply.status == 201)
    }
    let withMany = try await appended("with 200 stored")
    #expect(withOne > 100)
    #expect(withMany > 100)
    #expect(withMany < withOne * 3 / 2, "one record stored: \(withOne) B; 200: \(withMany) B")
    #expect(Self.size(directory + "/state.json") == snapshot, "no save rewrote the snapshot")
  }

  @Test("A blob goes with its last reference: a discarded edit keeps the record's file")
  func blobReferences() async throws {
    let directory = Self.stateDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fixture = try await Self.start(directory)
    let blobs = directory + "/blobs"
    func blobCount() throws -> Int {
      try FileManager.default.contentsOfDirectory(atPath: blobs).count
    }
    let record = try #require(string(try await fixture.alice.publishedRDM(), "id"))
    #expect(try blobCount() == 1)
    #expect(try await fixture.alice.rdm("POST", "/records/\(record)/draft").status == 201)
    #expect(try await fixture.alice.rdm("DELETE", "/records/\(record)/draft").status == 204)
    #expect(try blobCount() == 1, "the record still refers to its blob")
    let download = try await fixture.anonymous.get("/records/\(record)/files/data.csv/content")
    #expect(download.text == "1,2,3\n")

    let draft = try #require(string(try await fixture.alice.newDraft(), "id"))
    try await fixture.alice.uploadRDM(draft, key: "x.txt", text: "x")
    #expect(try blobCount() == 2)
    let quoted = "/records/\(draft)/draft/files/x.txt"
    #expect(try await fixture.alice.rdm("DELETE", quoted).status == 204)
    #expect(try blobCount() == 1, "the deleted file's blob is removed")

    // A stray blob (a crash between storing it and saving) is removed at start.
    #expect(await fixture.emulator.stopAndWait())
    try Data("stray".utf8).write(to: URL(fileURLWithPath: blobs + "/stray"))
    let again = try await Self.start(directory)
    #expect(try blobCount() == 1)
    let reread = try await again.anonymous.get("/records/\(record)/files/data.csv/content")
    #expect(reread.text == "1,2,3\n")
  }

  @Test("The journal is compacted while running once it outgrows the snapshot and the floor")
  func compactionWhileRunning() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emulator-persist-\(UUID())")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let persistence = StatePersistence(directory: directory, compactionFloor: 2000)
    var state = persistence.load().state
    try persistence.compact(state)
    var compactions = 0
    for n in 0..<60 {
      state.counter += 1
      state.buckets["bucket-\(n)"] = n
      state.buckets["bucket-\(n / 2)"] = nil
      try persistence.append(state.takeChanges().line)
      if persistence.needsCompaction {
        #expect(persistence.journalBytes > max(2000, persistence.snapshotBytes))
        try persistence.compact(state)
        compactions += 1
        #expect(persistence.journalBytes == 0)
        #expect(Self.size(directory.appendingPathComponent("state.journal").path) == 0)
      }
    }
    #expect(compactions >= 1)
    state.buckets["last"] = 1
    try persistence.append(state.takeChanges().line)
    let reloaded = StatePersistence(directory: directory).load()
    #expect(reloaded.notes.isEmpty)
    #expect(reloaded.state.counter == state.counter)
    #expect(reloaded.state.buckets.entries == state.buckets.entries)
    // Replaying a journal over a snapshot that already holds it changes nothing (a crash
    // between writing the snapshot and emptying the journal).
    let journal = try Data(contentsOf: directory.appendingPathComponent("state.journal"))
    #expect(!journal.isEmpty)
    try persistence.compact(state)
    try journal.write(to: directory.appendingPathComponent("state.journal"))
    let replayed = StatePersistence(directory: directory).load().state
    #expect(replayed.buckets.entries == state.buckets.entries)
    #expect(replayed.counter == state.counter)
  }
}
