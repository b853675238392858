import Foundation
import TOML

/// Where a repository's `CITATION.cff` and a `.zenodo.toml` disagree: title, version, creators
/// and licence, compared after mapping the CFF to Zenodo's metadata.
public enum CFFAgreement {
  /// The `CITATION.cff` that goes with a `.zenodo.toml`: the one in its folder, else the one at
  /// the root of its git work tree (the nearest folder above with a `.git`); nil when none.
  public static func citationFile(for tomlFile: URL) -> URL? {
    var folder = tomlFile.deletingLastPathComponent().standardizedFileURL
    let manager = FileManager.default
    let beside = folder.appendingPathComponent("CITATION.cff")
    if manager.fileExists(atPath: beside.path) { return beside }
    while true {
      if manager.fileExists(atPath: folder.appendingPathComponent(".git").path) {
        let root = folder.appendingPathComponent("CITATION.cff")
        return manager.fileExists(atPath: root.path) ? root : nil
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { return nil }
      folder = parent
    }
  }

  /// Warnings where the `CITATION.cff` disagrees with the `.zenodo.toml`.
  ///
  /// One warning at the `.zenodo.toml`'s key for each of title, version, creators and licence
  /// that the `CITATION.cff` beside it (or at the work tree's root) says differently. An
  /// invalid `CITATION.cff` gives one warning; no `CITATION.cff` gives none.
  public static func warnings(tomlFile: URL, table: TOMLTable, displayPath: String) -> [Diagnostic]
  {
    guard let cffURL = citationFile(for: tomlFile),
      let bytes = try? Data(contentsOf: cffURL)
    else { return [] }
    let cffPath = relativePath(cffURL, to: displayPath, tomlFile: tomlFile)
    let cff: JSONObject
    do {
      cff = try CFFConverter().metadata(fromCFF: Array(bytes), path: cffPath).0
    } catch {
      return [
        Diagnostic(
          .warning, path: displayPath, at: .unknown,
          "\(cffPath) is not valid CFF 1.2.0, so it was not compared with this file (run "
            + "`zen-do convert \(cffPath)` to see why)")
      ]
    }
    var diagnostics: [Diagnostic] = []
    func compare(_ key: String, _ label: String, _ ours: String?, _ theirs: String?) {
      guard let theirs, ours != theirs else { return }
      let position = table[key]?.position ?? .unknown
      diagnostics.append(
        Diagnostic(
          .warning, path: displayPath, at: position, keyPath: key,
          "\(cffPath) says the \(label) is \(quote(theirs)), this file says "
            + "\(ours.map(quote) ?? "nothing"); make them agree"))
    }
    compare("title", "title", string(table["title"]), string(cff["title"]))
    compare("version", "version", scalarText(table["version"]), string(cff["version"]))
    compare("license", "licence", licence(table["license"]), string(cff["license"]))
    let ours = creatorNames(table["creators"])
    let theirs: [String] = {
      guard case .array(let items)? = cff["creators"] else { return [] }
      return items.compactMap {
        if case .object(let o) = $0, case .string(let name)? = o["name"] { name } else { nil }
      }
    }()
    if ours != theirs {
      compare(
        "creators", "creators list", ours.joined(separator: "; "),
        theirs.joined(separator: "; "))
    }
    return diagnostics
  }

  private static func relativePath(_ cff: URL, to displayPath: String, tomlFile: URL) -> String {
    let tomlFolder = tomlFile.deletingLastPathComponent().standardizedFileURL.path
    let displayFolder = (displayPath as NSString).deletingLastPathComponent
    if cff.deletingLastPathComponent().standardizedFileURL.path == tomlFolder {
      return displayFolder.isEmpty ? "CITATION.cff" : displayFolder + "/CITATION.cff"
    }
    return cff.path
  }

  private static func quote(_ text: String) -> String { "\"\(text)\"" }

  private static func string(_ value: JSONValue?) -> String? {
    if case .string(let s)? = value { return s }
    return nil
  }

  private static func string(_ node: TOMLNode?) -> String? {
    if case .string(let s)? = node?.value { return s }
    return nil
  }

  private static func scalarText(_ node: TOMLNode?) -> String? {
    switch node?.value {
    case .string(let s)?: return s
    case .integer(let i)?: return String(i)
    case .float(let f)?: return String(f)
    default: return nil
    }
  }

  private static func licence(_ node: TOMLNode?) -> String? {
    switch node?.value {
    case .string(let s)?: return s.lowercased()
    case .table(let t)?: return string(t["id"])?.lowercased()
    default: return nil
    }
  }

  private static func creatorNames(_ node: TOMLNode?) -> [String] {
    guard case .array(let items)? = node?.value else { return [] }
    return items.compactMap {
      if case .table(let t) = $0.value { string(t["name"]) } else { nil }
    }
  }
}
