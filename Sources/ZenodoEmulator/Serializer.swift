import Foundation

/// Builds the JSON documents of both APIs from the store: the native records API dump, its
/// Zenodo-JSON projection, and the legacy deposit API's documents.
struct Serializer: Sendable {
  /// `http://127.0.0.1:PORT/api`.
  var apiBase: String
  /// `http://127.0.0.1:PORT`, for html links.
  var siteBase: String
  var vocabularies: Vocabularies

  // MARK: Native

  /// The native record or draft (`application/vnd.inveniordm.v1+json`), with a `ui` object.
  func native(_ view: RecordView, ui: Bool = true) -> [String: JSON] {
    let version = view.version
    let id = version.id
    var out: [String: JSON] = [
      "id": .string(String(id)),
      "created": .string(version.created),
      "updated": .string(version.updated),
      "revision_id": .int(version.revision),
      "is_draft": .bool(view.isDraft),
      "is_published": .bool(view.isPublished),
      "status": .string(status(view)),
      "access": access(version.access),
      "files": filesSummary(version, draft: view.isDraft),
      "media_files": .object([
        "enabled": false, "order": .array([]), "count": .int(0), "total_bytes": .int(0),
        "entries": .object([:]),
      ]),
      "metadata": .object(Relations.dereference(version.metadata, vocabularies)),
      "custom_fields": .object(version.customFields),
      "pids": .object(version.pids),
      "parent": parent(view),
      "versions": .object([
        "index": .int(version.versionIndex), "is_latest": .bool(view.isLatest),
        "is_latest_draft": .bool(view.isLatestDraft),
      ]),
      "links": links(view),
    ]
    if view.isDraft {
      out["expires_at"] = .string(version.created)
    } else {
      out["stats"] = .object([
        "this_version": .object(["views": 0, "downloads": 0]),
        "all_versions": .object(["views": 0, "downloads": 0]),
      ])
      out["deletion_status"] = .object(["is_deleted": false, "status": "P"])
    }
    if !view.errors.isEmpty { out["errors"] = .array(view.errors.map(\.json)) }
    if ui {
      out["ui"] = .object([
        "is_draft": .bool(view.isDraft),
        "access_status": .object(["id": .string(accessStatus(version.access))]),
        "publication_date_l10n_long": version.metadata["publication_date"] ?? .null,
      ])
    }
    return out
  }

  func status(_ view: RecordView) -> String {
    if !view.isDraft { return "published" }
    let newVersion = view.parent.versions.isEmpty == false && !view.isPublished
    let review = view.review
    switch review?.status {
    case "submitted": return "in_review"
    case "declined": return "declined"
    case "created": return newVersion ? "new_version_draft_with_review" : "draft_with_review"
    default: return newVersion ? "new_version_draft" : "draft"
    }
  }

  func accessStatus(_ access: [String: JSON]) -> String {
    if access["files"]?.string == "public" { return "open" }
    return access["embargo"]?["active"] == .bool(true) ? "embargoed" : "restricted"
  }

  func access(_ access: [String: JSON]) -> JSON {
    var out = access
    out["embargo"] =
      access["embargo"] ?? .object(["active": false, "until": .null, "reason": .null])
    out["status"] = .string(accessStatus(access))
    return .object(out)
  }

  func parent(_ view: RecordView) -> JSON {
    let parent = view.parent
    var out: [String: JSON] = [
      "id": .string(String(parent.id)),
      "access": .object([
        "owned_by": .object(["user": .string(String(parent.owner))]),
        "settings": .object(
          RecordStore.defaultAccessSettings.merging(parent.accessSettings ?? [:]) { $1 }),
      ]),
      "pids": .object([:]),
      "communities": .object([:]),
    ]
    if parent.conceptDOI {
      out["pids"] = .object([
        "doi": .object([
          "identifier": .string("10.5281/zenodo.\(parent.id)"), "provider": "datacite",
          "client": "datacite",
        ])
      ])
    }
    if !view.communities.isEmpty {
      out["communities"] = .object([
        "ids": .array(view.communities.map { .string($0.id) }),
        "default": .string(view.communities[0].id),
        "entries": .array(view.communities.map(community)),
      ])
    }
    if let review = view.review {
      out["review"] = .object([
        "id": .string(review.id), "type": .string(review.type), "status": .string(review.status),
        "receiver": .object(["community": .string(review.communityID)]),
      ])
    }
    return .object(out)
  }

  func links(_ view: RecordView) -> JSON {
    let id = view.version.id
    let record = "\(apiBase)/records/\(id)"
    var links: [String: JSON] = [
      "self_html": .string(
        view.isDraft ? "\(siteBase)/uploads/\(id)" : "\(siteBase)/records/\(id)"),
      "versions": .string(record + "/versions"),
      "communities": .string(record + "/communities"),
      "requests": .string(record + "/requests"),
      "access_links": .string(record + "/access/links"),
    ]
    if view.isDraft {
      links["self"] = .string(record + "/draft")
      links["files"] = .string(record + "/draft/files")
      links["archive"] = .string(record + "/draft/files-archive")
      links["publish"] = .string(record + "/draft/actions/publish")
      links["review"] = .string(record + "/draft/review")
      links["reserve_doi"] = .string(record + "/draft/pids/doi")
      links["record"] = .string(record)
      links["record_html"] = .string("\(siteBase)/records/\(id)")
      links["preview_html"] = .string("\(siteBase)/records/\(id)?preview=1")
      if view.review != nil {
        links["submit-review"] = .string(record + "/draft/actions/submit-review")
      }
    } else {
      links["self"] = .string(record)
      links["files"] = .string(record + "/files")
      links["archive"] = .string(record + "/files-archive")
      links["draft"] = .string(record + "/draft")
      links["latest"] = .string(record + "/versions/latest")
      links["latest_html"] = .string("\(siteBase)/records/\(id)/latest")
      links["parent"] = .string("\(apiBase)/records/\(view.parent.id)")
      links["parent_html"] = .string("\(siteBase)/records/\(view.parent.id)")
    }
    if let doi = view.version.pids["doi"]?["identifier"]?.string, !view.isDraft {
      links["doi"] = .string("https://doi.org/" + doi)
      links["self_doi"] = .string("https://doi.org/" + doi)
    }
    if view.parent.conceptDOI {
      links["parent_doi"] = .string("https://doi.org/10.5281/zenodo.\(view.parent.id)")
    }
    return .object(links)
  }

  // MARK: Files

  func fileBase(_ id: Int, draft: Bool) -> String {
    "\(apiBase)/records/\(id)" + (draft ? "/draft/files" : "/files")
  }

  /// One file entry as the file routes show it.
  func fileEntry(_ file: StoredFile, recordID: Int, draft: Bool) -> JSON {
    let url = fileBase(recordID, draft: draft) + "/" + Self.quote(file.key)
    var links: [String: JSON] = ["self": .string(url), "content": .string(url + "/content")]
    if draft { links["commit"] = .string(url + "/commit") }
    var out: [String: JSON] = [
      "key": .string(file.key), "created": .string(file.created), "updated": .string(file.updated),
      "status": .string(file.status), "metadata": file.metadata,
      "access": .object(["hidden": false]), "transfer": .object(["type": "L"]),
      "links": .object(links), "storage_class": "L",
    ]
    if file.isCommitted {
      out["checksum"] = .string("md5:" + file.md5)
      out["size"] = .int(Int(file.size))
      out["mimetype"] = .string(file.mimetype)
      out["file_id"] = .string(file.id)
      out["version_id"] = .string(file.versionID)
      out["bucket_id"] = .string(file.versionID)
      out["storage_class"] = "S"
    }
    return .object(out)
  }

  /// `GET …/files`: the file list.
  func fileList(_ version: RecordVersion, draft: Bool) -> JSON {
    let base = fileBase(version.id, draft: draft)
    var out: [String: JSON] = [
      "enabled": .bool(version.filesEnabled),
      "default_preview": version.defaultPreview.map(JSON.string) ?? .null,
      "links": .object([
        "self": .string(base),
        "archive": .string(base.replacingOccurrences(of: "/files", with: "/files-archive")),
      ]),
    ]
    if version.filesEnabled {
      out["entries"] = .array(
        version.files.map { fileEntry($0, recordID: version.id, draft: draft) })
      out["order"] = .array([])
    }
    return .object(out)
  }

  /// The `files` object inside a native record.
  func filesSummary(_ version: RecordVersion, draft: Bool) -> JSON {
    var entries: [String: JSON] = [:]
    for file in version.files {
      var entry: [String: JSON] = ["key": .string(file.key), "metadata": file.metadata]
      if file.isCommitted {
        let url = "\(apiBase)/records/\(version.id)/files/" + Self.quote(file.key)
        entry["id"] = .string(file.id)
        entry["checksum"] = .string("md5:" + file.md5)
        entry["ext"] = .string(
          file.key.split(separator: ".").count > 1
            ? String(file.key.split(separator: ".").last ?? "") : "")
        entry["size"] = .int(Int(file.size))
        entry["mimetype"] = .string(file.mimetype)
        entry["storage_class"] = "S"
        entry["access"] = .object(["hidden": false])
        entry["links"] = .object(["self": .string(url), "content": .string(url + "/content")])
      }
      entries[file.key] = .object(entry)
    }
    let committed = version.files.filter(\.isCommitted)
    return .object([
      "enabled": .bool(version.filesEnabled),
      "default_preview": version.defaultPreview.map(JSON.string) ?? .null, "order": .array([]),
      "count": .int(committed.count),
      "total_bytes": .int(Int(committed.reduce(Int64(0)) { $0 + $1.size })),
      "entries": .object(entries),
    ])
  }

  // MARK: Zenodo JSON

  /// The Zenodo-JSON projection (`application/json`, `*/*` or no Accept).
  func zenodo(_ view: RecordView) -> JSON {
    let record = native(view, ui: false)
    let version = view.version
    var out: [String: JSON] = [
      "created": .string(version.created), "modified": .string(version.updated),
      "updated": .string(version.updated), "id": .int(version.id),
      "recid": .string(String(version.id)), "conceptrecid": .string(String(version.parentID)),
      "revision": .int(version.revision), "title": version.metadata["title"] ?? "",
      "status": .string(view.isDraft ? "draft" : "published"), "state": .string(view.state),
      "submitted": .bool(view.isPublished),
      "owners": .array([.object(["id": .string(String(version.owner))])]),
      "links": record["links"] ?? .null,
      "metadata": .object(LegacyOut.zenodo(record, communities: view.communities.map(\.slug))),
      "files": .array(
        version.files.filter(\.isCommitted).map { file in
          .object([
            "id": .string(file.id), "key": .string(file.key), "size": .int(Int(file.size)),
            "checksum": .string("md5:" + file.md5),
            "links": .object([
              "self": .string(
                fileBase(version.id, draft: view.isDraft) + "/" + Self.quote(file.key) + "/content")
            ]),
          ])
        }),
    ]
    if let doi = version.pids["doi"]?["identifier"] {
      out["doi"] = doi
      out["doi_url"] = .string("https://doi.org/" + (doi.string ?? ""))
    }
    if view.parent.conceptDOI { out["conceptdoi"] = .string("10.5281/zenodo.\(view.parent.id)") }
    if !view.isDraft { out["stats"] = .object(["downloads": 0, "views": 0]) }
    return .object(out)
  }

  // MARK: Legacy deposit API

  /// A deposition as the legacy deposit API shows it (`legacyjson.LegacySchema`).
  func deposition(_ view: RecordView) -> JSON {
    let record = native(view, ui: false)
    let version = view.version
    let id = version.id
    var metadata = LegacyOut.deposition(record, communities: view.communities.map(\.slug))
    metadata["prereserve_doi"] = .object([
      "doi": .string("10.5281/zenodo.\(id)"), "recid": .int(id),
    ])
    let doi = version.pids["doi"]?["identifier"]?.string
    if let doi { metadata["doi"] = .string(doi) }
    var out: [String: JSON] = [
      "created": .string(version.created), "modified": .string(version.updated),
      "id": .int(id), "record_id": .int(id), "conceptrecid": .string(String(version.parentID)),
      "owner": .int(version.owner), "title": version.metadata["title"] ?? "",
      "state": .string(view.state), "submitted": .bool(view.isPublished),
      "metadata": .object(metadata),
      "files": .array(
        version.files.filter(\.isCommitted).map { depositionFile($0, depositID: id) }),
      "links": depositionLinks(view, doi: doi),
    ]
    if let doi {
      out["doi"] = .string(doi)
      out["doi_url"] = .string("https://doi.org/" + doi)
    }
    if view.parent.conceptDOI { out["conceptdoi"] = .string("10.5281/zenodo.\(version.parentID)") }
    return .object(out)
  }

  private func depositionLinks(_ view: RecordView, doi: String?) -> JSON {
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
      links["badge"] = .string("\(siteBase)/badge/doi/\(doi).svg")
    }
    if view.parent.conceptDOI {
      links["parent_doi"] = .string("https://doi.org/10.5281/zenodo.\(view.parent.id)")
      links["conceptbadge"] = .string("\(siteBase)/badge/doi/10.5281/zenodo.\(view.parent.id).svg")
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

  func bucket(_ view: RecordView) -> JSON {
    let bucket = view.version.bucket
    let files = view.version.files.filter(\.isCommitted)
    return .object([
      "id": .string(bucket),
      "locked": .bool(view.isPublished || view.version.locked),
      "size": .int(Int(files.reduce(Int64(0)) { $0 + $1.size })),
      "contents": .array(files.map { bucketObject($0, bucket: bucket) }),
      "links": .object(["self": .string("\(apiBase)/files/\(bucket)")]),
    ])
  }

  // MARK: Communities and requests

  func community(_ community: Community) -> JSON {
    .object([
      "id": .string(community.id), "slug": .string(community.slug),
      "created": .string(community.created), "updated": .string(community.created),
      "metadata": .object(["title": .string(community.slug), "type": .object(["id": "event"])]),
      "access": .object([
        "visibility": "public", "member_policy": "open", "record_submission_policy": "open",
        "review_policy": "open", "record_policy": "open",
      ]),
      "links": .object([
        "self": .string("\(apiBase)/communities/\(community.id)"),
        "self_html": .string("\(siteBase)/communities/\(community.slug)"),
        "records": .string("\(apiBase)/communities/\(community.id)/records"),
      ]),
    ])
  }

  func request(_ request: ReviewRequest) -> JSON {
    let url = "\(apiBase)/requests/\(request.id)"
    var actions: [String: JSON] = [:]
    for action in ["submit", "cancel", "accept", "decline"] {
      actions[action] = .string(url + "/actions/" + action)
    }
    var out: [String: JSON] = [:]
    out["id"] = .string(request.id)
    out["type"] = .string(request.type)
    out["status"] = .string(request.status)
    out["is_open"] = .bool(request.status == "submitted")
    out["is_closed"] = .bool(!request.isOpen)
    out["is_expired"] = .bool(false)
    out["receiver"] = .object(["community": .string(request.communityID)])
    out["topic"] = .object(["record": .string(String(request.recordID))])
    out["created"] = .string(request.created)
    out["updated"] = .string(request.updated)
    out["title"] = .string(request.title)
    out["created_by"] = .object(["user": .string(String(request.createdBy))])
    out["number"] = .string(String(request.number))
    out["expires_at"] = .null
    out["revision_id"] = .int(request.revision)
    out["links"] = .object([
      "self": .string(url), "actions": .object(actions), "timeline": .string(url + "/timeline"),
      "comments": .string(url + "/comments"),
    ])
    return .object(out)
  }

  /// One timeline entry of a request.
  func event(_ event: RequestEvent) -> JSON {
    var payload: [String: JSON] = ["content": .string(event.content)]
    if event.type == "C" {
      payload["format"] = "html"
    } else {
      payload = ["event": .string(event.content)]
    }
    return .object([
      "id": .string(event.id), "type": .string(event.type), "payload": .object(payload),
      "created": .string(event.created),
      "created_by": .object(["user": .string(String(event.user))]),
    ])
  }

  /// One extra format as `OPTIONS …/formats` lists it.
  func extraFormat(_ file: StoredFile) -> JSON {
    .object([
      "key": .string(file.key), "mimetype": .string(file.mimetype),
      "checksum": .string("md5:" + file.md5), "size": .int(Int(file.size)),
      "status": .string(file.status), "storage_class": "L", "created": .string(file.created),
      "updated": .string(file.updated),
    ])
  }

  /// Percent-quotes a file key for a URL path, keeping slashes.
  static func quote(_ key: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~/")
    return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
  }
}
