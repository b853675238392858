import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The legacy deposit API (`docs/zenodo-api.md`): a view of the records store that maps bodies in
/// with the legacy deserializer and documents out with the legacy serializer.
extension EmulatorResponder {
  func depositions(_ exchange: Exchange, user: EmulatorUser, path: [String]) async throws
    -> Response
  {
    let (method, serializer, counter) = (exchange.method, exchange.serializer, exchange.counter)
    guard let first = path.first else {
      switch method {
      case .get:
        let parameters = try Self.searchParameters(exchange.query)
        let hits = await store.searchUser(user.id, parameters).hits
        return Self.json(200, .array(hits.map(serializer.deposition)), counter: counter)
      case .post:
        let body = try await Self.jsonBody(exchange.request, counter: counter)
        let loaded = RecordBody.load(try LegacyIn.map(body, today: Clock.today()))
        let view = try await store.create(owner: user.id, body: loaded)
        return Self.deposition(201, view, serializer: serializer, counter: counter)
      default:
        throw APIError.methodNotAllowed
      }
    }
    guard let id = Int(first) else { throw APIError.unknownID }
    switch (path.count, method) {
    case (1, _):
      return try await deposition(exchange, user: user, id: id)
    case (3, .post) where path[1] == "actions":
      return try await depositionAction(exchange, user: user, id: id, action: path[2])
    case (2, _) where path[1] == "formats":
      return try await extraFormats(exchange, id: id, user: user)
    case (2, _) where path[1] == "files":
      return try await depositionFiles(exchange, user: user, id: id)
    case (3, _) where path[1] == "files":
      return try await depositionFile(exchange, user: user, id: id, fileID: path[2])
    default:
      throw Self.noRoute
    }
  }

  private func deposition(_ exchange: Exchange, user: EmulatorUser, id: Int) async throws
    -> Response
  {
    let (serializer, counter) = (exchange.serializer, exchange.counter)
    switch exchange.method {
    case .get:
      return Self.deposition(
        200, try await store.view(id, user: user.id), serializer: serializer, counter: counter)
    case .put:
      let current = try await store.view(id, user: user.id)
      guard current.isDraft else { throw APIError.noResult }
      let body = try await Self.jsonBody(exchange.request, counter: counter)
      var mapped = try LegacyIn.map(body, today: Clock.today()).object ?? [:]
      if mapped["metadata"] == nil {
        mapped =
          try LegacyIn.map(.object(["metadata": .object([:])]), today: Clock.today()).object
          ?? [:]
      }
      // The deposit API keeps the draft's DOI unless the body names an external one.
      if mapped["pids"] == nil { mapped["pids"] = .object(current.version.pids) }
      let view = try await store.update(
        id, user: user.id, body: RecordBody.load(.object(mapped)), ifMatch: exchange.ifMatch)
      return Self.deposition(200, view, serializer: serializer, counter: counter)
    case .delete:
      try await store.deleteDraft(id, user: user.id, ifMatch: exchange.ifMatch)
      return Self.empty(204)
    default:
      throw APIError.methodNotAllowed
    }
  }

  private func depositionAction(
    _ exchange: Exchange, user: EmulatorUser, id: Int, action: String
  ) async throws -> Response {
    let (serializer, counter) = (exchange.serializer, exchange.counter)
    switch action {
    case "publish":
      _ = try await store.view(id, user: user.id)
      return Self.deposition(
        202, try await store.publish(id, user: user.id, legacy: true), serializer: serializer,
        counter: counter)
    case "edit":
      return Self.deposition(
        201, try await store.edit(id, user: user.id), serializer: serializer, counter: counter)
    case "discard":
      _ = try await store.view(id, user: user.id)
      try await store.deleteDraft(id, user: user.id, ifMatch: nil)
      return Self.empty(204)
    case "newversion":
      _ = try await store.view(id, user: user.id)
      let draft = try await store.newVersion(id, user: user.id)
      let view = try await store.importFiles(draft.version.id, user: user.id)
      return Self.deposition(201, view, serializer: serializer, counter: counter)
    default:
      throw Self.noRoute
    }
  }

  private func depositionFiles(_ exchange: Exchange, user: EmulatorUser, id: Int) async throws
    -> Response
  {
    switch exchange.method {
    case .get:
      let view = try await store.view(id, user: user.id)
      let files = view.version.files.filter(\.isCommitted).map {
        exchange.serializer.depositionFile($0, depositID: id)
      }
      return Self.json(200, .array(files), counter: exchange.counter)
    case .post:
      return try await multipartUpload(exchange, id: id, user: user)
    case .put:
      _ = try await store.view(id, user: user.id)
      throw APIError.methodNotAllowed
    default:
      throw APIError.methodNotAllowed
    }
  }

  private func depositionFile(
    _ exchange: Exchange, user: EmulatorUser, id: Int, fileID: String
  ) async throws -> Response {
    switch exchange.method {
    case .get:
      let view = try await store.view(id, user: user.id)
      guard let file = view.version.files.first(where: { $0.id == fileID && $0.isCommitted })
      else { throw APIError.notFound("File does not exist.") }
      return Self.json(
        200, exchange.serializer.depositionFile(file, depositID: id), counter: exchange.counter)
    case .delete:
      try await store.deleteFile(id, fileID: fileID, user: user.id)
      return Self.empty(204)
    case .put:
      _ = try await store.view(id, user: user.id)
      throw APIError.methodNotAllowed
    default:
      throw APIError.methodNotAllowed
    }
  }

  // MARK: Buckets

  func bucketObject(_ exchange: Exchange, user: EmulatorUser, bucket: String, key: String)
    async throws -> Response
  {
    let request = exchange.request
    // A key with a slash has no route in zenodo-rdm's bucket API.
    if key.contains("/") || key.isEmpty { throw Self.noRoute }
    switch request.method {
    case .get:
      let view = try await store.bucketView(bucket, user: user.id)
      guard let file = view.version.files.first(where: { $0.key == key && $0.isCommitted }) else {
        throw APIError.notFound("Object does not exist.")
      }
      return try await download(file, counter: exchange.counter)
    case .delete:
      try await store.deleteBucketObject(bucket: bucket, key: key, user: user.id)
      return Self.empty(204)
    case .put:
      try Self.requireOctetStream(request)
      let declared = request.headers[.contentLength].flatMap { Int64($0) }
      let target = try await store.prepareUpload(
        bucket: bucket, key: key, user: user.id, declaredLength: declared)
      let (temporary, size, md5) = try await receive(
        request.body, target: target, counter: exchange.counter)
      if size == 0 {
        try? FileManager.default.removeItem(at: temporary)
        throw APIError.badRequest("Empty files are not accepted.")
      }
      let file: StoredFile
      do {
        file = try await store.commitUpload(
          recordID: target.recordID, key: key, user: user.id, temporary: temporary, size: size,
          md5: md5)
      } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
      }
      return Self.json(
        201, exchange.serializer.bucketObject(file, bucket: bucket), counter: exchange.counter)
    default:
      throw APIError.methodNotAllowed
    }
  }

  static func requireOctetStream(_ request: Request) throws {
    if let type = request.headers[.contentType], mediaType(type) != "application/octet-stream" {
      throw APIError.unsupportedMediaType("application/octet-stream")
    }
  }

  private func multipartUpload(_ exchange: Exchange, id: Int, user: EmulatorUser) async throws
    -> Response
  {
    _ = try await store.view(id, user: user.id)
    var request = exchange.request
    guard let type = request.headers[.contentType], Self.mediaType(type) == "multipart/form-data",
      let boundary = Multipart.boundary(type)
    else { throw APIError.unsupportedMediaType("multipart/form-data") }
    let buffer: ByteBuffer
    do {
      buffer = try await request.collectBody(upTo: configuration.maxMultipartBytes)
    } catch {
      throw APIError.payloadTooLarge
    }
    exchange.counter.incoming = Int64(buffer.readableBytes)
    let parts = Multipart.parse(Data(buffer.readableBytesView), boundary: boundary)
    guard let filePart = parts.first(where: { $0.name == "file" }) else {
      throw APIError.badRequest("Missing file in request.")
    }
    let nameField = parts.first { $0.name == "name" }.map {
      String(decoding: $0.body, as: UTF8.self)
    }
    let key = Multipart.secureFilename(nameField ?? filePart.filename ?? "")
    guard !key.isEmpty else { throw APIError.badRequest("Missing file name.") }
    if filePart.body.isEmpty { throw APIError.badRequest("Empty files are not accepted.") }
    _ = try await store.prepareDepositUpload(
      id, key: key, user: user.id, size: Int64(filePart.body.count))
    let temporary = await store.uploadDirectory.appendingPathComponent(UUID().uuidString)
    try filePart.body.write(to: temporary)
    var digest = MD5Digest()
    filePart.body.withUnsafeBytes { digest.update($0) }
    let file: StoredFile
    do {
      file = try await store.commitUpload(
        recordID: id, key: key, user: user.id, temporary: temporary,
        size: Int64(filePart.body.count), md5: reportedMD5(digest.finish()))
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    return Self.json(
      201, exchange.serializer.depositionFile(file, depositID: id), counter: exchange.counter)
  }

  // MARK: Extra formats

  /// `…/formats` on a deposition or record: extra metadata formats keyed by MIME type.
  func extraFormats(_ exchange: Exchange, id: Int, user: EmulatorUser?) async throws -> Response {
    let request = exchange.request
    switch request.method {
    case .options:
      let files = try await store.extraFormats(id, user: user?.id, write: false)
      return Self.json(
        200, .array(files.map { exchange.serializer.extraFormat($0) }), counter: exchange.counter)
    case .get:
      // zenodo-rdm's order: `?mimetype=`, then Content-Type, then the first Accept value.
      let accept = request.headers[.accept].flatMap { Representation.mediaTypes($0).first }
      let named =
        exchange.query["mimetype"] ?? request.headers[.contentType].map(Self.mediaType) ?? accept
      guard let mimetype = named, !mimetype.isEmpty else {
        throw APIError.badRequest("Invalid extra format MIMEType.")
      }
      let files = try await store.extraFormats(id, user: user?.id, write: false)
      guard let file = files.first(where: { $0.key == mimetype }) else {
        throw APIError.notFound("Extra format not found.")
      }
      var response = try await download(file, counter: exchange.counter)
      response.headers[.contentType] = mimetype
      return response
    case .put, .delete:
      guard let user else { throw APIError.permissionDenied }
      let mimetype = request.headers[.contentType].map(Self.mediaType) ?? ""
      guard !mimetype.isEmpty else { throw APIError.badRequest("Invalid extra format MIMEType.") }
      if request.method == .delete {
        try await store.deleteExtraFormat(id, user: user.id, mimetype: mimetype)
        return Self.json(
          200, .object(["message": .string("Extra format \"\(mimetype)\" deleted.")]),
          counter: exchange.counter)
      }
      _ = try await store.extraFormats(id, user: user.id, write: true)
      let target = UploadTarget(recordID: id, key: mimetype, otherBytes: 0, legacy: true)
      let (temporary, size, md5) = try await receive(
        request.body, target: target, counter: exchange.counter)
      try await store.putExtraFormat(
        id, user: user.id, mimetype: mimetype, temporary: temporary, size: size, md5: md5)
      return Self.json(
        200, .object(["message": .string("Extra format \"\(mimetype)\" updated.")]),
        counter: exchange.counter)
    default:
      throw APIError.methodNotAllowed
    }
  }
}
