import EmulatorTestSupport
import Foundation
import Testing

/// The whole life of a deposit with plain requests, checking every response.
@Suite("Deposit life")
struct LifecycleTests {
  @Test("create → upload → publish → edit → newversion → replace a file → publish")
  func fullLife() async throws {
    let fixture = try await Fixture()
    let http = fixture.alice

    // Create.
    let created = try await http.send(
      "POST", "/deposit/depositions", json: ["metadata": validMetadata()])
    #expect(created.status == 201)
    let id = try #require(int(created.object, "id"))
    #expect(string(created.object, "state") == "unsubmitted")
    let bucket = try #require(string(created.object, "links", "bucket"))

    // Upload two files.
    let a = try await http.putFile(bucket, key: "a.txt", data: Data("version one of a".utf8))
    #expect(a.status == 201)
    #expect(string(a.object, "checksum") == "md5:" + (try await md5sum("version one of a")))
    let b = try await http.putFile(bucket, key: "b.txt", data: Data("b stays".utf8))
    #expect(b.status == 201)

    // Publish.
    let published = try await http.action(id, "publish")
    #expect(published.status == 202)
    #expect(string(published.object, "state") == "done")
    #expect(string(published.object, "doi") == "10.5281/zenodo.\(id)")
    let files = published.object["files"] as? [[String: Any]] ?? []
    #expect(files.count == 2)
    let fileIDs = Dictionary(
      uniqueKeysWithValues: files.map { (string($0, "filename")!, string($0, "id")!) })

    // Edit: metadata only, bucket locked.
    let edit = try await http.action(id, "edit")
    #expect(edit.status == 201)
    #expect(string(edit.object, "state") == "inprogress")
    var changed = validMetadata(title: "Emulator contract test, corrected")
    changed["version"] = "1.0"
    let put = try await http.send("PUT", "/deposit/depositions/\(id)", json: ["metadata": changed])
    #expect(put.status == 200)
    #expect(string(put.object, "title") == "Emulator contract test, corrected")
    let locked = try await http.putFile(bucket, key: "c.txt", data: Data("c".utf8))
    #expect(locked.status == 403)
    let republished = try await http.action(id, "publish")
    #expect(republished.status == 202)
    #expect(string(republished.object, "state") == "done")
    #expect(string(republished.object, "title") == "Emulator contract test, corrected")

    // New version: files imported with the same ids.
    let newVersion = try await http.action(id, "newversion")
    #expect(newVersion.status == 201)
    let newID = try #require(int(newVersion.object, "id"))
    #expect(newID != id)
    #expect(string(newVersion.object, "conceptrecid") == String(id - 1))
    #expect(string(newVersion.object, "state") == "unsubmitted")
    let newFiles = newVersion.object["files"] as? [[String: Any]] ?? []
    #expect(
      Dictionary(
        uniqueKeysWithValues: newFiles.map { (string($0, "filename")!, string($0, "id")!) })
        == fileIDs)
    #expect(value(newVersion.object, "metadata", "version") == nil)
    let newBucket = try #require(string(newVersion.object, "links", "bucket"))
    #expect(newBucket != bucket)

    // Replace a file by overwriting its key; set the new version's metadata.
    let replaced = try await http.putFile(
      newBucket, key: "a.txt", data: Data("version two of a".utf8))
    #expect(replaced.status == 201)
    #expect(string(replaced.object, "checksum") == "md5:" + (try await md5sum("version two of a")))
    var second = validMetadata(title: "Emulator contract test, corrected")
    second["version"] = "2.0"
    let put2 = try await http.send(
      "PUT", "/deposit/depositions/\(newID)", json: ["metadata": second])
    #expect(put2.status == 200)
    #expect(string(put2.object, "metadata", "version") == "2.0")

    // Publish the new version.
    let final = try await http.action(newID, "publish")
    #expect(final.status == 202)
    #expect(string(final.object, "state") == "done")
    #expect(string(final.object, "doi") == "10.5281/zenodo.\(newID)")
    #expect(string(final.object, "conceptdoi") == "10.5281/zenodo.\(id - 1)")
    let finalFiles = final.object["files"] as? [[String: Any]] ?? []
    let byName = Dictionary(uniqueKeysWithValues: finalFiles.map { (string($0, "filename")!, $0) })
    #expect(string(byName["a.txt"], "checksum") == (try await md5sum("version two of a")))
    #expect(string(byName["a.txt"], "id") != fileIDs["a.txt"])
    #expect(string(byName["b.txt"], "id") == fileIDs["b.txt"])

    // The old version still serves its own bytes.
    let old = try await http.get(bucket + "/a.txt")
    #expect(old.text == "version one of a")
    let current = try await http.get(newBucket + "/a.txt")
    #expect(current.text == "version two of a")

    // Search: one hit per concept, the latest version.
    let hits = try await http.get("/deposit/depositions?q=conceptrecid:\(id - 1)")
    #expect(hits.array.compactMap { int($0, "id") } == [newID])
  }
}
