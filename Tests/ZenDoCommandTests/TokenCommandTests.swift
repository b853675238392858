import Foundation
import Testing
import ZenDo

@testable import zen_do

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
