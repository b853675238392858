import ArgumentParser
import ZenDo

/// `zen-do list`: the account's records and drafts.
struct ListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the records and drafts of the token's account (every version, all pages).",
    discussion: """
      One line each: id, concept, state (draft, new_version_draft, edit_draft, published), \
      version, the urn:zenodo: identity if any, title and web link. See docs/commands.md.
      """
  )

  @OptionGroup var remote: RemoteOptions
  @OptionGroup var output: OutputOptions

  func run() async throws {
    try await CommandContext.runLive(format: output.format, remote) { await run($0) }.exit()
  }

  /// Reads every page of the account's depositions and prints them.
  func run(_ context: CommandContext) async -> ExitStatus {
    var envelope = Envelope("list")
    let client: ZenodoClient
    switch context.client(remote) {
    case .success(let made): client = made
    case .failure(let failure): return context.fail(failure, envelope)
    }
    let listings: [RecordListing]
    do {
      listings = RecordListing.make(try await client.userDepositions())
    } catch {
      return context.fail(context.remoteFailure(error), envelope)
    }
    for listing in listings {
      let deposition = listing.deposition
      let title = deposition.title.isEmpty ? "(no title)" : deposition.title
      context.result(
        "\(deposition.id)\tconcept \(deposition.conceptRecordID ?? "-")\t\(listing.state)\t"
          + "\(deposition.version ?? "-")\t\(listing.urn ?? "-")\t\(title)\t"
          + (deposition.webURL ?? "-"))
    }
    if context.format == .text {
      context.line("\(listings.count) record(s) and draft(s)")
    }
    envelope["records"] = .array(listings.map(\.json))
    context.document(envelope)
    return .success
  }
}
