import ArgumentParser
import ZenDo

@main
struct ZenDoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zen-do",
    abstract: "Keep Zenodo deposits in sync with .zenodo.toml files.",
    version: zenDoVersion,
    subcommands: [
      UploadCommand.self, StatusCommand.self, PullCommand.self, ListCommand.self,
      DiscardCommand.self, Check.self, Convert.self, Init.self, TokenCommand.self,
    ]
  )
}
