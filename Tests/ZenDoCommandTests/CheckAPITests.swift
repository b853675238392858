import Foundation
import Testing
import ZenDo

@testable import zen_do

/// `zen-do check --api`: records-only keys are errors only for the legacy API.
@Suite struct CheckAPITests {
  static let text = """
    title = "Rose scent"
    upload_type = "dataset"
    publication_date = 2026-11-21
    license = "cc0-1.0"
    publisher = "The Rose Lab"
    [[creators]]
    name = "The ASPECT developers"
    type = "organizational"
    [[related_identifiers]]
    identifier = "urn:zenodo:o:r"
    relation = "isIdenticalTo"
    scheme = "urn"
    [zen-do]
    files = ["data.csv"]

    """

  func write() throws -> (URL, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-check-api-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(".zenodo.toml").path
    try Data(Self.text.utf8).write(to: URL(fileURLWithPath: path))
    try Data("1,2\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
    return (folder, path)
  }

  @Test func recordsIsTheDefaultAndAcceptsTheKeys() throws {
    let (folder, path) = try write()
    defer { try? FileManager.default.removeItem(at: folder) }
    for arguments in [[path], [path, "--api", "records"]] {
      let context = testContext()
      #expect(try ZenDoCommand.Check.parse(arguments).run(context) == .success)
      #expect(context.standardError.text == "\(path): ok, 1 file\n")
    }
  }

  @Test func legacyNamesEachRecordsOnlyKey() throws {
    let (folder, path) = try write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let context = testContext()
    #expect(try ZenDoCommand.Check.parse([path, "--api", "legacy"]).run(context) == .failure)
    #expect(
      context.standardError.text == """
        \(path):5:1: error: publisher: "publisher" in the file is understood only by Zenodo's records API, and --api legacy cannot send it (Zenodo's legacy layer drops it); remove it, or upload with --api records
        \(path):8:8: error: creators[0].type: type "organizational" is understood only by Zenodo's records API, and --api legacy cannot send it (Zenodo's legacy layer makes everyone a person); remove it, or upload with --api records

        """)
  }

  /// `status` checks the file for the API it talks through, as `upload` does: under legacy
  /// (by option or `ZEN_DO_API`) the records-only keys are errors and nothing is asked.
  @Test func statusUnderLegacyNamesEachRecordsOnlyKeyBeforeAnyRequest() async throws {
    let (folder, path) = try write()
    defer { try? FileManager.default.removeItem(at: folder) }
    for (environment, arguments) in [([:], ["--api", "legacy"]), (["ZEN_DO_API": "legacy"], [])] {
      let transport = ScriptedTransport { _ in TransportResponse(status: 503) }
      let context = testContext(
        environment: ["ZENODO_TOKEN": "test-token"].merging(environment) { $1 },
        transport: transport)
      let status = try await StatusCommand.parse([path] + arguments).run(context)
      #expect(status == .failure)
      #expect(transport.requests == 0)
      let text = context.standardError.text
      #expect(
        text.contains(
          #"\#(path):5:1: error: publisher: "publisher" in the file is understood only by Zenodo's records API, and --api legacy cannot send it"#
        ), "\(text)")
      #expect(text.contains("\(path):8:8: error: creators[0].type: "), "\(text)")
    }
    // The records API takes the keys: the file loads and Zenodo is asked.
    let transport = ScriptedTransport { _ in TransportResponse(status: 503) }
    let context = testContext(transport: transport)
    let status = try await StatusCommand.parse([path, "--api", "records"]).run(context)
    #expect(status == .remoteFailure)
    #expect(transport.requests > 0)
    #expect(!context.standardError.text.contains("error: publisher"))
  }

  @Test func anUnknownAPIIsRefused() {
    #expect(throws: (any Error).self) {
      try ZenDoCommand.Check.parse([".zenodo.toml", "--api", "v2"])
    }
  }
}
