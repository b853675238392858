import Foundation
import Testing
import ZenDo

@testable import zen_do

@Suite struct InitCommandTests {
  @Test func jsonEnvelopeAndTheClocksDate() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent(".zenodo.toml").path
    let context = testContext(format: .json)
    let status = try ZenDoCommand.Init.parse(["--urn", "urn:zenodo:o:r", target]).run(context)
    #expect(status == .success)
    let expected = try ZenodoJSON.parse(
      """
      {"ok": true, "command": "init", "schema_version": 1, "path": "\(target)",
       "urn": "urn:zenodo:o:r"}
      """)
    #expect(try ZenodoJSON.parse(context.standardOutput.text) == expected)
    // The fake clock starts at 1 795 000 000 s: 2026-11-18 11:06:40 UTC.
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("2026-11-18"))
    let again = testContext(format: .json)
    #expect(
      try ZenDoCommand.Init.parse(["--urn", "urn:zenodo:o:r", target]).run(again) == .failure)
    #expect(try document(again)["error"]?.objectValue?["code"]?.stringValue == "output_exists")
  }
}
