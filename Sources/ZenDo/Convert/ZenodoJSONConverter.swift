import Foundation
import TOML

/// Where the identity URN of a converted file came from.
public enum URNSource: Sendable, Equatable {
  /// The input already had an `isIdenticalTo` `urn:zenodo:` related identifier.
  case input
  /// The `--urn` option.
  case option
  /// Derived from this git remote URL.
  case gitRemote(String)
}

/// The result of turning a `.zenodo.json` into a `.zenodo.toml`, before it is written as text.
public struct JSONToTOMLConversion: Sendable {
  /// The metadata as a TOML table, keys in output order, lists of objects as arrays of tables.
  public var table: TOMLTable
  /// The deposit's identity URN.
  public var urn: String
  /// Where ``urn`` came from.
  public var urnSource: URNSource
  /// Notes and warnings for the user (wrapper unwrapped, nulls dropped, URN added, ...).
  public var messages: [ConvertMessage]
}

/// Converts Zenodo legacy deposit metadata between `.zenodo.json` and `.zenodo.toml`.
///
/// Nothing is lost: every key and value survives (unknown keys too), JSON numbers keep their
/// kind, `null`s are dropped and reported (TOML has none), and the `{"metadata": {...}}` wrapper of
/// the API's deposit shape is unwrapped. Known keys are reordered to the order of the format
/// reference (``ZenodoKeyOrder``); unknown ones follow in input order.
public struct ZenodoJSONConverter: Sendable {
  /// The zen-do version named in the header comment.
  public var toolVersion: String
  /// Today's date for the header comment (a seam, so tests do not depend on the clock).
  public var now: @Sendable () -> Date
  /// How the `origin` remote of a folder is found.
  public var gitRemote: any GitRemoteReader

  /// Creates a converter.
  public init(
    toolVersion: String = zenDoVersion, now: @escaping @Sendable () -> Date = { Date() },
    gitRemote: any GitRemoteReader = GitCommandRemoteReader()
  ) {
    self.toolVersion = toolVersion
    self.now = now
    self.gitRemote = gitRemote
  }

  // MARK: JSON → TOML

  /// Converts the bytes of a `.zenodo.json` file.
  ///
  /// - Parameters:
  ///   - bytes: the file's bytes (UTF-8, a BOM and CRLF allowed).
  ///   - file: the file, for messages, the URN's `:<name>` part and the git folder.
  ///   - urn: the `--urn` option, used when the input has no identity URN.
  /// - Throws: ``ConvertError`` when the bytes are not a JSON object or no identity is found.
  /// - Returns: The TOML table, the identity and the notes for the user.
  public func convertJSON(_ bytes: [UInt8], file: URL, urn: String? = nil) throws(ConvertError)
    -> JSONToTOMLConversion
  {
    let path = file.relativePath
    let document: JSONDocument
    do {
      document = try JSONReader.parse(bytes, path: path)
    } catch {
      throw .invalidJSON(error)
    }
    var messages = document.warnings.map {
      ConvertMessage(.warning, "\($0.path):\($0.position)", $0.message)
    }
    guard case .object(var object) = document.value else {
      throw .notAnObject(path: path, found: Self.kindName(document.value))
    }
    if object.count == 1, case .object(let inner)? = object["metadata"] {
      object = inner
      messages.append(
        ConvertMessage(
          .note, path,
          "unwrapped the {\"metadata\": {...}} wrapper (the API's deposit shape); the .zenodo.toml "
            + "holds the metadata itself"))
    }

    let identity = try addIdentity(to: &object, file: file, urn: urn, messages: &messages)

    var ordered = JSONObject()
    for key in ZenodoKeyOrder.sorted(object.keys) { ordered[key] = object[key] }

    let result = TOMLNode.fromJSON(.object(ordered))
    if !result.droppedNulls.isEmpty {
      messages.append(
        ConvertMessage(
          .note, path,
          "dropped \(result.droppedNulls.count) null value(s), which TOML cannot hold and Zenodo "
            + "treats as absent: \(result.droppedNulls.joined(separator: ", "))"))
    }
    guard case .table(let table)? = result.node?.value else {
      throw .notAnObject(path: path, found: "null")
    }
    return JSONToTOMLConversion(
      table: Self.shaped(table), urn: identity.urn, urnSource: identity.source, messages: messages)
  }

  /// The first line of a converted file: where it came from.
  public func headerComment(for file: URL) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return "# Converted from \(file.lastPathComponent) by zen-do \(toolVersion) on "
      + formatter.string(from: now())
  }

  /// Finds the identity URN, or adds one from `urn` or the git remote, first in
  /// `related_identifiers`.
  private func addIdentity(
    to object: inout JSONObject, file: URL, urn: String?, messages: inout [ConvertMessage]
  ) throws(ConvertError) -> (urn: String, source: URNSource) {
    let path = file.relativePath
    let key =
      object["related_identifiers"] == nil && object["related-identifiers"] != nil
      ? "related-identifiers" : "related_identifiers"
    var related: [JSONValue] = []
    if let existing = object[key] {
      guard case .array(let items) = existing else {
        throw .relatedIdentifiersNotAList(path: path)
      }
      related = items
    }
    if let found = related.lazy.compactMap(DepositIdentity.identity(inEntry:)).first {
      if let urn, urn != found {
        messages.append(
          ConvertMessage(
            .warning, path,
            "the metadata already has the identity \(found); --urn \(urn) was not used"))
      }
      return (found, .input)
    }

    let chosen: String
    let source: URNSource
    if let urn {
      guard DepositIdentity.isValid(urn) else { throw .invalidURN(urn) }
      chosen = urn
      source = .option
      messages.append(ConvertMessage(.note, path, "added the identity \(urn) (from --urn)"))
    } else {
      let folder = file.deletingLastPathComponent()
      guard let remote = gitRemote.originURL(ofFolder: folder) else {
        throw .missingURN(path: path, reason: "its folder has no git remote `origin`")
      }
      guard let derived = DepositIdentity.derive(remote: remote, fileName: file.lastPathComponent)
      else {
        throw .missingURN(
          path: path,
          reason: "the git remote `origin` (\(Self.redacted(remote))) has no <owner>/<repo> path")
      }
      chosen = derived
      source = .gitRemote(Self.redacted(remote))
      messages.append(
        ConvertMessage(
          .note, path,
          "added the identity \(derived) (derived from the git remote \(Self.redacted(remote)); "
            + "pass --urn to choose another)"))
    }
    var entry = JSONObject()
    entry["identifier"] = .string(chosen)
    entry["relation"] = .string(DepositIdentity.relation)
    entry["scheme"] = .string(DepositIdentity.scheme)
    object[key] = .array([.object(entry)] + related)
    return (chosen, source)
  }

  /// A remote URL without any user name or password in it, safe to print.
  static func redacted(_ remote: String) -> String {
    guard let scheme = remote.range(of: "://") else { return remote }
    let rest = remote[scheme.upperBound...]
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    guard let at = rest[..<slash].lastIndex(of: "@") else { return remote }
    return String(remote[..<scheme.upperBound]) + rest[rest.index(after: at)...]
  }

  static func kindName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }

  /// Marks how the writer lays tables out: top-level lists of objects become arrays of tables,
  /// small top-level objects (`license = { id = "MIT" }`) and everything nested stay inline.
  static func shaped(_ table: TOMLTable) -> TOMLTable {
    var out = TOMLTable()
    for entry in table.entries {
      var node = entry.node
      switch node.value {
      case .array(let items)
      where !items.isEmpty
        && items.allSatisfy({ if case .table = $0.value { true } else { false } }):
        node.value = .array(
          items.map { item in
            guard case .table(let element) = item.value else { return item }
            var shapedElement = inlined(element)
            shapedElement.isInline = false
            return TOMLNode(.table(shapedElement), at: item.position)
          })
      case .table(let inner):
        var shapedInner = inlined(inner)
        shapedInner.isInline = isSmall(inner)
        node.value = .table(shapedInner)
      default:
        node.value = inlinedValue(node.value)
      }
      out.set(entry.key, node)
    }
    return out
  }

  /// Few, short, flat members: reads well on one line.
  private static func isSmall(_ table: TOMLTable) -> Bool {
    let textLength = table.entries.reduce(0) { length, entry in
      if case .string(let text) = entry.node.value { return length + text.count }
      return length + 8
    }
    return table.entries.count <= 4 && textLength <= 60
      && table.entries.allSatisfy { entry in
        switch entry.node.value {
        case .table: return false
        case .array(let items):
          return items.allSatisfy { if case .table = $0.value { false } else { true } }
        default: return true
        }
      }
  }

  /// `table` with every table nested in it marked inline.
  private static func inlined(_ table: TOMLTable) -> TOMLTable {
    var out = table
    for entry in table.entries {
      out.set(entry.key, TOMLNode(inlinedValue(entry.node.value), at: entry.node.position))
    }
    return out
  }

  private static func inlinedValue(_ value: TOMLValue) -> TOMLValue {
    switch value {
    case .table(let t):
      var inner = inlined(t)
      inner.isInline = true
      return .table(inner)
    case .array(let items):
      return .array(items.map { TOMLNode(inlinedValue($0.value), at: $0.position) })
    default:
      return value
    }
  }
}

extension ZenodoJSONConverter {
  // MARK: TOML → JSON

  /// The JSON form of a parsed `.zenodo.toml` table, keys in TOML order.
  ///
  /// The `[zen-do]` table
  /// (settings of the tool, never sent to Zenodo) is left out, with a note.
  public func json(fromTOML table: TOMLTable, path: String) throws(ConvertError) -> (
    value: JSONValue, messages: [ConvertMessage]
  ) {
    var messages: [ConvertMessage] = []
    var metadata = table
    if let tool = table["zen-do"] {
      metadata["zen-do"] = nil
      messages.append(
        ConvertMessage(
          .note, "\(path):\(tool.position)",
          "left out the [zen-do] table: it holds zen-do's own settings, which Zenodo does not read")
      )
    }
    if let warning = Self.recordsOnlyWarning(table, path: path) { messages.append(warning) }
    do {
      return (try JSONValue(toml: TOMLNode(.table(metadata))), messages)
    } catch {
      throw .unrepresentableInJSON(path: path, error)
    }
  }

  /// The `.zenodo.toml` text of a conversion: the header comment, a blank line, then the table
  /// as ``TOML/TOMLWriter`` writes it, with prose (``ProseString``) as folded blocks.
  public func tomlText(of conversion: JSONToTOMLConversion, from file: URL) -> String {
    tomlText(of: conversion, header: headerComment(for: file))
  }

  /// The `.zenodo.toml` text of a conversion under `header` (comment lines), written as
  /// ``tomlText(of:from:)`` writes it.
  public func tomlText(of conversion: JSONToTOMLConversion, header: String) -> String {
    let writer = TOMLWriter(multilineThreshold: ProseString.width) { keyPath, text in
      guard keyPath.count == 1, ProseString.keys.contains(keyPath[0]),
        ProseString.wantsBlock(text)
      else { return nil }
      return ProseString.multiLineString(text)
    }
    return header + "\n\n" + writer.write(conversion.table)
  }

}

/// Which way a file is converted, chosen by its extension.
public enum ConversionDirection: Sendable, Equatable {
  /// `X.json` (normally `X.zenodo.json`) → `X.toml`.
  case jsonToTOML
  /// `X.toml` (normally `X.zenodo.toml`) → `X.json`.
  case tomlToJSON

  /// The direction for a file name, or nil when it ends in neither `.json` nor `.toml`.
  public init?(fileName: String) {
    let lower = fileName.lowercased()
    if lower.hasSuffix(".json") {
      self = .jsonToTOML
    } else if lower.hasSuffix(".toml") {
      self = .tomlToJSON
    } else {
      return nil
    }
  }

  /// The output beside the input: `.book.zenodo.json` → `.book.zenodo.toml` and back.
  public func outputPath(for inputPath: String) -> String {
    let stem = String(inputPath.dropLast(5))
    return stem + (self == .jsonToTOML ? ".toml" : ".json")
  }
}

/// The text a conversion produced and what to tell the user about it.
public struct ConvertedFile: Sendable {
  /// Which way the file was converted.
  public var direction: ConversionDirection
  /// The output text (TOML or JSON), ending with a newline.
  public var text: String
  /// Notes and warnings, in order.
  public var messages: [ConvertMessage]
  /// The identity URN (JSON → TOML only).
  public var urn: String?
}

extension ZenodoJSONConverter {
  /// Converts a file's bytes in the direction its name gives.
  public func convertFile(_ bytes: [UInt8], file: URL, urn: String? = nil) throws(ConvertError)
    -> ConvertedFile
  {
    switch ConversionDirection(fileName: file.lastPathComponent) ?? .jsonToTOML {
    case .jsonToTOML:
      let conversion = try convertJSON(bytes, file: file, urn: urn)
      return ConvertedFile(
        direction: .jsonToTOML, text: tomlText(of: conversion, from: file),
        messages: conversion.messages, urn: conversion.urn)
    case .tomlToJSON:
      let path = file.relativePath
      let table: TOMLTable
      do {
        table = try TOMLParser.parse(bytes: bytes)
      } catch {
        throw .invalidTOML("\(path):\(error.position): error: \(error.message)")
      }
      let (value, messages) = try json(fromTOML: table, path: path)
      return ConvertedFile(
        direction: .tomlToJSON, text: JSONWriter().write(value), messages: messages, urn: nil)
    }
  }
}
