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
