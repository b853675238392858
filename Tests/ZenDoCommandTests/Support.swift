import Foundation
import Synchronization
import Testing
import ZenDo

@testable import zen_do

/// A context with buffers for both streams and fakes for everything else; tests read
/// `context.standardError.text` afterwards.
func testContext(
  format: OutputFormat = .text, colour: Bool = false, verbose: Bool = false,
  environment: [String: String] = ["ZENODO_TOKEN": "test-token"],
  transport: any HTTPTransport = NoNetwork(), keyring: MemoryKeyring = MemoryKeyring(),
  secret: String = "a-secret"
) -> CommandContext {
  CommandContext(
    standardOutput: .buffer(), standardError: .buffer(), format: format, colour: colour,
    errorIsTerminal: false, verbose: verbose, environment: environment,
    tokenStore: EnvironmentTokenStore(environment: environment), keyring: keyring,
    readSecret: { _ in ZenodoToken(secret) }, transport: transport, clock: InstantClock())
}

/// A keyring in memory.
final class MemoryKeyring: WritableTokenStore {
  private let tokens = Mutex<[TokenAccount: ZenodoToken]>([:])
  var name: String { "keyring" }
  func token(for account: TokenAccount) throws -> ZenodoToken? { tokens.withLock { $0[account] } }
  func setToken(_ token: ZenodoToken, for account: TokenAccount) throws {
    tokens.withLock { $0[account] = token }
  }
  func deleteToken(for account: TokenAccount) throws -> Bool {
    tokens.withLock { $0.removeValue(forKey: account) != nil }
  }
}

/// A clock whose sleeps return at once but move its time on, and are remembered.
final class InstantClock: SyncClock {
  private let state = Mutex<(now: Double, sleeps: [Double])>((1_795_000_000, []))
  func now() -> Double { state.withLock { $0.now } }
  func sleep(seconds: Double) async throws {
    state.withLock {
      $0.now += max(seconds, 0)
      $0.sleeps.append(seconds)
    }
  }
  var sleeps: [Double] { state.withLock { $0.sleeps } }
}

/// A transport that answers every request with `answer` and counts them.
final class ScriptedTransport: HTTPTransport {
  private let answer: @Sendable (TransportRequest) throws -> TransportResponse
  private let count = Mutex(0)
  init(_ answer: @escaping @Sendable (TransportRequest) throws -> TransportResponse) {
    self.answer = answer
  }
  var requests: Int { count.withLock { $0 } }
  func send(_ request: TransportRequest, progress: (@Sendable (Int64) -> Void)?) async throws
    -> TransportResponse
  {
    count.withLock { $0 += 1 }
    return try answer(request)
  }
}

/// A fresh folder under the temporary directory, removed by the caller.
func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "zen-do-command-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A `.zenodo.toml` whose title is an integer (an error at 1:9), whose version is a float (a
/// warning at 2:11) and whose file list is empty (a warning at 18:1), written to `folder`.
func writeBrokenTOML(in folder: URL) throws -> String {
  let path = folder.appendingPathComponent(".zenodo.toml").path
  try Data(
    """
    title = 42
    version = 4.0
    upload_type = "dataset"
    description = "A description."
    publication_date = 2026-11-21
    access_right = "open"
    license = "cc-by-4.0"

    [[creators]]
    name = "Doe, Jane"

    [[related_identifiers]]
    identifier = "urn:zenodo:test:broken"
    relation = "isIdenticalTo"
    scheme = "urn"

    [zen-do]
    files = []

    """.utf8
  ).write(to: URL(fileURLWithPath: path))
  return path
}

/// A valid `.zenodo.toml` with one file, written to `folder`.
func writeValidTOML(in folder: URL) throws -> String {
  try Data("a,b\n1,2\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
  let path = folder.appendingPathComponent(".zenodo.toml").path
  try Data(
    """
    title = "A title"
    upload_type = "dataset"
    description = "A description."
    publication_date = 2026-11-21
    access_right = "open"
    license = "cc-by-4.0"

    [[creators]]
    name = "Doe, Jane"

    [[related_identifiers]]
    identifier = "urn:zenodo:test:valid"
    relation = "isIdenticalTo"
    scheme = "urn"

    [zen-do]
    files = ["data.csv"]

    """.utf8
  ).write(to: URL(fileURLWithPath: path))
  return path
}

/// The JSON document a command wrote on standard output.
func document(_ context: CommandContext) throws -> JSONObject {
  try #require(try ZenodoJSON.parse(context.standardOutput.text).objectValue)
}
