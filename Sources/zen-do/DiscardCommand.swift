import ArgumentParser
import ZenDo

/// `zen-do discard FILE`: throw away the deposit's unpublished changes.
struct DiscardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "discard",
    abstract: "Discard the pending draft (an edit or a new version) of a .zenodo.toml's deposit.",
    discussion: """
      A deposit that was never published is deleted only with --delete-unpublished. Asks for \
      confirmation on a terminal; elsewhere pass --yes. Published versions are never touched. \
      See docs/commands.md.
      """
  )

  @Argument(help: "The .zenodo.toml whose deposit has a pending draft.")
  var file: String = ".zenodo.toml"

  @Flag(help: "Also delete a deposit that was never published (its reserved DOI goes with it).")
  var deleteUnpublished = false

  @Flag(name: .shortAndLong, help: "Do not ask; needed when not on a terminal.")
  var yes = false

  @OptionGroup var remote: RemoteOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandContext.runLive(format: output.format, remote) { await run($0) }.exit()
  }

  /// Finds the deposit by its URN and discards or deletes its draft.
  func run(_ context: CommandContext) async -> ExitStatus {
    var envelope = Envelope("discard", JSONObject([("source", .string(file))]))
    var diagnostics: [JSONValue] = []
    let deposit: LocalDeposit
    // Discard has no --api: it reads the file only for its URN and finds the draft through the
    // deposit API, which sees drafts of both APIs; a file valid for upload's default (records)
    // must stay discardable, so it is checked as for the records API.
    switch context.loadDeposit(file, api: .records, diagnostics: &diagnostics) {
    case .success(let loaded): deposit = loaded
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let client: ZenodoClient
    switch context.client(remote) {
    case .success(let made): client = made
    case .failure(let failure): return context.fail(failure, envelope)
    }
    do {
      let match = try await RemoteLookup(
        backend: LegacyBackend(client: client), clock: context.clock
      ).find(for: deposit)
      let draft: Deposition
      switch match {
      case .none:
        return context.fail(
          CommandFailure(
            status: .failure, code: "not_on_zenodo",
            message: "no deposit carries \(deposit.urn); there is nothing to discard",
            location: file), envelope)
      case .ambiguous(let candidates):
        throw SyncRefusal.ambiguous(source: file, urn: deposit.urn, candidates: candidates)
      case .found(let found): draft = found
      }
      envelope["id"] = .number(JSONNumber(Int64(draft.id)))
      let kind: String
      switch draft.state {
      case .done:
        envelope["discarded"] = .null
        if context.format == .text {
          context.line(
            "\(file): record \(draft.id) is published with no pending draft; nothing to discard")
        }
        context.document(envelope)
        return .success
      case .inprogress:
        kind = "edit"
      case .unsubmitted, .other:
        let concept = draft.conceptRecordID ?? ""
        kind =
          try await client.hasPublishedVersion(concept: concept)
          ? "new_version" : "unpublished_deposit"
      }
      envelope["kind"] = .string(kind)
      let what: String
      switch kind {
      case "edit": what = "the unpublished edit of record \(draft.id)"
      case "new_version": what = "new version draft \(draft.id) (the published versions stay)"
      default:
        what = "deposit \(draft.id), which was never published (with its files and reserved DOI)"
      }
      if kind == "unpublished_deposit" && !deleteUnpublished {
        return context.fail(
          CommandFailure(
            status: .failure, code: "needs_delete_unpublished",
            message: "\(what) would be deleted; pass --delete-unpublished to delete it",
            location: file), envelope)
      }
      if !yes {
        guard let confirm = context.confirm else {
          return context.fail(
            CommandFailure(
              status: .failure, code: "confirmation_needed",
              message: "this discards \(what); not on a terminal, so pass --yes to go ahead",
              location: file), envelope)
        }
        guard confirm("\(file): discard \(what)?") else {
          return context.fail(
            CommandFailure(
              status: .failure, code: "not_confirmed", message: "nothing was discarded",
              location: file), envelope)
        }
      }
      if kind == "edit" {
        try await client.discardEdit(id: draft.id)
      } else {
        try await client.deleteDeposition(id: draft.id)
      }
      envelope["discarded"] = .string(kind)
      if context.format == .text { context.line("\(file): discarded \(what)") }
      context.document(envelope)
      return .success
    } catch {
      return context.fail(context.remoteFailure(error, location: file), envelope)
    }
  }
}
