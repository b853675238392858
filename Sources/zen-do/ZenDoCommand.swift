import ArgumentParser
import ZenDo

@main
struct ZenDoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zen-do",
    abstract: "Keep Zenodo deposits in sync with .zenodo.toml files.",
    version: zenDoVersion,
    subcommands: [Check.self, Init.self, UploadCommand.self, Convert.self, TokenCommand.self]
  )
}
