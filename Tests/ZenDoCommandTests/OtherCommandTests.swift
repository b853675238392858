import Foundation
import Testing
import ZenDo

@testable import zen_do

@Suite struct ConvertCommandTests {
  @Test func jsonEnvelopeOfAConversionToStandardOutput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent(".zenodo.json").path
    try Data(#"{"title": "T", "upload_type": "dataset"}"#.utf8).write(
      to: URL(fileURLWithPath: input))
    let context = testContext(format: .json)
    let status = try ZenDoCommand.Convert.parse([input, "-o", "-", "--urn", "urn:zenodo:a:b"])
      .run(context)
    #expect(status == .success)
    #expect(context.standardError.text == "")
    let document = try document(context)
    #expect(
      document.keys == [
        "ok", "command", "schema_version", "input", "output", "direction", "urn", "messages",
        "text", "diagnostics",
      ])
    #expect(document["ok"]?.boolValue == true)
    #expect(document["command"]?.stringValue == "convert")
    #expect(document["output"]?.stringValue == "-")
    #expect(document["direction"]?.stringValue == "json-to-toml")
    #expect(document["urn"]?.stringValue == "urn:zenodo:a:b")
    #expect(document["text"]?.stringValue?.contains("title = \"T\"") == true)
    #expect(document["diagnostics"]?.arrayValue?.isEmpty == false)
  }

  @Test func invalidJSONKeepsItsPositionInFrontOfError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent(".zenodo.json").path
    try Data("{\"title\": \"T\",}".utf8).write(to: URL(fileURLWithPath: input))
    let context = testContext()
    let status = try ZenDoCommand.Convert.parse([input, "--urn", "urn:zenodo:a:b"]).run(context)
    #expect(status == .failure)
    #expect(context.standardError.text.hasPrefix("\(input):1:14: error: "))
    let json = testContext(format: .json)
    _ = try ZenDoCommand.Convert.parse([input, "--urn", "urn:zenodo:a:b"]).run(json)
    let error = try #require(try document(json)["error"]?.objectValue)
    #expect(error["code"]?.stringValue == "invalid_input")
    #expect(error["location"]?.stringValue == "\(input):1:14")
  }
}

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

@Suite struct TokenCommandTests {
  @Test func setStatusDeleteEnvelopes() throws {
    let keyring = MemoryKeyring()
    let set = testContext(format: .json, environment: [:], keyring: keyring, secret: "abc")
    #expect(try TokenCommand.SetCommand.parse(["--format", "json"]).run(set) == .success)
    #expect(
      try ZenodoJSON.parse(set.standardOutput.text)
        == ZenodoJSON.parse(
          """
          {"ok": true, "command": "token set", "schema_version": 1,
           "account": "ZENODO_TOKEN", "store": "keyring"}
          """))
    #expect(try keyring.token(for: .production) == ZenodoToken("abc"))

    var status = testContext(format: .json, environment: [:], keyring: keyring)
    status.tokenStore = CompositeTokenStore([keyring])
    #expect(try TokenCommand.StatusCommand.parse([]).run(status) == .success)
    #expect(
      try ZenodoJSON.parse(status.standardOutput.text)
        == ZenodoJSON.parse(
          """
          {"ok": true, "command": "token status", "schema_version": 1,
           "account": "ZENODO_TOKEN", "source": "keyring",
           "attempts": [{"store": "keyring", "outcome": "found"}]}
          """))
    #expect(!status.standardOutput.text.contains("abc"))

    let delete = testContext(
      format: .json, environment: ["ZENODO_TOKEN": "env"], keyring: keyring)
    #expect(try TokenCommand.DeleteCommand.parse([]).run(delete) == .success)
    #expect(
      try ZenodoJSON.parse(delete.standardOutput.text)
        == ZenodoJSON.parse(
          """
          {"ok": true, "command": "token delete", "schema_version": 1,
           "account": "ZENODO_TOKEN", "deleted": true, "still_in_environment": true}
          """))
  }

  @Test func statusWithoutATokenFailsWithACode() throws {
    let context = testContext(format: .json, environment: [:])
    #expect(try TokenCommand.StatusCommand.parse(["--sandbox"]).run(context) == .failure)
    let document = try document(context)
    #expect(document["source"] == .null)
    #expect(document["error"]?.objectValue?["code"]?.stringValue == "no_token")
  }

  @Test func statusTextGoesToStandardOutput() throws {
    let context = testContext(environment: ["ZENODO_TOKEN": "t"])
    #expect(try TokenCommand.StatusCommand.parse([]).run(context) == .success)
    #expect(context.standardOutput.text == "ZENODO_TOKEN: environment\n")
    #expect(context.standardError.text == "")
  }
}
