import Foundation
import Synchronization
import TestSupport
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
    readSecret: { _ in ZenodoToken(secret) }, transport: transport,
    clock: FakeClock(start: 1_795_000_000))
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
    TOMLFixture.text(head: "title = 42\nversion = 4.0", urn: "urn:zenodo:test:broken", files: "[]")
      .utf8
  ).write(to: URL(fileURLWithPath: path))
  return path
}

/// A valid `.zenodo.toml` with one file, `data.csv`, written to `folder`.
func writeValidTOML(in folder: URL) throws -> String {
  try Data("a,b\n1,2\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
  let path = folder.appendingPathComponent(".zenodo.toml").path
  try Data(TOMLFixture.text(urn: "urn:zenodo:test:valid", files: "[\"data.csv\"]").utf8).write(
    to: URL(fileURLWithPath: path))
  return path
}

/// The JSON document a command wrote on standard output.
func document(_ context: CommandContext) throws -> JSONObject {
  try #require(try ZenodoJSON.parse(context.standardOutput.text).objectValue)
}
