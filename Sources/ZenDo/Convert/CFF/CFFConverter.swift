import Foundation
import TOML
import Yams

/// Why a conversion to or from `CITATION.cff` stopped.
public enum CFFConvertError: Error, Sendable, CustomStringConvertible {
  /// The `CITATION.cff` is not valid YAML or not valid CFF 1.2.0 (every problem, with line,
  /// column and key path).
  case invalidCFF(CFFErrors)
  /// The `.zenodo.toml` side failed (TOML syntax, identity, ...).
  case convert(ConvertError)

  public var description: String {
    switch self {
    case .invalidCFF(let errors): return errors.description
    case .convert(let error): return error.description
    }
  }
}

/// Converts between `CITATION.cff` (Citation File Format 1.2.0) and `.zenodo.toml`.
///
/// ```swift
/// let converter = CFFConverter()
/// let toml = try converter.convertCFF(bytes, file: URL(fileURLWithPath: "CITATION.cff"))
/// let cff = try converter.convertToCFF(tomlBytes, file: URL(fileURLWithPath: ".zenodo.toml"))
/// ```
///
/// A `CITATION.cff` is validated against the bundled CFF 1.2.0 schema first; every problem is
/// reported with file, line, column and key path. The mapping is in docs/convert.md.
public struct CFFConverter: Sendable {
  /// The `.zenodo.json` ⇄ `.zenodo.toml` converter, for the TOML side (identity, key order,
  /// header comment).
  public var zenodo: ZenodoJSONConverter

  /// Creates a converter.
  public init(zenodo: ZenodoJSONConverter = ZenodoJSONConverter()) { self.zenodo = zenodo }

  /// True for a file name that is converted from CFF: `CITATION.cff` or any `*.cff`.
  public static func isCFF(fileName: String) -> Bool {
    fileName.lowercased().hasSuffix(".cff")
  }

  /// Reads and validates a `CITATION.cff`: its root node, or every problem found.
  public static func load(_ bytes: [UInt8], path: String) -> Result<CFFNode, CFFErrors> {
    var bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .failure(
        CFFErrors([
          Diagnostic(
            .error, path: path, at: .init(line: 1, column: 1),
            "expected a UTF-8 CITATION.cff, found bytes that are not UTF-8")
        ]))
    }
    switch CFFDocument.parse(text, path: path) {
    case .failure(let errors):
      return .failure(errors)
    case .success(let root):
      let failures = CFFSchemaValidator.cff120.validate(root)
      if failures.isEmpty { return .success(root) }
      return .failure(
        CFFErrors(
          failures.map {
            Diagnostic(.error, path: path, at: $0.position, keyPath: $0.keyPath, $0.message)
          }))
    }
  }

  /// The Zenodo metadata of a `CITATION.cff` (before the identity is added), with notes.
  public func metadata(fromCFF bytes: [UInt8], path: String) throws(CFFConvertError) -> (
    JSONObject, [ConvertMessage]
  ) {
    let root: CFFNode
    switch Self.load(bytes, path: path) {
    case .success(let node): root = node
    case .failure(let errors): throw .invalidCFF(errors)
    }
    var (metadata, messages) = CFFToZenodo.metadata(root, path: path)
    let text = String(decoding: bytes, as: UTF8.self)
    let extensionObject: JSONObject?
    do {
      extensionObject = try CFFExtension.read(text, path: path)
    } catch {
      throw .invalidCFF(error)
    }
    if let extensionObject {
      for (key, value) in extensionObject {
        // The lists CFF holds in part are completed; any other key is restored whole.
        if key == "related_identifiers" || key == "contributors", case .array(let added) = value,
          case .array(let existing)? = metadata[key]
        {
          metadata[key] = .array(existing + added)
        } else {
          metadata[key] = value
        }
      }
      messages.append(
        ConvertMessage(
          .note, path,
          "restored \(extensionObject.count) key(s) from the zen-do extension block: "
            + extensionObject.keys.joined(separator: ", ")))
    }
    return (metadata, messages)
  }

  /// Converts a `CITATION.cff` into `.zenodo.toml` text.
  ///
  /// ``ConvertedFile/direction`` is `.jsonToTOML`: the output is TOML. The identity URN comes
  /// from the file's zen-do identifier, `urn`, or the git remote, as for `.zenodo.json`.
  public func convertCFF(_ bytes: [UInt8], file: URL, urn: String? = nil) throws(CFFConvertError)
    -> ConvertedFile
  {
    let (metadata, messages) = try metadata(fromCFF: bytes, path: file.relativePath)
    let json = Array(JSONWriter().write(.object(metadata)).utf8)
    do {
      var conversion = try zenodo.convertJSON(json, file: file, urn: urn)
      conversion.messages = messages + conversion.messages
      return ConvertedFile(
        direction: .jsonToTOML, text: zenodo.tomlText(of: conversion, from: file),
        messages: conversion.messages, urn: conversion.urn)
    } catch {
      throw .convert(error)
    }
  }

  /// Converts `.zenodo.toml` bytes into `CITATION.cff` text.
  ///
  /// ``ConvertedFile/direction`` is `.tomlToJSON`: the input is TOML. What CFF has no key for
  /// is kept in the zen-do extension block at the end.
  public func convertToCFF(_ bytes: [UInt8], file: URL) throws(CFFConvertError) -> ConvertedFile {
    let path = file.relativePath
    let table: TOMLTable
    do {
      table = try TOMLParser.parse(bytes: bytes)
    } catch {
      throw .convert(.invalidTOML("\(path):\(error.position): error: \(error.message)"))
    }
    var settings: JSONValue?
    if let tool = table["zen-do"] { settings = try? JSONValue(toml: tool) }
    let value: JSONValue
    do {
      value = try zenodo.json(fromTOML: table, path: path).value
    } catch {
      throw .convert(error)
    }
    guard case .object(let metadata) = value else {
      throw .convert(.notAnObject(path: path, found: "a value"))
    }
    let (node, extra) = ZenodoToCFF.document(metadata)
    var rest = extra
    if let settings { rest["zen-do"] = settings }
    var messages: [ConvertMessage] = []
    if !rest.isEmpty {
      messages.append(
        ConvertMessage(
          .note, path,
          "kept \(rest.count) key(s) CITATION.cff has no place for in the zen-do extension block "
            + "at the end: \(rest.keys.joined(separator: ", "))"))
    }
    if metadata["creators"] == nil {
      messages.append(
        ConvertMessage(.warning, path, "no creators: CITATION.cff needs at least one author"))
    }
    let yaml = (try? Yams.serialize(node: node, width: 100, allowUnicode: true)) ?? ""
    let header = zenodo.headerComment(for: file)
    var text = header + "\n" + yaml
    let block = CFFExtension.text(rest)
    if !block.isEmpty { text += "\n" + block }
    // The written file must itself be valid CFF; say so when the metadata made it invalid.
    if case .failure(let errors) = Self.load(Array(text.utf8), path: "CITATION.cff") {
      for diagnostic in errors.diagnostics {
        messages.append(
          ConvertMessage(
            .warning, "CITATION.cff:\(diagnostic.position)",
            "the written file is not valid CFF 1.2.0 here: \(diagnostic.keyPath): "
              + diagnostic.message))
      }
    }
    return ConvertedFile(direction: .tomlToJSON, text: text, messages: messages, urn: nil)
  }
}
