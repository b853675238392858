import Foundation
import Testing
import ZenDo

@testable import zen_do

@Suite struct UploadCommandTests {
  @Test func brokenFileExactStderrAndNoRequest() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeBrokenTOML(in: folder)
    let transport = ScriptedTransport { _ in TransportResponse(status: 500) }
    let context = testContext(transport: transport)
    let status = try await UploadCommand.parse([path, "--server", "http://127.0.0.1:1/api"]).run(
      context)
    #expect(status == .failure)
    #expect(transport.requests == 0)
    #expect(context.standardOutput.text == "")
    #expect(
      context.standardError.text == """
        \(path):1:9: error: \(CheckCommandTests.titleError)
        \(path):2:11: warning: \(CheckCommandTests.versionWarning)
        \(path):18:1: warning: \(CheckCommandTests.filesWarning)
        error: 1 of 1 file has errors; nothing was sent

        """)
  }

  @Test func brokenFileJSONEnvelope() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeBrokenTOML(in: folder)
    let context = testContext(format: .json)
    let status = try await UploadCommand.parse([path, "--format", "json"]).run(context)
    #expect(status == .failure)
    #expect(context.standardError.text == "")
    let document = try document(context)
    #expect(document.keys == ["ok", "command", "schema_version", "diagnostics", "error"])
    #expect(document["ok"]?.boolValue == false)
    #expect(document["command"]?.stringValue == "upload")
    #expect(document["schema_version"]?.intValue == 1)
    #expect(document["diagnostics"]?.arrayValue?.count == 3)
    #expect(
      document["error"]
        == .object(
          JSONObject([
            ("code", .string("invalid_input")),
            ("message", .string("1 of 1 file has errors; nothing was sent")),
          ])))
  }

  @Test func unknownHostStopsAfterOneAttempt() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let transport = ScriptedTransport { _ in throw TransportError.unknownHost("nowhere.invalid") }
    let context = testContext(transport: transport)
    let status = try await UploadCommand.parse([path, "--server", "https://nowhere.invalid/api"])
      .run(
        context)
    #expect(status == .remoteFailure)
    #expect(transport.requests == 1)
    #expect(!context.standardError.text.contains("retry:"))
    #expect(context.standardError.text.contains("the host 'nowhere.invalid' is unknown"))
  }

  @Test func eachRetryPrintsOneLineWithoutVerbose() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let transport = ScriptedTransport { _ in TransportResponse(status: 503) }
    let context = testContext(format: .json, transport: transport)
    let status = try await UploadCommand.parse([path, "--format", "json"]).run(context)
    #expect(status == .remoteFailure)
    #expect(transport.requests == 6)
    let retries = context.standardError.text.split(separator: "\n").filter {
      $0.hasPrefix("retry: ")
    }
    #expect(retries.count == 5)
    let first = try #require(retries.first)
    // The records API is the default: the first request is its search.
    #expect(first.hasPrefix("retry: GET /api/user/records?q="))
    #expect(first.contains(": status 503; waiting "))
    #expect(first.hasSuffix(" before attempt 2 of 6"))
    let document = try document(context)
    let deposit = try #require(document["deposits"]?.arrayValue?.first?.objectValue)
    #expect(deposit["error"]?.objectValue?["code"]?.stringValue == "zenodo_error")
    #expect(document["error"]?.objectValue?["code"]?.stringValue == "zenodo_error")
  }

  @Test func aRefusedConnectionGetsOneQuickRetry() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let transport = ScriptedTransport { _ in
      throw TransportError.refused(host: "example.org", port: 443)
    }
    let context = testContext(transport: transport)
    let status = try await UploadCommand.parse([path, "--server", "https://example.org/api"]).run(
      context)
    #expect(status == .remoteFailure)
    #expect(transport.requests == 2)
    let lines = context.standardError.text.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("retry: ") }.count == 1)
    #expect(lines.last?.contains("'example.org' refused the connection on port 443") == true)
  }

  @Test func noTokenIsAnErrorWithItsCode() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let context = testContext(format: .json, environment: [:])
    let status = try await UploadCommand.parse([path]).run(context)
    #expect(status == .failure)
    let document = try document(context)
    #expect(document["error"]?.objectValue?["code"]?.stringValue == "no_token")
  }

  @Test func plainHTTPOffLoopbackIsRefused() async throws {
    let context = testContext(format: .json)
    let status = try await UploadCommand.parse(["--server", "http://example.org/api"]).run(context)
    #expect(status == .failure)
    let expected = try ZenodoJSON.parse(
      """
      {"ok": false, "command": "upload", "schema_version": 1,
       "error": {"code": "invalid_server", "message": "\(
        ServerURL.Refused(url: "http://example.org/api").description)"}}
      """)
    #expect(try ZenodoJSON.parse(context.standardOutput.text) == expected)
  }
}
