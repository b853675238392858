/// What went wrong talking to Zenodo.
///
/// Messages name the method, the path, the status and
/// Zenodo's own words; never the token.
public enum ZenodoError: Error, CustomStringConvertible, Sendable {
  /// Zenodo answered with an error status.
  case http(method: String, path: String, status: Int, message: String?, fieldErrors: [String])
  /// No answer, after `attempts` tries.
  case connection(method: String, path: String, reason: String, attempts: Int)
  /// The server cannot be reached in a way another attempt will not fix (unknown host, TLS,
  /// a refused connection after one quick retry); `reason` says what to check.
  case unreachable(method: String, path: String, reason: String, attempts: Int)
  /// Zenodo answered, but not with what the API promises.
  case unexpectedResponse(method: String, path: String, reason: String)
  /// A non-idempotent request (create, newversion, publish) failed in a way that leaves open
  /// whether the server acted; the caller must look before trying again.
  case uncertain(method: String, path: String, reason: String)
  /// An upload arrived with a different checksum than the local file has.
  case checksumMismatch(file: String, local: String, remote: String)

  public var description: String {
    switch self {
    case .http(let method, let path, let status, let message, let fieldErrors):
      var text = "\(method) \(path) failed with status \(status)"
      if let message, !message.isEmpty { text += ": \(message)" }
      if !fieldErrors.isEmpty { text += " (" + fieldErrors.joined(separator: "; ") + ")" }
      if status == 403 {
        text += "; check that the token is valid for this server and has the deposit:write"
        text += " and deposit:actions scopes"
      }
      return text
    case .connection(let method, let path, let reason, let attempts):
      return "\(method) \(path) got no answer after \(attempts) attempts (\(reason)); "
        + "check the network and run zen-do again"
    case .unreachable(let method, let path, let reason, let attempts):
      let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
      return "\(method) \(path) failed after \(tries): \(reason)"
    case .unexpectedResponse(let method, let path, let reason):
      return "\(method) \(path) returned an unexpected response: \(reason)"
    case .uncertain(let method, let path, let reason):
      return "\(method) \(path) may or may not have been applied (\(reason)); "
        + "run zen-do again: it looks before it repeats the request"
    case .checksumMismatch(let file, let local, let remote):
      return "'\(file)' was sent \(Self.maximumUploadAttempts) times and never arrived intact: "
        + "expected MD5 \(local) (the local file), the server reported \(remote) the last time; "
        + "zen-do stopped re-sending it: check that the file does not change while it uploads, "
        + "and the server"
    }
  }

  /// How often one file is sent before a checksum that never matches stops the sync.
  public static let maximumUploadAttempts = 3

  /// The HTTP status, when Zenodo answered.
  public var status: Int? {
    if case .http(_, _, let status, _, _) = self { return status }
    return nil
  }

  /// Reads Zenodo's error body: `message`, and `errors[]` with either `message` (docs, old
  /// Zenodo) or `messages` (zenodo-rdm); a non-JSON body (a proxy's 502, a 429 in text) is
  /// quoted shortly.
  static func parseBody(_ body: [UInt8]) -> (message: String?, fieldErrors: [String]) {
    guard let json = try? ZenodoJSON.parse(body), let object = json.objectValue else {
      let text = String(decoding: body.prefix(200), as: UTF8.self)
        .split(whereSeparator: \.isNewline).joined(separator: " ").trimmed
      return (text.isEmpty ? nil : text, [])
    }
    let message = object["message"]?.stringValue
    var fieldErrors: [String] = []
    for entry in object["errors"]?.arrayValue ?? [] {
      guard let error = entry.objectValue else { continue }
      var texts: [String] = []
      if let single = error["message"]?.stringValue { texts.append(single) }
      for item in error["messages"]?.arrayValue ?? [] {
        if let text = item.stringValue { texts.append(text) }
        // RDM nests messages for sub-fields as objects.
        if let nested = item.objectValue {
          texts.append(ZenodoJSON.serialize(.object(nested)))
        }
      }
      if let nested = error["messages"]?.objectValue {
        texts.append(ZenodoJSON.serialize(.object(nested)))
      }
      let field = error["field"]?.stringValue
      let joined = texts.joined(separator: " ")
      fieldErrors.append(field.map { "\($0): \(joined)" } ?? joined)
    }
    return (message, fieldErrors)
  }
}
