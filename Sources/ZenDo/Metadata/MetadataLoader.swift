import Foundation
import TOML

/// Reads, parses and validates `.zenodo.toml` files.
///
/// ```swift
/// let (file, diagnostics) = MetadataLoader.load(url: url)
/// guard let file else { /* print diagnostics; every one of them */ }
/// let (files, fileDiagnostics) = FileResolver.resolve(file)
/// ```
public enum MetadataLoader {
  /// Everything a load found: the file when it had no errors, the settings even when it had
  /// some (so `check` can also check the file list), and every diagnostic sorted by position.
  public struct Result: Sendable {
    /// The loaded file; nil when any error was found.
    public var file: MetadataFile?
    /// The `[zen-do]` settings as far as they could be read; nil on a syntax error.
    public var settings: ZenDoSettings?
    /// Every problem found, errors and warnings, sorted by position.
    public var diagnostics: [Diagnostic]
  }

  /// What `zen-do check` reports about one file: the metadata and the file list, checked.
  public struct CheckResult: Sendable {
    /// The loaded file; nil when the metadata or the file list has an error.
    public var file: MetadataFile?
    /// The files found for `[zen-do].files` (as far as they could be found).
    public var files: [LocalFile]
    /// Every problem in the metadata and the file list, sorted by position.
    public var diagnostics: [Diagnostic]

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains(where: \.isError) }
  }

  /// Loads the file at `url` and resolves its file list: everything `zen-do check` checks.
  ///
  /// `api` is the API the file will be sent through: with ``ZenodoAPI/legacy``, keys only the
  /// records API can carry are errors.
  public static func check(url: URL, displayPath: String? = nil, api: ZenodoAPI = .records)
    -> CheckResult
  {
    let path = displayPath ?? url.path
    let result = loadResult(url: url, displayPath: path, api: api)
    var diagnostics = Diagnostics(result.diagnostics)
    var files: [LocalFile] = []
    if let settings = result.settings {
      let (resolved, fileDiagnostics) = FileResolver.resolve(
        settings, folder: url.deletingLastPathComponent(), displayPath: path)
      files = resolved
      diagnostics.append(contentsOf: fileDiagnostics)
    }
    if let file = result.file {
      // Where a CITATION.cff beside it (or at the work tree's root) says otherwise.
      diagnostics.append(
        contentsOf: CFFAgreement.warnings(tomlFile: url, table: file.table, displayPath: path))
    }
    return CheckResult(
      file: diagnostics.hasErrors ? nil : result.file, files: files,
      diagnostics: diagnostics.items)
  }

  /// Loads the file at `url`: the file when it has no errors, and every diagnostic.
  ///
  /// `displayPath` is how diagnostics name the file (default: `url.path`).
  public static func load(url: URL, displayPath: String? = nil, api: ZenodoAPI = .records) -> (
    MetadataFile?, [Diagnostic]
  ) {
    let result = loadResult(url: url, displayPath: displayPath, api: api)
    return (result.file, result.diagnostics)
  }

  /// Loads the file at `url` and says as much as it can (see ``Result``).
  public static func loadResult(url: URL, displayPath: String? = nil, api: ZenodoAPI = .records)
    -> Result
  {
    let path = displayPath ?? url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      let reason =
        FileResolver.fileInfo(url.path) == nil
        ? "no such file" : "it could not be read (\(error.localizedDescription))"
      return Result(
        file: nil, settings: nil,
        diagnostics: [
          Diagnostic(
            .error, path: path, at: .unknown, "expected a .zenodo.toml file, but \(reason)")
        ])
    }
    return loadResult(data: data, url: url, displayPath: path, api: api)
  }

  /// Parses and validates the bytes of a `.zenodo.toml` that lives (or will live) at `url`.
  public static func loadResult(
    data: Data, url: URL, displayPath: String? = nil, api: ZenodoAPI = .records
  ) -> Result {
    let path = displayPath ?? url.path
    let table: TOMLTable
    do {
      table = try TOMLParser.parse(bytes: data)
    } catch {
      return Result(
        file: nil, settings: nil,
        diagnostics: [
          Diagnostic(.error, path: path, at: error.position, "invalid TOML: \(error.message)")
        ])
    }
    return loadResult(table: table, url: url, displayPath: path, api: api)
  }

  /// Validates an already parsed table (the convert command's output, or one built in code).
  ///
  /// `url` locates `description_file`; it need not exist.
  public static func loadResult(
    table: TOMLTable, url: URL, displayPath: String? = nil, api: ZenodoAPI = .records
  ) -> Result {
    let path = displayPath ?? url.path
    var checker = MetadataChecker(path: path, api: api)
    var outcome = checker.check(table)
    var diagnostics = Diagnostics(checker.diagnostics)
    if let descriptionFile = outcome.settings.descriptionFile {
      let position = descriptionFilePosition(in: table)
      switch renderMarkdown(descriptionFile, folder: url.deletingLastPathComponent()) {
      case .success(let html):
        outcome.metadata["description"] = .string(html)
      case .failure(let failure):
        diagnostics.append(
          Diagnostic(
            .error, path: path, at: position, keyPath: "zen-do.description_file",
            failure.message))
      }
    }
    guard !diagnostics.hasErrors, let urn = outcome.urn else {
      return Result(file: nil, settings: outcome.settings, diagnostics: diagnostics.items)
    }
    let file = MetadataFile(
      url: url, table: table, metadata: outcome.metadata, urn: urn, settings: outcome.settings)
    return Result(file: file, settings: outcome.settings, diagnostics: diagnostics.items)
  }

  /// The HTML of a Markdown file, or why there is none.
  static func renderMarkdown(_ relativePath: String, folder: URL) -> Swift.Result<String, Failure> {
    let url = folder.appendingPathComponent(relativePath)
    let quoted = MetadataChecker.quote(relativePath)
    guard let info = FileResolver.fileInfo(url.path), info.isRegular else {
      return .failure(
        Failure("expected a Markdown file, found no file at \(quoted)"))
    }
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
    else {
      return .failure(Failure("expected a UTF-8 Markdown file, found unreadable \(quoted)"))
    }
    let html = GitHubMarkdown.html(text)
    if html.trimmed.count < 3 {
      return .failure(
        Failure("expected a description of at least 3 characters, found an empty \(quoted)"))
    }
    return .success(html)
  }

  /// A message as an error value, for ``renderMarkdown(_:folder:)``.
  struct Failure: Error {
    var message: String
    init(_ message: String) { self.message = message }
  }

  private static func descriptionFilePosition(in table: TOMLTable) -> SourcePosition {
    guard let settings = table[MetadataSchema.settingsKey], case .table(let inner) = settings.value
    else { return .unknown }
    let entry = inner.entries.first {
      MetadataSchema.settings.canonicalName($0.key.name) == "description_file"
    }
    return entry?.node.position ?? settings.position
  }
}
