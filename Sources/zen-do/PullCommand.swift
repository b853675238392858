import ArgumentParser
import Foundation
import ZenDo

/// `zen-do pull RECORD`: write the `.zenodo.toml` of an existing record.
struct PullCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pull",
    abstract: "Write a .zenodo.toml from an existing Zenodo record, to manage it with zen-do.",
    discussion: """
      RECORD is a record id, a DOI or concept DOI (10.5281/zenodo.N), or a Zenodo web address \
      (/records/N, /uploads/N, /doi/...). The file holds all of the record's metadata, the \
      identity URN (from --urn or the git remote "origin"), the record's files found in the \
      folder (same name and MD5) in [zen-do].files, and [zen-do].adopt_concept, a one-time \
      pointer that lets the next `zen-do upload` add the URN to this record instead of making a \
      new one. Files not found are listed in a comment, or fetched with --download. \
      See docs/commands.md.
      """
  )

  @Argument(help: "The record: an id, a DOI, or a Zenodo web address.")
  var record: String

  @Option(name: .shortAndLong, help: "The file to write (default: ./.zenodo.toml).")
  var output: String = ".zenodo.toml"

  @Option(help: "The identity URN, such as urn:zenodo:owner:repo (default: from the git remote).")
  var urn: String?

  @Flag(help: "Download the record's files that are not in the folder (MD5 verified).")
  var download = false

  @Flag(help: "Overwrite the output file, and with --download local files that differ.")
  var force = false

  @Option(
    help: ArgumentHelp(
      "records: write every value the record holds (default; also ZEN_DO_API); legacy: only "
        + "what the legacy deposit API shows.", valueName: "records|legacy"))
  var api: ZenodoAPI?

  @OptionGroup var remote: RemoteOptions
  @OptionGroup var outputOptions: OutputOptions

  func validate() throws {
    try ValidationError.checkURN(urn)
    do {
      _ = try RecordReference(parsing: record)
    } catch {
      throw ValidationError(error.description)
    }
  }

  func run() async throws {
    try await CommandContext.runLive(format: outputOptions.format, remote) { await run($0) }.exit()
  }

  /// Finds the record, matches or downloads its files, and writes the file.
  func run(_ context: CommandContext) async -> ExitStatus {
    var envelope = Envelope("pull", JSONObject([("output", .string(output))]))
    let reference: RecordReference
    do {
      reference = try RecordReference(parsing: record)
    } catch {
      return context.fail(
        CommandFailure(status: .usage, code: "invalid_record", message: error.description),
        envelope)
    }
    let target = URL(fileURLWithPath: output)
    if FileManager.default.fileExists(atPath: target.path), !force {
      return context.fail(
        CommandFailure(
          status: .failure, code: "output_exists",
          message: "the file exists; pass --force to overwrite it, or -o to write elsewhere",
          location: output),
        envelope)
    }
    let client: ZenodoClient
    switch context.client(remote) {
    case .success(let made): client = made
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let chosenAPI: ZenodoAPI
    switch context.api(api) {
    case .success(let chosen): chosenAPI = chosen
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let folder = target.deletingLastPathComponent()
    var pulled: PulledRecord
    var matched: [MatchedFile]
    var downloaded: Set<String> = []
    do {
      pulled = try await RecordResolver(client: client).resolve(reference)
      if chosenAPI == .records, pulled.owned {
        pulled.native = try await client.nativeRecord(id: pulled.id, draft: !pulled.published)
      }
      envelope["record"] = .object(Self.describe(pulled))
      if !pulled.owned {
        context.warning(
          "record \(pulled.id) is not yours: the file describes it, but zen-do upload will "
            + "not update it (only its owner's token can)")
      }
      matched = PullWriter.match(pulled.files, in: folder)
      if download {
        let have = Set(matched.map(\.file.name))
        let wanted = pulled.files.filter { !have.contains($0.name) }
        if !force, let conflict = PullDownload.conflict(among: wanted, in: folder) {
          throw conflict
        }
        for file in wanted {
          context.line("downloading \(file.name) (\(ByteCount.format(file.size)))")
          matched.append(
            try await PullDownload(client: client).fetch(file, into: folder, replace: force))
          downloaded.insert(file.name)
          context.line("  \(file.name): MD5 verified")
        }
        let order = pulled.files.map(\.name)
        matched.sort {
          (order.firstIndex(of: $0.file.name) ?? 0) < (order.firstIndex(of: $1.file.name) ?? 0)
        }
      }
    } catch {
      return context.fail(context.remoteFailure(error), envelope)
    }
    let outcome: PullOutcome
    do {
      outcome = try PullWriter.write(pulled, to: target, urn: urn, matched: matched)
    } catch {
      return context.fail(error.failure, envelope)
    }
    do {
      try Data(outcome.text.utf8).write(to: target, options: .atomic)
    } catch {
      return context.fail(
        CommandFailure(
          status: .failure, code: "write_failed",
          message: "cannot write the file (\(error.localizedDescription))", location: output),
        envelope)
    }
    let listed = Dictionary(uniqueKeysWithValues: matched.map { ($0.file.name, $0.relativePath) })
    envelope["urn"] = .string(outcome.urn)
    envelope["adopt_concept"] = outcome.adoptConcept.map { .number(JSONNumber(Int64($0))) } ?? .null
    envelope["files"] = .array(
      pulled.files.map { file in
        var object = JSONObject([
          ("name", .string(file.name)), ("size", .number(JSONNumber(file.size))),
          ("md5", .string(file.md5)),
        ])
        object["path"] = listed[file.name].map(JSONValue.string) ?? .null
        object["status"] = .string(
          downloaded.contains(file.name)
            ? "downloaded" : listed[file.name] == nil ? "missing" : "matched")
        return .object(object)
      })
    envelope["messages"] = .array(outcome.messages.map(\.json))
    if context.format == .text {
      for message in outcome.messages {
        context.message(
          location: message.location, severity: message.severity.rawValue, message.message)
      }
      let missing = pulled.files.count - matched.count
      context.line(
        "wrote \(output) from record \(pulled.id): \(matched.count) of \(pulled.files.count) "
          + "file(s) listed" + (missing > 0 ? ", \(missing) not found (see the comment)" : ""))
      if let concept = outcome.adoptConcept {
        context.line(
          "the next `zen-do upload` adds \(outcome.urn) to concept \(concept) "
            + "([zen-do].adopt_concept), keeping its DOI")
      }
    }
    context.document(envelope)
    return .success
  }

  static func describe(_ record: PulledRecord) -> JSONObject {
    var object = JSONObject([("id", .number(JSONNumber(Int64(record.id))))])
    object["concept"] = record.concept.map { .number(JSONNumber(Int64($0))) } ?? .null
    object["doi"] = record.doi.map(JSONValue.string) ?? .null
    object["owned"] = .bool(record.owned)
    object["published"] = .bool(record.published)
    object["link"] = record.webURL.map(JSONValue.string) ?? .null
    return object
  }
}
