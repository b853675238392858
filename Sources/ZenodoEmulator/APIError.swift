/// One field error in Zenodo's RDM validation shape (`{"field": ..., "messages": [...]}`).
struct FieldError: Sendable, Equatable {
  var field: String
  var messages: [String]

  var json: JSON {
    .object(["field": .string(field), "messages": .array(messages.map(JSON.string))])
  }
}

/// An error answered to the client in Zenodo's JSON shape (`docs/zenodo-api.md`, `docs/zenodo-rdm-api.md` Appendix C).
enum APIError: Error, Sendable {
  /// 403 `Permission denied.`: no token, a wrong token, or someone else's deposit.
  case permissionDenied
  /// 404 with Zenodo's message for the case.
  case notFound(String)
  /// 400 `A validation error occurred.` with field errors.
  case validation([FieldError])
  /// 400 with a plain message.
  case badRequest(String)
  /// 403 `Bucket is locked for modifications.`.
  case bucketLocked
  /// 405 for routes Zenodo does not implement.
  case methodNotAllowed
  /// 412 when `If-Match` does not match the revision.
  case preconditionFailed
  /// 413 when a body exceeds what the route accepts.
  case payloadTooLarge
  /// 415 naming the accepted content type.
  case unsupportedMediaType(String)
  /// 406 naming the accepted media types.
  case notAcceptable(String)
  /// 410 for a deleted record.
  case gone

  static let unknownID = APIError.notFound("The persistent identifier does not exist.")
  static let notRegistered = APIError.notFound("The persistent identifier is not registered.")
  static let noResult = APIError.notFound("Not found.")

  var status: Int {
    switch self {
    case .permissionDenied, .bucketLocked: 403
    case .notFound: 404
    case .validation, .badRequest: 400
    case .methodNotAllowed: 405
    case .preconditionFailed: 412
    case .payloadTooLarge: 413
    case .unsupportedMediaType: 415
    case .notAcceptable: 406
    case .gone: 410
    }
  }

  var body: JSON {
    var members: [String: JSON] = ["status": .int(status)]
    switch self {
    case .permissionDenied: members["message"] = .string("Permission denied.")
    case .notFound(let message), .badRequest(let message): members["message"] = .string(message)
    case .validation(let errors):
      members["message"] = .string("A validation error occurred.")
      members["errors"] = .array(errors.map(\.json))
    case .bucketLocked: members["message"] = .string("Bucket is locked for modifications.")
    case .methodNotAllowed:
      members["message"] = .string("The method is not allowed for the requested URL.")
    case .preconditionFailed: members["message"] = .string("The requested revision does not match.")
    case .payloadTooLarge: members["message"] = .string("Request Entity Too Large")
    case .unsupportedMediaType(let expected):
      members["message"] = .string("Invalid 'Content-Type' header. Expected one of: \(expected)")
    case .notAcceptable(let expected):
      members["message"] = .string("Invalid 'Accept' header. Expected one of: \(expected)")
    case .gone: members["message"] = .string("Record deleted")
    }
    return .object(members)
  }
}
