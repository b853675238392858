import Foundation

extension ZenodoJSONConverter {
  /// What `zen-do check` says about converted TOML text, positions in that text.
  ///
  /// Only the metadata is checked (a converted file has no `[zen-do].files` yet). `file` is where
  /// the text is (or would be) written; `displayPath` names it in the diagnostics.
  public func check(tomlText text: String, file: URL, displayPath: String) -> [Diagnostic] {
    MetadataLoader.loadResult(data: Data(text.utf8), url: file, displayPath: displayPath)
      .diagnostics
  }
}
