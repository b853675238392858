import EmulatorTestSupport
import Foundation
import TestSupport
import Testing

/// A 5 GB upload streams to disk: the server's peak memory stays under 100 MB.
@Suite("Streaming")
struct StreamingTests {
  static let size: Int64 = 5 * 1024 * 1024 * 1024

  /// Runs a shell pipeline and returns its stdout, awaiting its end (however long a 5 GB
  /// pipeline takes on a loaded machine) without holding one of the few threads that all
  /// concurrently running tests share.
  func shell(_ script: String, environment: [String: String] = [:]) async throws -> String {
    let running = try Subprocess.start(
      ["/bin/sh", "-c", script],
      environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
    let outcome = await running.finish(timeout: nil)
    #expect(outcome.status == 0, "\(script): \(outcome.stderr)")
    return outcome.stdout
  }

  @Test("5 GB from /dev/zero through curl: right MD5 and size, server VmHWM < 100 MB")
  func fiveGigabytes() async throws {
    let fixture = try await Fixture()
    let deposit = try await fixture.alice.create()
    let bucket = try #require(string(deposit, "links", "bucket"))
    let expected = String(try await shell("head -c \(Self.size) /dev/zero | md5sum").prefix(32))
    let started = Date()
    let body = try await shell(
      "head -c \(Self.size) /dev/zero | curl -s -T - -H 'Content-Type: application/octet-stream' "
        + "-H \"Authorization: Bearer $TOKEN\" \(bucket)/zeros.bin",
      environment: ["TOKEN": fixture.emulator.token("alice")])
    let seconds = Date().timeIntervalSince(started)
    let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    #expect(string(object, "checksum") == "md5:" + expected)
    #expect(Int64(int(object, "size") ?? 0) == Self.size)
    let peak = try #require(fixture.emulator.peakResidentBytes())
    print(
      "5 GB upload: \(String(format: "%.1f", seconds)) s, server VmHWM \(peak / 1024 / 1024) MiB")
    #expect(peak < 100 * 1024 * 1024)
    // Clean up the 5 GB blob now rather than at process exit.
    let id = try #require(int(deposit, "id"))
    #expect(try await fixture.alice.send("DELETE", "/deposit/depositions/\(id)").status == 204)
  }
}
