import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// How the emulator misbehaves with `--hostile MODE`: the answers of a broken or hostile server,
/// for testing that a client neither hangs nor runs out of memory.
public enum HostileMode: String, Sendable, CaseIterable {
  /// A 200 whose JSON body never ends soon: `--hostile-bytes` bytes, chunked (no
  /// Content-Length), streamed a chunk at a time.
  case hugeBody = "huge-body"
  /// A 200 whose body is 100 000 nested arrays.
  case deepJSON = "deep-json"
  /// A 302 to the same path on `--hostile-target`, another host.
  case redirectOffsite = "redirect-offsite"
  /// A 200 with its headers, then one byte of body every `--hostile-interval`.
  case trickle
  /// The connection is accepted and the request read, then nothing is ever sent.
  case silent
  /// Uploads are stored, but every checksum the server reports for them is wrong.
  case badMD5 = "bad-md5"
}

/// The `--hostile` settings.
public struct HostileBehaviour: Sendable {
  /// What goes wrong.
  public var mode: HostileMode
  /// Only requests whose path starts with this misbehave (`bad-md5` ignores it: every upload).
  public var pathPrefix = "/api/"
  /// The other host's base URL that `redirect-offsite` points to (required for that mode).
  public var target: String?
  /// Seconds between the bytes of `trickle`.
  public var interval = 5.0
  /// The size of the `huge-body` answer.
  public var hugeBytes: Int64 = 256 << 20

  /// Settings for `mode`, applying to every API request.
  public init(mode: HostileMode) {
    self.mode = mode
  }

  /// Whether a request to `path` misbehaves.
  func applies(to path: String) -> Bool {
    path.hasPrefix(pathPrefix)
  }

  /// The checksum reported for an upload whose content has `md5`: wrong under `bad-md5`.
  func reportedMD5(_ md5: String) -> String {
    guard mode == .badMD5, let first = md5.first else { return md5 }
    return (first == "0" ? "1" : "0") + md5.dropFirst()
  }
}

extension EmulatorResponder {
  /// The hostile answer to `request`, or nil when it is answered normally.
  func hostileResponse(_ request: Request, context: EmulatorContext, counter: ByteCounter)
    async throws -> Response?
  {
    guard let hostile = configuration.hostile, hostile.applies(to: request.uri.path) else {
      return nil
    }
    let channel = context.channel
    switch hostile.mode {
    case .badMD5:
      return nil
    case .hugeBody:
      let total = hostile.hugeBytes
      counter.outgoing = total
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody { writer in
          let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 20)
          try await writer.write(ByteBuffer(string: "{\"hits\": \""))
          var sent: Int64 = 0
          while sent < total, channel.isActive {
            let slice = chunk.getSlice(at: 0, length: Int(min(Int64(1 << 20), total - sent)))
            try await writer.write(slice ?? chunk)
            sent += 1 << 20
          }
          try await writer.write(ByteBuffer(string: "\"}"))
          try await writer.finish(nil)
        })
    case .deepJSON:
      let depth = 100_000
      let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      return Self.raw(200, text, counter: counter)
    case .redirectOffsite:
      var target = hostile.target ?? "http://localhost:9"
      while target.hasSuffix("/") { target.removeLast() }
      var response = Self.raw(302, "{\"message\": \"Found\"}", counter: counter)
      response.headers[.location] = target + request.uri.description
      return response
    case .trickle:
      let interval = hostile.interval
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody { writer in
          try await writer.write(ByteBuffer(string: "{"))
          for _ in 0..<100_000 where channel.isActive && !StopSignal.received {
            try await Self.hold(seconds: interval, while: channel)
            try await writer.write(ByteBuffer(string: " "))
          }
          try await writer.finish(nil)
        })
    case .silent:
      // Logged now, since the emulator may never see the client leave: while a request is
      // being answered no more is read from the connection, so its end goes unnoticed. After
      // ten minutes the connection is closed without an answer.
      log?.write(
        RequestLog.Entry(
          time: Clock.timestamp(), method: request.method.rawValue, path: request.uri.path,
          status: 0, bytesIn: 0, bytesOut: 0, user: nil,
          authorization: request.headers[.authorization] == nil ? nil : true,
          fault: "hostile-silent"))
      try await Self.hold(seconds: 600, while: channel)
      try? await channel.close()
      throw DroppedConnection()
    }
  }

  /// Waits `seconds`, or less when the connection closes or the emulator is asked to stop.
  private static func hold(seconds: Double, while channel: any Channel) async throws {
    let end = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < end, channel.isActive, !StopSignal.received {
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  private static func raw(_ status: Int, _ text: String, counter: ByteCounter) -> Response {
    counter.outgoing = Int64(text.utf8.count)
    return Response(
      status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }
}

/// Whether SIGTERM or SIGINT arrived: requests held by `silent` and `trickle` then end, so the
/// emulator stops at once instead of waiting for them.
enum StopSignal {
  private static let flag = Locked(false)
  nonisolated(unsafe) private static let sources: [any DispatchSourceSignal] = [SIGTERM, SIGINT].map
  { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { flag.withLock { $0 = true } }
    source.resume()
    return source
  }

  /// True once a stop signal arrived (after ``watch()``).
  static var received: Bool { flag.withLock { $0 } }

  /// Starts watching for the signals.
  static func watch() { _ = sources }
}
