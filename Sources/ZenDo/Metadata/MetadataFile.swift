import Foundation
import TOML

/// A loaded and validated `.zenodo.toml`: what the upload and convert code work from.
///
/// Get one from ``MetadataLoader/load(url:displayPath:)``; it exists only when the file had no
/// errors (warnings allowed).
public struct MetadataFile: Sendable {
  /// Where the file is.
  public var url: URL
  /// The file as parsed, with every key and position (the `[zen-do]` table included).
  public var table: TOMLTable
  /// Exactly what `PUT /api/deposit/depositions/{id}` sends as `"metadata"`: canonical
  /// snake_case keys in the file's order, TOML dates as `"YYYY-MM-DD"` strings, unknown keys as
  /// written, `description` rendered from `description_file` when that is set, and no
  /// `[zen-do]` table.
  public var metadata: JSONObject
  /// The deposit's identity, from its one `isIdenticalTo` related identifier
  /// (`urn:zenodo:owner:repo:output`).
  public var urn: String
  /// The `[zen-do]` settings.
  public var settings: ZenDoSettings

  /// Creates a loaded file; normally made by ``MetadataLoader``.
  public init(
    url: URL, table: TOMLTable, metadata: JSONObject, urn: String, settings: ZenDoSettings
  ) {
    self.url = url
    self.table = table
    self.metadata = metadata
    self.urn = urn
    self.settings = settings
  }

  /// The folder the file is in; `files` and `description_file` are relative to it.
  public var folder: URL { url.deletingLastPathComponent() }
}

/// The `[zen-do]` table: settings of zen-do itself, never sent to Zenodo.
public struct ZenDoSettings: Sendable, Hashable {
  /// The `files` entries: paths or glob patterns relative to the file's folder, in order.
  public var files: [FilePattern]
  /// Where `files` is written, for diagnostics about the list as a whole; nil when absent.
  public var filesPosition: SourcePosition?
  /// The Markdown file rendered into `description`, relative to the file's folder.
  public var descriptionFile: String?
  /// `keep_folders = true`: file keys are paths relative to the file's folder
  /// (`data/raw/a.csv`), so equal base names in different folders are allowed.
  public var keepFolders = false
  /// `adopt_concept`: the concept record id `zen-do pull` wrote, so that `upload` adopts that
  /// concept while no deposit carries the URN yet (docs/commands.md, `pull`); nil when absent.
  public var adoptConcept: Int?

  /// Creates settings.
  public init(
    files: [FilePattern] = [], filesPosition: SourcePosition? = nil,
    descriptionFile: String? = nil
  ) {
    self.files = files
    self.filesPosition = filesPosition
    self.descriptionFile = descriptionFile
  }
}

/// One entry of `[zen-do].files`.
public struct FilePattern: Sendable, Hashable {
  /// The path or glob pattern as written (`paper.pdf`, `tables/*.csv`, `data/**/*.nc`).
  public var pattern: String
  /// Where it is written.
  public var position: SourcePosition

  /// Creates a pattern.
  public init(_ pattern: String, at position: SourcePosition = .unknown) {
    self.pattern = pattern
    self.position = position
  }

  /// True when the pattern has glob characters (`*`, `?`, `[`).
  public var isGlob: Bool { pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" } }
}
