import EmulatorTestSupport
import Foundation
import TestSupport
import Testing

/// §5: bucket rules and file limits.
@Suite("§5 files")
struct FileTests {
  @Test("Content-Type: octet-stream or none is accepted, anything else 415 with Zenodo's message")
  func contentType() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    let wrong = try await fixture.alice.send(
      "PUT", bucket + "/a.zip", body: Data("zip".utf8),
      headers: [("Content-Type", "application/zip")])
    #expect(wrong.status == 415)
    #expect(
      wrong.text
        == #"{"message":"Invalid 'Content-Type' header. Expected one of: application/octet-stream","status":415}"#
    )
    // No Content-Type at all: curl with the header removed.
    let curl = try await Subprocess.run(
      [
        "/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H",
        "Content-Type:", "-H", "Authorization: Bearer \(fixture.emulator.token("alice"))",
        "--data-binary", "plain", bucket + "/none.txt",
      ], environment: ["PATH": "/usr/bin:/bin"])
    #expect(curl.stdout == "201")
    #expect(try await fixture.alice.get(bucket + "/none.txt").text == "plain")
  }

  @Test("Overwrite replaces the file; empty files are rejected; a key with a slash has no route")
  func overwriteEmptySlash() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let bucket = try #require(string(deposit, "links", "bucket"))
    #expect(
      try await fixture.alice.putFile(bucket, key: "a.txt", data: Data("one".utf8)).status == 201)
    let second = try await fixture.alice.putFile(bucket, key: "a.txt", data: Data("two!".utf8))
    #expect(second.status == 201)
    let files = try await fixture.alice.deposit(id).object["files"] as? [[String: Any]] ?? []
    #expect(files.count == 1)
    #expect(int(files.first, "filesize") == 4)
    #expect(string(files.first, "checksum") == (try await md5sum("two!")))
    let empty = try await fixture.alice.putFile(bucket, key: "empty.txt", data: Data())
    #expect(empty.status == 400)
    #expect(empty.text == #"{"message":"Empty files are not accepted.","status":400}"#)
    let slash = try await fixture.alice.putFile(bucket, key: "dir%2Fa.txt", data: Data("x".utf8))
    #expect(slash.status == 404)
    let nested = try await fixture.alice.putFile(bucket, key: "dir/a.txt", data: Data("x".utf8))
    #expect(nested.status == 404)
  }

  @Test("The 100-file and 50 GB limits are Zenodo's by default")
  func defaultLimits() async throws {
    let printed = try await Subprocess.run(
      [try EmulatorProcess.binary().path, "--print-limits"],
      environment: ProcessInfo.processInfo.environment)
    #expect(printed.stdout == "max-files 100 quota-bytes 50000000000 max-file-bytes 50000000000\n")
  }

  @Test("Too many files: 400 with Zenodo's message (limit lowered to 3)")
  func tooManyFiles() async throws {
    let fixture = try await Fixture(["--max-files", "3"])
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    for index in 0..<3 {
      #expect(
        try await fixture.alice.putFile(bucket, key: "f\(index).txt", data: Data("x".utf8)).status
          == 201)
    }
    let fourth = try await fixture.alice.putFile(bucket, key: "f3.txt", data: Data("x".utf8))
    #expect(fourth.status == 400)
    #expect(
      string(fourth.object, "message")
        == "Uploading selected files will result in exceeding the max amount per record.")
    #expect(
      try await fixture.alice.putFile(bucket, key: "f0.txt", data: Data("y".utf8)).status == 201,
      "overwrite")
  }

  @Test(
    "Quota: the total over the limit is a 400, streamed or declared (quota lowered to 10 bytes)")
  func quota() async throws {
    let fixture = try await Fixture(["--quota-bytes", "10"])
    let deposit = try await fixture.alice.create()
    let id = try #require(int(deposit, "id"))
    let bucket = try #require(string(deposit, "links", "bucket"))
    #expect(
      try await fixture.alice.putFile(bucket, key: "a.txt", data: Data("123456".utf8)).status == 201
    )
    let over = try await fixture.alice.putFile(bucket, key: "b.txt", data: Data("12345".utf8))
    #expect(over.status == 400)
    #expect(string(over.object, "message") == "Bucket quota exceeded.")
    #expect(
      try await fixture.alice.putFile(bucket, key: "b.txt", data: Data("1234".utf8)).status == 201)
    let files = try await fixture.alice.deposit(id).object["files"] as? [Any] ?? []
    #expect(files.count == 2)
  }

  @Test("Per-file limit: 400 'File size limit exceeded.' (lowered to 4 bytes)")
  func fileSize() async throws {
    let fixture = try await Fixture(["--max-file-bytes", "4"])
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    let big = try await fixture.alice.putFile(bucket, key: "a.txt", data: Data("12345".utf8))
    #expect(big.status == 400)
    #expect(string(big.object, "message") == "File size limit exceeded.")
  }

  @Test("Chunked uploads (no Content-Length) stream and hash like sized ones")
  func chunked() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    let curl = try await Subprocess.run(
      [
        "/bin/sh", "-c",
        "printf 'chunked body' | curl -s -T - -H 'Content-Type: application/octet-stream' -H \"Authorization: Bearer $TOKEN\" \(bucket)/c.txt",
      ], environment: ["TOKEN": fixture.emulator.token("alice"), "PATH": "/usr/bin:/bin"])
    let object = try JSONSerialization.jsonObject(with: Data(curl.stdout.utf8)) as? [String: Any]
    #expect(string(object, "checksum") == "md5:" + (try await md5sum("chunked body")))
    #expect(int(object, "size") == 12)
  }
}
