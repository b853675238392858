import Foundation
import TOML

/// A record as `zen-do pull` found it: its legacy deposit metadata and its files.
public struct PulledRecord: Sendable {
  /// The record (or deposit) id.
  public var id: Int
  /// The concept record id, shared by all versions.
  public var concept: Int?
  /// The record's DOI, once registered.
  public var doi: String?
  /// Whether the token's user owns it (read through the deposit API), or it is someone
  /// else's public record.
  public var owned: Bool
  /// Whether it is published.
  public var published: Bool
  /// The legacy deposit metadata, without what Zenodo fills in by itself (its own DOI, the
  /// reserved DOI).
  public var metadata: JSONObject
  /// The record's files.
  public var files: [PulledFile]
  /// The page for people.
  public var webURL: String?
  /// The record in the records API's own JSON, when it was read through that API: then the
  /// file is written from it, with the keys only that API carries (organisations, ROR
  /// affiliations, funding, publisher, ...).
  public var native: JSONObject? = nil
}

/// One file of a pulled record.
public struct PulledFile: Sendable, Equatable {
  /// Its name on Zenodo.
  public var name: String
  /// Its size in bytes.
  public var size: Int64
  /// Its MD5, lower-case hex.
  public var md5: String
  /// Where its content is downloaded from.
  public var downloadURL: String

  /// Creates a file entry.
  public init(name: String, size: Int64, md5: String, downloadURL: String) {
    self.name = name
    self.size = size
    self.md5 = md5
    self.downloadURL = downloadURL
  }
}

/// Why `pull` found nothing to pull.
public enum PullError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No record, deposit or concept answers to the reference.
  case notFound(RecordReference)

  public var description: String {
    switch self {
    case .notFound(let reference):
      "Zenodo has no \(reference) that this token can see; check the number or DOI "
        + "(zen-do list shows your own records and drafts)"
    }
  }
}

/// Finds the record a ``RecordReference`` names: first among the user's deposits (a deposit
/// id, then a concept id), then among public records.
public struct RecordResolver: Sendable {
  private let client: ZenodoClient

  /// A resolver through `client`.
  public init(client: ZenodoClient) { self.client = client }

  /// The record `reference` names; for a concept, its newest published version.
  public func resolve(_ reference: RecordReference) async throws -> PulledRecord {
    switch reference {
    case .id(let id):
      if let mine = try await client.ownDeposition(id: id) { return pulled(mine) }
      let versions = try await client.userDepositions(query: "conceptrecid:\(id)")
        .filter { $0.conceptRecordID == String(id) }
      if let newest = Self.newest(versions),
        let mine = try await client.ownDeposition(id: newest.id)
      {
        return pulled(mine)
      }
      if let record = try await client.publicRecord(id: id) { return pulled(public: record) }
      if let record = try await client.publicRecords(query: "conceptrecid:\(id)").first {
        return pulled(public: record)
      }
    case .doi(let doi):
      let quoted = "\"\(doi)\""
      for field in ["doi", "conceptdoi"] {
        let hits = try await client.userDepositions(query: "\(field):\(quoted)")
        if let newest = Self.newest(hits), let mine = try await client.ownDeposition(id: newest.id)
        {
          return pulled(mine)
        }
        if let record = try await client.publicRecords(query: "\(field):\(quoted)").first {
          return pulled(public: record)
        }
      }
    }
    throw PullError.notFound(reference)
  }

  /// The newest published version, else the newest draft.
  static func newest(_ versions: [Deposition]) -> Deposition? {
    let published = versions.filter { $0.state != .unsubmitted }
    return (published.isEmpty ? versions : published).max { $0.id < $1.id }
  }

  private func pulled(_ deposition: Deposition) -> PulledRecord {
    var metadata = deposition.metadata
    metadata["prereserve_doi"] = nil
    if let doi = metadata["doi"]?.stringValue,
      doi == deposition.doi || doi == deposition.prereservedDOI || Self.isZenodoDOI(doi)
    {
      metadata["doi"] = nil
    }
    let files = deposition.files.map { file in
      PulledFile(
        name: file.name, size: file.size, md5: file.md5,
        downloadURL: "\(client.baseURL)/records/\(deposition.id)/"
          + (deposition.submitted ? "files/" : "draft/files/")
          + ZenodoClient.percentEncode(file.name) + "/content")
    }
    return PulledRecord(
      id: deposition.id, concept: deposition.conceptRecordID.flatMap { Int($0) },
      doi: deposition.doi, owned: true, published: deposition.submitted, metadata: metadata,
      files: files, webURL: deposition.links["html"])
  }

  private func pulled(public record: JSONObject) -> PulledRecord {
    let id = record["id"]?.intValue ?? 0
    let files = (record["files"]?.arrayValue ?? []).compactMap { entry -> PulledFile? in
      guard let object = entry.objectValue,
        let name = (object["key"] ?? object["filename"])?.stringValue
      else { return nil }
      return PulledFile(
        name: name, size: Int64((object["size"] ?? object["filesize"])?.intValue ?? 0),
        md5: RemoteFile.bareMD5(object["checksum"]?.stringValue ?? ""),
        downloadURL: object["links"]?.objectValue?["self"]?.stringValue
          ?? "\(client.baseURL)/records/\(id)/files/\(ZenodoClient.percentEncode(name))/content")
    }
    return PulledRecord(
      id: id, concept: (record["conceptrecid"]?.stringValue).flatMap { Int($0) },
      doi: record["doi"]?.stringValue, owned: false, published: true,
      metadata: Self.depositMetadata(
        fromRecord: record["metadata"]?.objectValue ?? JSONObject(),
        doi: record["doi"]?.stringValue),
      files: files,
      webURL: record["links"]?.objectValue?["self_html"]?.stringValue
        ?? record["links"]?.objectValue?["html"]?.stringValue)
  }

  /// Whether `doi` is one Zenodo (or its sandbox) registered itself.
  static func isZenodoDOI(_ doi: String) -> Bool {
    let lower = doi.lowercased()
    return lower.hasPrefix("10.5281/zenodo.") || lower.hasPrefix("10.5072/zenodo.")
  }

  /// The deposit API's metadata from the records API's Zenodo JSON `metadata` (what anyone
  /// sees of a record that is not theirs): `resource_type` back to `upload_type` and its
  /// subtype, `license` and `communities` to their deposit forms, the nested journal, meeting,
  /// imprint and thesis objects to their flat keys, alternate identifiers into
  /// `related_identifiers`, and the output-only `relations` dropped.
  public static func depositMetadata(fromRecord metadata: JSONObject, doi: String?) -> JSONObject {
    var out = JSONObject()
    let flat: [String: [(String, String)]] = [
      "journal": [
        ("title", "journal_title"), ("volume", "journal_volume"), ("issue", "journal_issue"),
        ("pages", "journal_pages"),
      ],
      "meeting": [
        ("title", "conference_title"), ("acronym", "conference_acronym"),
        ("dates", "conference_dates"), ("place", "conference_place"),
        ("url", "conference_url"), ("session", "conference_session"),
        ("session_part", "conference_session_part"),
      ],
      "imprint": [
        ("isbn", "imprint_isbn"), ("place", "imprint_place"), ("pages", "partof_pages"),
        ("title", "partof_title"),
      ],
      "thesis": [("university", "thesis_university")],
    ]
    var alternates: [JSONValue] = []
    for member in metadata {
      let value = member.value
      switch member.key {
      case "resource_type":
        guard let type = value.objectValue?["type"]?.stringValue else { continue }
        out["upload_type"] = .string(type)
        if let subtype = value.objectValue?["subtype"]?.stringValue {
          out["\(type)_type"] = .string(subtype)
        }
      case "license":
        out["license"] = value.objectValue?["id"] ?? value
      case "communities":
        out["communities"] = .array(
          (value.arrayValue ?? []).compactMap { entry in
            (entry.objectValue?["id"] ?? entry.objectValue?["identifier"]).map {
              .object(JSONObject([("identifier", $0)]))
            }
          })
      case "relations":
        continue
      case "doi" where doi == value.stringValue || isZenodoDOI(value.stringValue ?? ""):
        continue
      case "alternate_identifiers":
        for entry in value.arrayValue ?? [] {
          guard var object = entry.objectValue else { continue }
          object["relation"] = .string("isAlternateIdentifier")
          alternates.append(.object(object))
        }
      case let key where flat[key] != nil:
        for (inner, legacy) in flat[key] ?? [] {
          if let field = value.objectValue?[inner] { out[legacy] = field }
        }
      default:
        out[member.key] = value
      }
    }
    if !alternates.isEmpty {
      out["related_identifiers"] = .array(
        (out["related_identifiers"]?.arrayValue ?? []) + alternates)
    }
    return out
  }
}

/// A local file that holds a record's file: same name, same MD5.
public struct MatchedFile: Sendable, Equatable {
  /// The record's file.
  public var file: PulledFile
  /// The path to list in `[zen-do].files`, relative to the `.zenodo.toml`'s folder.
  public var relativePath: String
}

/// What `pull` writes: the `.zenodo.toml` text and how its files were matched.
public struct PullOutcome: Sendable {
  /// The file's text.
  public var text: String
  /// The identity URN.
  public var urn: String
  /// Where ``urn`` came from.
  public var urnSource: URNSource
  /// The `adopt_concept` pointer written, if any (none when the record already carries the URN).
  public var adoptConcept: Int?
  /// Notes and warnings of the conversion.
  public var messages: [ConvertMessage]
}

/// Matches a record's files to local ones and writes the `.zenodo.toml` of a pulled record.
public enum PullWriter {
  /// Files under `folder` (not in hidden folders such as `.git`) with the name and MD5 of one
  /// of `files`; the MD5 is computed only for files of the right name and size.
  public static func match(_ files: [PulledFile], in folder: URL) -> [MatchedFile] {
    let wanted = Dictionary(grouping: files, by: \.name)
    var found: [String: MatchedFile] = [:]
    let base = folder.standardizedFileURL.path
    guard
      let walker = FileManager.default.enumerator(
        at: folder, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
        options: [.skipsHiddenFiles])
    else { return [] }
    var candidates: [(URL, PulledFile)] = []
    for case let url as URL in walker {
      guard let remote = wanted[url.lastPathComponent]?.first, found[remote.name] == nil,
        let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
        values.isRegularFile == true, Int64(values.fileSize ?? -1) == remote.size
      else { continue }
      candidates.append((url, remote))
    }
    // Shallow paths first: `a.csv` beats `old/a.csv`.
    candidates.sort { $0.0.pathComponents.count < $1.0.pathComponents.count }
    for (url, remote) in candidates where found[remote.name] == nil {
      guard (try? FileDigest.md5(path: url.path)) == remote.md5 else { continue }
      var relative = url.standardizedFileURL.path
      if relative.hasPrefix(base + "/") { relative.removeFirst(base.count + 1) }
      found[remote.name] = MatchedFile(file: remote, relativePath: relative)
    }
    return files.compactMap { found[$0.name] }
  }

  /// The `.zenodo.toml` for `record` at `output`: all of its metadata through the converter
  /// (`convert`'s writer and key order), the identity from the record, `urn` or the git
  /// remote, `[zen-do].files` holding `matched`, the `adopt_concept` pointer, and the files
  /// not found locally in a comment.
  public static func write(
    _ record: PulledRecord, to output: URL, urn: String?, matched: [MatchedFile],
    converter: ZenodoJSONConverter = ZenodoJSONConverter()
  ) throws(ConvertError) -> PullOutcome {
    let bytes = Array(ZenodoJSON.serialize(.object(record.metadata)).utf8)
    var conversion = try converter.convertJSON(bytes, file: output, urn: urn)
    conversion.messages.removeAll { $0.message.hasPrefix("unwrapped the") }
    if let native = record.native {
      // Everything the record holds, in the records API's keys; the related identifiers (with
      // the identity URN the converter added) from the conversion.
      var table = RecordMapping.table(fromRecord: native)
      if let related = conversion.table["related_identifiers"] {
        table.set(TOMLKey("related_identifiers"), related)
      }
      conversion.table = table
    }
    let carried = (record.metadata["related_identifiers"]?.arrayValue ?? []).contains {
      DepositIdentity.identity(inEntry: $0) == DepositIdentity.normalised(conversion.urn)
    }
    var settings = TOMLTable()
    settings.set(
      TOMLKey("files"),
      TOMLNode(.array(matched.map { TOMLNode(.string($0.relativePath)) })))
    let pointer = carried ? nil : record.concept
    if let pointer {
      settings.set(TOMLKey("adopt_concept"), TOMLNode(.integer(Int64(pointer))))
    }
    conversion.table.set(TOMLKey(MetadataSchema.settingsKey), TOMLNode(.table(settings)))

    var header = "# Pulled from Zenodo record \(record.id)"
    if let doi = record.doi { header += " (DOI \(doi))" }
    header += " by zen-do \(converter.toolVersion) on \(day(converter.now()))"
    if let pointer {
      header +=
        "\n# [zen-do].adopt_concept = \(pointer) lets the next `zen-do upload` update this record"
        + "\n# (adding the identity URN) instead of creating a new one; it can go after that."
    }
    var text = converter.tomlText(of: conversion, header: header)
    let listed = Set(matched.map(\.file.name))
    let missing = record.files.filter { !listed.contains($0.name) }
    if !missing.isEmpty {
      text += "\n# Files of record \(record.id) not found here (same name and MD5); fetch them "
      text += "with `zen-do pull --download`,\n# or `zen-do upload` will leave them out of the "
      text += "deposit (a new version):\n"
      for file in missing {
        text += "#   \(file.name)  \(ByteCount.format(file.size))  md5:\(file.md5)\n"
      }
    }
    return PullOutcome(
      text: text, urn: conversion.urn, urnSource: conversion.urnSource, adoptConcept: pointer,
      messages: conversion.messages)
  }

  private static func day(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
  }
}
