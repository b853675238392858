/// Compares a draft body with a record as Zenodo stores it (minimal version).
///
/// A local value is kept when the remote one holds it: objects may carry more keys (Zenodo
/// dereferences vocabularies and adds titles and computed names), arrays must have the same
/// length with each item kept, strings compare trimmed. Metadata keys Zenodo holds that the file
/// does not set are differences too, so a removed key is written. The full comparison is the
/// `rdm-metadata` branch's and replaces this file at the merge.
public enum RecordComparison {
  /// Dotted paths of `local` (a draftBody) whose values `remote` (a record or draft as read back
  /// with Accept: application/vnd.inveniordm.v1+json) does not hold, compared the way Zenodo stores them.
  public static func differences(local: JSONObject, remote: JSONObject) -> [String] {
    var paths: [String] = []
    for section in local {
      let theirs = remote[section.key]
      guard let mine = section.value.objectValue else {
        if !holds(section.value, theirs) { paths.append(section.key) }
        continue
      }
      let remoteSection = theirs?.objectValue ?? JSONObject()
      for member in mine where !holds(member.value, remoteSection[member.key]) {
        paths.append("\(section.key).\(member.key)")
      }
      if section.key == "metadata" || section.key == "custom_fields" {
        for member in remoteSection where mine[member.key] == nil && !isEmpty(member.value) {
          paths.append("\(section.key).\(member.key)")
        }
      }
    }
    return paths
  }

  /// Whether `remote` holds `local` (see the type's description).
  static func holds(_ local: JSONValue, _ remote: JSONValue?) -> Bool {
    guard let remote else { return isEmpty(local) }
    switch (local, remote) {
    case (.object(let mine), .object(let theirs)):
      return mine.allSatisfy { holds($0.value, theirs[$0.key]) }
    case (.array(let mine), .array(let theirs)):
      return mine.count == theirs.count && zip(mine, theirs).allSatisfy { holds($0, $1) }
    case (.string(let mine), .string(let theirs)):
      return mine.trimmed == theirs.trimmed
    default:
      return local == remote
    }
  }

  private static func isEmpty(_ value: JSONValue) -> Bool {
    switch value {
    case .null: return true
    case .string(let text): return text.isEmpty
    case .array(let items): return items.isEmpty
    case .object(let object): return object.isEmpty
    default: return false
    }
  }
}
