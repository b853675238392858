import Foundation

/// Builds the legacy JSON documents (zenodo-api.md §2, §5) from the emulator's state.
struct Serializer: Sendable {
  /// `http://127.0.0.1:PORT/api`.
  var apiBase: String
  /// `http://127.0.0.1:PORT`, for html links.
  var siteBase: String

  func deposition(_ view: DepositView) -> JSON {
    let version = view.version
    let id = version.id
    var metadata = version.metadata
    metadata["prereserve_doi"] = .object([
      "doi": .string("10.5281/zenodo.\(id)"), "recid": .int(id),
    ])
    let external = version.metadata["doi"]?.string
    let doi: String? = external ?? (view.isPublished ? "10.5281/zenodo.\(id)" : nil)
    if let doi { metadata["doi"] = .string(doi) }
    var out: [String: JSON] = [
      "created": .string(version.created),
      "modified": .string(version.modified),
      "id": .int(id),
      "record_id": .int(id),
      "conceptrecid": .string(String(version.conceptID)),
      "owner": .int(version.owner),
      "title": .string(version.metadata["title"]?.string ?? ""),
      "state": .string(view.state),
      "submitted": .bool(view.isPublished),
      "metadata": .object(metadata),
      "files": .array(version.files.map { depositionFile($0, depositID: id) }),
      "links": links(view, doi: doi),
    ]
    if let doi {
      out["doi"] = .string(doi)
      out["doi_url"] = .string("https://doi.org/" + doi)
      if view.isPublished { out["conceptdoi"] = .string("10.5281/zenodo.\(version.conceptID)") }
    }
    return .object(out)
  }

  private func links(_ view: DepositView, doi: String?) -> JSON {
    let id = view.version.id
    let deposit = "\(apiBase)/deposit/depositions/\(id)"
    var links: [String: JSON] = [
      "bucket": .string("\(apiBase)/files/\(view.version.bucket)"),
      "latest_draft": .string(deposit),
      "latest_draft_html": .string("\(siteBase)/deposit/\(id)"),
      "publish": .string(deposit + "/actions/publish"),
      "edit": .string(deposit + "/actions/edit"),
      "discard": .string(deposit + "/actions/discard"),
      "newversion": .string(deposit + "/actions/newversion"),
    ]
    if view.isDraft {
      links["self"] = .string(deposit)
      links["html"] = .string("\(siteBase)/deposit/\(id)")
      links["files"] = .string(deposit + "/files")
    } else {
      links["self"] = .string("\(apiBase)/records/\(id)")
      links["html"] = .string("\(siteBase)/records/\(id)")
      links["files"] = .string("\(apiBase)/records/\(id)/files")
    }
    if let doi {
      links["doi"] = .string("https://doi.org/" + doi)
      links["parent_doi"] = .string("https://doi.org/10.5281/zenodo.\(view.version.conceptID)")
      links["badge"] = .string("\(siteBase)/badge/doi/\(doi).svg")
      links["conceptbadge"] = .string(
        "\(siteBase)/badge/doi/10.5281/zenodo.\(view.version.conceptID).svg")
    }
    if view.isPublished {
      links["record"] = .string("\(apiBase)/records/\(id)")
      links["record_html"] = .string("\(siteBase)/record/\(id)")
      links["latest"] = .string("\(apiBase)/records/\(id)/versions/latest")
      links["latest_html"] = .string("\(siteBase)/records/\(id)/latest")
    }
    return .object(links)
  }

  func depositionFile(_ file: StoredFile, depositID: Int) -> JSON {
    .object([
      "id": .string(file.id),
      "filename": .string(file.key),
      "filesize": .int(Int(file.size)),
      "checksum": .string(file.md5),
      "links": .object([
        "self": .string("\(apiBase)/deposit/depositions/\(depositID)/files/\(file.id)"),
        "download": .string(
          "\(apiBase)/records/\(depositID)/draft/files/\(Self.quote(file.key))/content"),
      ]),
    ])
  }

  func bucketObject(_ file: StoredFile, bucket: String) -> JSON {
    let url = "\(apiBase)/files/\(bucket)/\(Self.quote(file.key))"
    return .object([
      "key": .string(file.key),
      "mimetype": .string(file.mimetype),
      "checksum": .string("md5:" + file.md5),
      "version_id": .string(file.versionID),
      "size": .int(Int(file.size)),
      "created": .string(file.created),
      "updated": .string(file.updated),
      "is_head": .bool(true),
      "delete_marker": .bool(false),
      "links": .object([
        "self": .string(url),
        "version": .string(url + "?version_id=" + file.versionID),
        "uploads": .string(url + "?uploads=1"),
      ]),
    ])
  }

  func bucket(_ view: DepositView) -> JSON {
    let bucket = view.version.bucket
    return .object([
      "id": .string(bucket),
      "locked": .bool(view.isPublished),
      "size": .int(Int(view.version.files.reduce(Int64(0)) { $0 + $1.size })),
      "contents": .array(view.version.files.map { bucketObject($0, bucket: bucket) }),
      "links": .object(["self": .string("\(apiBase)/files/\(bucket)")]),
    ])
  }

  /// Percent-quotes a file key for a URL path, keeping slashes.
  static func quote(_ key: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~/")
    return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
  }
}
