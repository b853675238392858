import EmulatorTestSupport
import Foundation
import Testing

/// The records API's native media type.
let nativeType = "application/vnd.inveniordm.v1+json"

/// A native body that passes publish once a file is committed.
func rdmBody(title: String = "Records API test", publisher: String? = "Zenodo") -> [String: Any] {
  var metadata: [String: Any] = [
    "resource_type": ["id": "dataset"],
    "title": title,
    "publication_date": "2026-01-02",
    "creators": [
      [
        "person_or_org": [
          "type": "personal", "family_name": "Doe", "given_name": "Jane",
          "identifiers": [["scheme": "orcid", "identifier": "0000-0002-1825-0097"]],
        ],
        "affiliations": [["id": "01ggx4157"], ["name": "Somewhere Else"]],
      ],
      ["person_or_org": ["type": "organizational", "name": "The Lab"]],
    ],
    "rights": [["id": "cc-by-4.0"]],
    "related_identifiers": [
      [
        "identifier": "urn:zenodo:owner:repo", "scheme": "urn",
        "relation_type": ["id": "isidenticalto"],
      ]
    ],
  ]
  if let publisher { metadata["publisher"] = publisher }
  return ["metadata": metadata, "custom_fields": ["journal:journal": ["issn": "1234-5679"]]]
}

extension EmulatorHTTP {
  /// Sends with `Accept` set (native by default).
  func rdm(_ method: String, _ path: String, json: Any? = nil, accept: String = nativeType)
    async throws -> HTTPReply
  {
    try await send(method, path, json: json, headers: [("Accept", accept)])
  }

  /// Creates a draft through `POST /api/records`; returns its native JSON.
  func newDraft(_ body: [String: Any] = rdmBody()) async throws -> [String: Any] {
    let reply = try await rdm("POST", "/records", json: body)
    #expect(reply.status == 201, "\(reply.text)")
    return reply.object
  }

  /// The three-step upload; returns the commit reply.
  @discardableResult
  func uploadRDM(_ id: String, key: String, text: String) async throws -> HTTPReply {
    let initReply = try await rdm("POST", "/records/\(id)/draft/files", json: [["key": key]])
    #expect(initReply.status == 201, "\(initReply.text)")
    let quoted = key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? key
    let content = try await send(
      "PUT", "/records/\(id)/draft/files/\(quoted)/content", body: Data(text.utf8),
      headers: [("Content-Type", "application/octet-stream")])
    #expect(content.status == 200, "\(content.text)")
    return try await rdm("POST", "/records/\(id)/draft/files/\(quoted)/commit")
  }

  /// A published record made through the records API; returns its native JSON.
  func publishedRDM(_ body: [String: Any] = rdmBody()) async throws -> [String: Any] {
    let draft = try await newDraft(body)
    let id = try #require(string(draft, "id"))
    let commit = try await uploadRDM(id, key: "data.csv", text: "1,2,3\n")
    #expect(commit.status == 200, "\(commit.text)")
    let reply = try await rdm("POST", "/records/\(id)/draft/actions/publish")
    #expect(reply.status == 202, "\(reply.text)")
    return reply.object
  }
}

/// The `field` members of an error body's `errors`.
func errorFields(_ reply: HTTPReply) -> [String] {
  (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
}

/// The messages of `field` in an error body or a lax save's `errors`.
func errorMessages(_ object: [String: Any], _ field: String) -> [String] {
  (object["errors"] as? [[String: Any]] ?? []).filter { $0["field"] as? String == field }
    .flatMap { $0["messages"] as? [String] ?? [] }
}
