import Foundation
import Testing
import ZenDo

@Suite struct ParallelUploadEndToEndTests {
  /// Four files at a time through injected 5xx/429/dropped connections and a server-side rate
  /// limit: every run that fails is simply run again, and the deposit ends with every file,
  /// each with its content's MD5, and no second deposit.
  @Test(arguments: [ZenodoAPI.records, .legacy])
  func parallelUploadsUnderFaultsAndARateLimitConvergeWithNoLostFile(api: ZenodoAPI) async throws {
    let h = try await UploadHarness(
      // Low enough that each API's first run goes over it (legacy: about 12 requests, records:
      // about 30).
      emulatorArguments: [
        "--fail-rate", "0.15", "--rate-limit", api == .legacy ? "8/min" : "12/min", "--seed", "11",
      ],
      api: api)
    let files = (0..<8).map {
      ("p\($0).dat", "parallel file \($0)\n" + String(repeating: "x", count: 1000 * $0))
    }
    try h.write(files: files)
    var status: Int32 = -1
    var runs = 0
    for _ in 0..<6 where status != 0 {
      let output = try await h.upload(
        ["--parallel", "4"], environment: ["ZEN_DO_REQUESTS_PER_MINUTE": "6000"],
        timeout: 300)
      status = output.status
      runs += 1
    }
    #expect(status == 0, "did not converge in \(runs) runs")
    #expect(try await h.depositions().count == 1)
    let deposit = try await h.current()
    #expect(deposit.files.count == files.count)
    for (name, content) in files {
      #expect(deposit.files.first { $0.name == name }?.md5 == UploadHarness.md5(content), "\(name)")
    }
    let log = try String(contentsOfFile: h.logPath, encoding: .utf8)
    #expect(log.contains("\"fault\""), "the emulator injected no failure")
    #expect(log.contains("rate-limit"), "the rate limit never bit")
  }
}
