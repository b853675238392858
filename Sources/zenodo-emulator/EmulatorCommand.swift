import ArgumentParser
import Foundation
import ZenodoEmulator

/// `zenodo-emulator`: a local stand-in for zenodo.org's records API and legacy deposit API.
@main
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zenodo-emulator",
    abstract:
      "Serve a local stand-in for zenodo.org: the InvenioRDM records API and the legacy deposit API.",
    discussion: """
      Prints 'zenodo-emulator listening on http://HOST:PORT/api', one 'user NAME token TOKEN' \
      line per user, then 'ready', on stdout.
      """
  )

  @Option(help: "Address to bind.")
  var host = "127.0.0.1"

  @Option(help: "Port to bind; 0 picks a free port.")
  var port = 0

  @Option(
    help:
      "Directory that keeps deposits and files across restarts (default: a new temporary directory)."
  )
  var stateDir: String?

  @Option(help: "A user as NAME:TOKEN; repeatable (default: two generated users, alice and bob).")
  var user: [String] = []

  @Option(help: "Fraction of requests answered with 500/502/503/429 or a dropped connection.")
  var failRate = 0.0

  @Option(help: "Seed for --fail-rate, so failures repeat from run to run.")
  var seed: UInt64 = 1

  @Option(help: "Requests allowed per minute per token or address, as N or N/min.")
  var rateLimit: String?

  @Option(help: "Milliseconds before a new deposit shows up in search.")
  var indexLag = 0

  @Option(help: "Append one JSON line per request to this file.")
  var log: String?

  @Option(
    help:
      "A community as SLUG or SLUG:USER (owned by the first user unless USER is given); repeatable."
  )
  var community: [String] = []

  @Option(
    help:
      "A JSON file of extra vocabulary entries ({\"affiliations\": {\"ID\": {\"title\": ...}}}); repeatable."
  )
  var vocabulary: [String] = []

  @Option(help: "A user NAME with the superuser role: may act on anyone's records; repeatable.")
  var superuser: [String] = []

  @Flag(
    help:
      "Let owners set files.enabled to false and publish without files (upstream's default; not zenodo.org's)."
  )
  var allowMetadataOnly = false

  @Option(
    help: ArgumentHelp(
      "Misbehave like a broken or hostile server (see docs/emulator.md).",
      valueName: HostileMode.allCases.map(\.rawValue).joined(separator: "|")))
  var hostile: String?

  @Option(help: "With --hostile: only requests whose path starts with this (default /api/).")
  var hostilePath = "/api/"

  @Option(help: "With --hostile redirect-offsite: the other host's base URL to redirect to.")
  var hostileTarget: String?

  @Option(help: "With --hostile trickle: milliseconds between the body's bytes.")
  var hostileInterval = 5000

  @Option(help: "With --hostile huge-body: the size of the answer in bytes.")
  var hostileBytes: Int64 = 256 << 20

  @Option(help: ArgumentHelp("Files per deposit.", visibility: .hidden))
  var maxFiles = FileLimits.zenodo.maxFiles

  @Option(help: ArgumentHelp("Bytes per deposit, all files together.", visibility: .hidden))
  var quotaBytes = FileLimits.zenodo.quotaBytes

  @Option(help: ArgumentHelp("Bytes per file.", visibility: .hidden))
  var maxFileBytes = FileLimits.zenodo.maxFileBytes

  @Flag(help: ArgumentHelp("Print the default limits and exit.", visibility: .hidden))
  var printLimits = false

  func validate() throws {
    guard (0...1).contains(failRate) else {
      throw ValidationError(
        "Please give --fail-rate as a fraction between 0 and 1, not \(failRate).")
    }
    if let rateLimit, parsedRateLimit(rateLimit) == nil {
      throw ValidationError(
        "Please give --rate-limit as N or N/min with N ≥ 1, not '\(rateLimit)'.")
    }
    for entry in user where !entry.contains(":") || entry.hasPrefix(":") || entry.hasSuffix(":") {
      throw ValidationError("Please give --user as NAME:TOKEN, not '\(entry)'.")
    }
    if let hostile, HostileMode(rawValue: hostile) == nil {
      throw ValidationError(
        "Please give --hostile as one of "
          + HostileMode.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(hostile)'.")
    }
    if hostile == HostileMode.redirectOffsite.rawValue, hostileTarget == nil {
      throw ValidationError("--hostile redirect-offsite needs --hostile-target URL.")
    }
    guard hostileInterval > 0, hostileBytes > 0 else {
      throw ValidationError(
        "Please give --hostile-interval and --hostile-bytes as positive numbers.")
    }
    for entry in community {
      let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
      guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty
      else {
        throw ValidationError("Please give --community as SLUG or SLUG:USER, not '\(entry)'.")
      }
    }
  }

  func parsedRateLimit(_ text: String) -> Int? {
    let number = text.hasSuffix("/min") ? String(text.dropLast(4)) : text
    guard let value = Int(number), value >= 1 else { return nil }
    return value
  }

  func run() async throws {
    if printLimits {
      let limits = FileLimits.zenodo
      print(
        "max-files \(limits.maxFiles) quota-bytes \(limits.quotaBytes) max-file-bytes \(limits.maxFileBytes)"
      )
      return
    }
    let users: [EmulatorUser]
    if user.isEmpty {
      users = ["alice", "bob"].enumerated().map {
        EmulatorUser(id: $0.offset + 1, name: $0.element, token: Self.newToken())
      }
    } else {
      users = user.enumerated().map { index, entry in
        let parts = entry.split(separator: ":", maxSplits: 1)
        return EmulatorUser(id: index + 1, name: String(parts[0]), token: String(parts[1]))
      }
    }
    let directory: URL
    if let stateDir {
      directory = URL(fileURLWithPath: stateDir, isDirectory: true)
    } else {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "zenodo-emulator-" + UUID().uuidString, isDirectory: true)
    }
    var configuration = EmulatorConfiguration(stateDirectory: directory, users: users)
    configuration.host = host
    configuration.port = port
    configuration.failRate = failRate
    configuration.seed = seed
    configuration.rateLimit = rateLimit.flatMap(parsedRateLimit)
    configuration.indexLag = Double(indexLag) / 1000
    configuration.logPath = log
    configuration.vocabularyFiles = vocabulary
    configuration.allowMetadataOnly = allowMetadataOnly
    if let mode = hostile.flatMap(HostileMode.init(rawValue:)) {
      var behaviour = HostileBehaviour(mode: mode)
      behaviour.pathPrefix = hostilePath
      behaviour.target = hostileTarget
      behaviour.interval = Double(hostileInterval) / 1000
      behaviour.hugeBytes = hostileBytes
      configuration.hostile = behaviour
    }
    configuration.superusers = Set(
      try superuser.map { name in
        guard let match = users.first(where: { $0.name == name }) else {
          throw ValidationError("--superuser \(name) is not one of the --user names.")
        }
        return match.id
      })
    configuration.communities = try community.map { entry in
      let parts = entry.split(separator: ":").map(String.init)
      guard parts.count == 2 else { return (slug: parts[0], owner: users[0].id) }
      guard let owner = users.first(where: { $0.name == parts[1] }) else {
        throw ValidationError(
          "--community \(entry) names the user '\(parts[1])', who is not one of the --user names.")
      }
      return (slug: parts[0], owner: owner.id)
    }
    configuration.limits = FileLimits(
      maxFiles: maxFiles, quotaBytes: quotaBytes, maxFileBytes: maxFileBytes)
    let emulator = Emulator(configuration: configuration)
    try await emulator.run { url in
      // Written straight to the file descriptor: readers wait for these lines through a pipe.
      var lines = ["zenodo-emulator listening on \(url)"]
      lines += users.map { "user \($0.name) token \($0.token)" }
      lines += ["state \(directory.path)", "ready"]
      FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
    // A generated state directory is scratch space; a given one is the user's to keep.
    if stateDir == nil { try? FileManager.default.removeItem(at: directory) }
  }

  static func newToken() -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<40).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
  }
}
