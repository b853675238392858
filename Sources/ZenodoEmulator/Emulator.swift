import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// How to run the emulator; the command line fills it in.
public struct EmulatorConfiguration: Sendable {
  /// Address to bind; loopback by default.
  public var host = "127.0.0.1"
  /// Port to bind; 0 picks a free one.
  public var port = 0
  /// Where deposits and files live across restarts.
  public var stateDirectory: URL
  /// The accepted users and their tokens.
  public var users: [EmulatorUser]
  /// Fraction of requests answered with a transient failure.
  public var failRate = 0.0
  /// Seed for the failure dice.
  public var seed: UInt64 = 1
  /// Requests per minute per token or address; `nil` for no limit.
  public var rateLimit: Int?
  /// Seconds before a new deposit version shows up in search.
  public var indexLag = 0.0
  /// JSON-lines request log.
  public var logPath: String?
  /// File limits (Zenodo's by default).
  public var limits = FileLimits.zenodo
  /// Largest multipart body the deposition files API accepts.
  public var maxMultipartBytes = 100 * 1024 * 1024
  /// Extra vocabulary files (`--vocabulary`), in the bundled vocabularies' JSON shape.
  public var vocabularyFiles: [String] = []
  /// Communities to create at start (`--community SLUG[:USER]`), with their owners' ids.
  public var communities: [(slug: String, owner: Int)] = []
  /// Ids of users with the superuser role (`--superuser`).
  public var superusers: Set<Int> = []
  /// Let owners publish records without files (`--allow-metadata-only`).
  public var allowMetadataOnly = false
  /// Misbehave like a broken or hostile server (`--hostile`).
  public var hostile: HostileBehaviour?

  /// Creates a configuration with Zenodo's defaults.
  public init(stateDirectory: URL, users: [EmulatorUser]) {
    self.stateDirectory = stateDirectory
    self.users = users
  }
}

/// The running emulator: a Hummingbird server over the record store.
public struct Emulator: Sendable {
  private let configuration: EmulatorConfiguration

  /// Prepares an emulator.
  public init(configuration: EmulatorConfiguration) {
    self.configuration = configuration
  }

  /// Serves until the process is stopped; `onListening` gets the API base URL once bound.
  public func run(onListening: @escaping @Sendable (String) async -> Void) async throws {
    let vocabularies = try Vocabularies(extraFiles: configuration.vocabularyFiles)
    let store: RecordStore
    do {
      store = try RecordStore(
        directory: configuration.stateDirectory, limits: configuration.limits,
        indexLag: configuration.indexLag, vocabularies: vocabularies,
        communities: configuration.communities, superusers: configuration.superusers,
        allowMetadataOnly: configuration.allowMetadataOnly)
    } catch {
      throw EmulatorError.cannotUseStateDirectory(configuration.stateDirectory.path, "\(error)")
    }
    let log = try configuration.logPath.map { try RequestLog(path: $0) }
    if configuration.hostile != nil { StopSignal.watch() }
    let base = Locked<Serializer?>(nil)
    let responder = EmulatorResponder(
      configuration: configuration, store: store, serializer: base, log: log,
      faults: FaultInjector(rate: configuration.failRate, seed: configuration.seed),
      limiter: configuration.rateLimit.map { RateLimiter(limit: $0) })
    var logger = Logger(label: "zenodo-emulator")
    logger.logLevel = .critical
    let host = configuration.host
    let app = Application(
      responder: responder,
      server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
      configuration: .init(
        address: .hostname(host, port: configuration.port), serverName: "zenodo-emulator"),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        let site = "http://\(host):\(port)"
        base.withLock {
          $0 = Serializer(apiBase: site + "/api", siteBase: site, vocabularies: vocabularies)
        }
        await onListening(site + "/api")
      },
      logger: logger
    )
    try await app.runService()
  }
}

/// The request context: Hummingbird's core plus the client's address for rate limiting.
struct EmulatorContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let remoteAddress: String
  /// The connection, so that `--fail-rate` can drop it before any byte of a response is sent.
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    channel = source.channel
  }
}

/// Thrown by a response body to drop the connection (`--fail-rate`).
struct DroppedConnection: Error {}
