import Synchronization
import TestSupport
import Testing
import ZenDo

/// A transport that answers from a handler and fails loudly on any request the handler does
/// not stub.
final class FakeTransport: HTTPTransport {
  struct Unstubbed: Error, CustomStringConvertible {
    var method: String
    var url: String
    var description: String { "unstubbed request \(method) \(url)" }
  }

  private let handler: @Sendable (TransportRequest, Int) throws -> TransportResponse?
  private let log = Mutex<[TransportRequest]>([])

  init(_ handler: @escaping @Sendable (TransportRequest, Int) throws -> TransportResponse?) {
    self.handler = handler
  }

  var requests: [TransportRequest] { log.withLock { $0 } }
  var writes: [TransportRequest] { requests.filter { $0.method != "GET" } }

  func send(_ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?) async throws
    -> TransportResponse
  {
    let index = log.withLock { log in
      log.append(request)
      return log.count - 1
    }
    if case .file(_, let size) = request.body { progress?(size) }
    guard let response = try handler(request, index) else {
      Issue.record("unstubbed request \(request.method) \(request.url)")
      throw Unstubbed(method: request.method, url: request.url)
    }
    return response
  }
}

func json(_ text: String, status: Int = 200, headers: [(name: String, value: String)] = [])
  -> TransportResponse
{
  TransportResponse(status: status, headers: headers, body: Array(text.utf8))
}

func depositionJSON(
  id: Int, concept: Int, state: String, urn: String = "urn:zenodo:o:r", version: String? = nil,
  title: String = "T", files: [(name: String, md5: String)] = [], extra: String = ""
) -> String {
  let fileItems = files.enumerated().map { index, file in
    "{\"id\":\"f\(id)-\(index)\",\"filename\":\"\(file.name)\",\"filesize\":3,"
      + "\"checksum\":\"\(file.md5)\"}"
  }.joined(separator: ",")
  let versionText = version.map { ",\"version\":\"\($0)\"" } ?? ""
  return """
    {"id":\(id),"record_id":\(id),"conceptrecid":"\(concept)","state":"\(state)",\
    "submitted":\(state != "unsubmitted"),"title":"\(title)",\
    "metadata":{"title":"\(title)","upload_type":"dataset"\(versionText),\
    "related_identifiers":[{"identifier":"\(urn)","relation":"isIdenticalTo","scheme":"urn"}],\
    "prereserve_doi":{"doi":"10.5281/zenodo.\(id)","recid":\(id)}\(extra)},\
    "files":[\(fileItems)],\
    "links":{"bucket":"http://127.0.0.1:1/api/files/b\(id)","html":"http://127.0.0.1:1/deposit/\(id)",\
    "latest_draft":"http://127.0.0.1:1/api/deposit/depositions/\(id)",\
    "discard":"http://127.0.0.1:1/api/deposit/depositions/\(id)/actions/discard"}}
    """
}

func client(_ transport: FakeTransport, clock: FakeClock = FakeClock()) -> ZenodoClient {
  ZenodoClient(
    baseURL: "http://127.0.0.1:1/api", token: ZenodoToken("s3cr3t-token"), transport: transport,
    clock: clock, random: { 0.5 })
}

/// The legacy metadata of a deposit carrying `urn`, as the sync tests' deposits hold it (equal
/// to what ``depositionJSON`` answers with the same title).
func identityMetadata(urn: String = "urn:zenodo:o:r", title: String = "T") -> JSONObject {
  JSONObject([
    ("title", .string(title)), ("upload_type", .string("dataset")),
    (
      "related_identifiers",
      .array([
        .object(
          JSONObject([("identifier", .string(urn)), ("relation", .string("isIdenticalTo"))]))
      ])
    ),
  ])
}
