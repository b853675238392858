import Foundation
import Synchronization
import Testing
import ZenDo

@testable import zen_do

@Suite struct LifecycleCommandTests {
  /// Answers the URN search and the read with an edit draft (`inprogress`) of deposit 7, and
  /// records every request's method and path.
  final class EditDraftServer: Sendable {
    let log = Mutex<[String]>([])
    var transport: ScriptedTransport {
      ScriptedTransport { [self] request in
        let path = String(request.url.dropFirst("http://127.0.0.1:1".count))
        self.log.withLock { $0.append("\(request.method) \(path)") }
        let deposition = """
          {"id":7,"conceptrecid":"6","state":"inprogress","submitted":true,"title":"T",
           "metadata":{"title":"T","related_identifiers":[{"identifier":"urn:zenodo:test:valid",
           "relation":"isIdenticalTo","scheme":"urn"}]},"files":[],"links":{}}
          """
        if request.method == "POST" { return TransportResponse(status: 204) }
        if path.hasPrefix("/api/deposit/depositions?") {
          return TransportResponse(status: 200, body: Array("[\(deposition)]".utf8))
        }
        return TransportResponse(status: 200, body: Array(deposition.utf8))
      }
    }
  }

  func server() -> [String] { ["--server", "http://127.0.0.1:1/api"] }

  @Test func discardAsksAndDoesNothingWhenTheAnswerIsNo() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let fake = EditDraftServer()
    let asked = Mutex<[String]>([])
    var context = testContext(format: .json, transport: fake.transport)
    context.confirm = { question in
      asked.withLock { $0.append(question) }
      return false
    }
    let status = try await DiscardCommand.parse([path] + server()).run(context)
    #expect(status == .failure)
    #expect(try document(context)["error"]?.objectValue?["code"] == .string("not_confirmed"))
    #expect(asked.withLock { $0 } == ["\(path): discard the unpublished edit of record 7?"])
    #expect(!fake.log.withLock { $0 }.contains { $0.hasPrefix("POST") })

    var yes = testContext(format: .json, transport: fake.transport)
    yes.confirm = { _ in true }
    #expect(try await DiscardCommand.parse([path] + server()).run(yes) == .success)
    #expect(try document(yes)["discarded"] == .string("edit"))
    #expect(fake.log.withLock { $0 }.last == "POST /api/deposit/depositions/7/actions/discard")
  }

  @Test func checkValidatesThePointer() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try writeValidTOML(in: folder)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    for (value, ok) in [("12", true), ("\"12\"", false), ("0", false), ("-4", false)] {
      try Data(
        text.replacingOccurrences(of: "[zen-do]\n", with: "[zen-do]\nadopt_concept = \(value)\n")
          .utf8
      ).write(to: URL(fileURLWithPath: path))
      let context = testContext()
      let status = try ZenDoCommand.Check.parse([path]).run(context)
      #expect((status == .success) == ok, "\(value): \(context.standardError.text)")
      if !ok {
        #expect(
          context.standardError.text.contains(
            "zen-do.adopt_concept: expected the concept record id zen-do pull wrote"))
      }
    }
  }
}
