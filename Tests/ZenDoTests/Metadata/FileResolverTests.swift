import Foundation
import TOML
import Testing

@testable import ZenDo

@Suite struct GlobTests {
  @Test(arguments: [
    ("*.csv", "a.csv", true), ("*.csv", "a.tsv", false), ("?.csv", "a.csv", true),
    ("?.csv", "ab.csv", false), ("[ab].txt", "b.txt", true), ("[ab].txt", "c.txt", false),
    ("[a-c]x", "bx", true), ("[!a-c]x", "bx", false), ("[!a-c]x", "dx", true),
    ("*", ".hidden", false), (".*", ".hidden", true), ("a*b*c", "aXbYc", true),
    ("a*b*c", "aXbY", false), ("*", "", true), ("[", "[", true),
    ("data-*.nc", "data-2026.nc", true),
  ])
  func matchesComponents(pattern: String, name: String, expected: Bool) {
    #expect(Glob.matches(pattern, name) == expected)
  }
}

@Suite struct FileResolverTests {
  /// A fresh folder with the given files (path → contents).
  func folder(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-resolver-\(UUID().uuidString)")
    for (path, contents) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(contents.utf8).write(to: url)
    }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    return root
  }

  func settings(_ patterns: [String]) -> ZenDoSettings {
    ZenDoSettings(
      files: patterns.enumerated().map {
        FilePattern($0.element, at: SourcePosition(line: 5 + $0.offset, column: 3))
      },
      filesPosition: SourcePosition(line: 4, column: 1))
  }

  @Test func resolvesPathsAndGlobs() throws {
    let root = try folder([
      "paper.pdf": "pdf", "tables/a.csv": "1", "tables/b.csv": "22", "tables/notes.txt": "n",
      "data/2025/x.nc": "x", "data/2026/deep/y.nc": "yy", "data/.cache/z.nc": "z",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let (files, diagnostics) = FileResolver.resolve(
      settings(["paper.pdf", "tables/*.csv", "data/**/*.nc"]), folder: root, displayPath: "t")
    #expect(diagnostics == [])
    #expect(files.map(\.name) == ["paper.pdf", "a.csv", "b.csv", "x.nc", "y.nc"])
    #expect(files.map(\.size) == [3, 1, 2, 1, 2])
  }

  @Test func reportsEveryFileProblem() throws {
    let root = try folder(["a/report.pdf": "1", "b/report.pdf": "2", "empty.txt": "", "dir/x": "x"])
    defer { try? FileManager.default.removeItem(at: root) }
    let (files, diagnostics) = FileResolver.resolve(
      settings(["a/report.pdf", "b/report.pdf", "empty.txt", "dir", "missing.csv", "*.none"]),
      folder: root, displayPath: "t")
    #expect(files.map(\.name) == ["report.pdf"])
    #expect(diagnostics.map(\.position.line) == [6, 7, 8, 9, 10])
    #expect(diagnostics[0].message.contains("expected unique file names"))
    #expect(diagnostics[0].message.contains("\"a/report.pdf\" (at 5:3)"))
    #expect(
      diagnostics[1].message.hasPrefix(
        "expected a non-empty file, found an empty file at \"empty.txt\""))
    #expect(diagnostics[2].message.hasPrefix("expected a file, found a directory at \"dir\""))
    #expect(
      diagnostics[3].message.hasPrefix(
        "expected an existing file, found no file at \"missing.csv\""))
    #expect(
      diagnostics[4].message.hasPrefix("expected the pattern \"*.none\" to match at least one file")
    )
    #expect(diagnostics.allSatisfy { $0.isError })
  }

  @Test func limitsTheNumberOfFiles() throws {
    var contents: [String: String] = [:]
    for index in 0...FileResolver.maximumFileCount { contents["f\(index).txt"] = "x" }
    let root = try folder(contents)
    defer { try? FileManager.default.removeItem(at: root) }
    let (files, diagnostics) = FileResolver.resolve(
      settings(["*.txt"]), folder: root, displayPath: "t")
    #expect(files.count == 101)
    #expect(
      diagnostics.map(\.description) == [
        "t:4:1: error: zen-do.files: expected at most 100 files (Zenodo's limit), found 101"
      ])
  }

  @Test func limitsTheTotalSize() throws {
    let root = try folder(["small.txt": "x"])
    defer { try? FileManager.default.removeItem(at: root) }
    // A sparse file: its size is over the limit, its blocks on disk are none.
    let big = root.appendingPathComponent("big.bin")
    FileManager.default.createFile(atPath: big.path, contents: nil)
    let handle = try FileHandle(forWritingTo: big)
    try handle.truncate(atOffset: UInt64(FileResolver.maximumTotalSize))
    try handle.close()
    let (files, diagnostics) = FileResolver.resolve(
      settings(["big.bin", "small.txt"]), folder: root, displayPath: "t")
    #expect(files.map(\.size) == [FileResolver.maximumTotalSize, 1])
    #expect(
      diagnostics.map(\.description) == [
        "t:4:1: error: zen-do.files: expected at most 50 GB of files in all (Zenodo's limit), "
          + "found 50000000001 bytes"
      ])
  }

  @Test func missingDescriptionFileIsAnError() throws {
    let root = try folder([:])
    defer { try? FileManager.default.removeItem(at: root) }
    let text = """
      title = "Rose scent"
      upload_type = "dataset"
      publication_date = 2026-11-21
      license = "cc0-1.0"
      [[creators]]
      name = "Doe, Jane"
      [[related_identifiers]]
      identifier = "urn:zenodo:o:r"
      relation = "isIdenticalTo"
      scheme = "urn"
      [zen-do]
      description_file = "README.md"
      """
    let result = MetadataLoader.loadResult(
      data: Data(text.utf8), url: root.appendingPathComponent(".zenodo.toml"), displayPath: "x")
    #expect(
      result.diagnostics.map(\.description) == [
        "x:12:20: error: zen-do.description_file: expected a Markdown file, found no file at "
          + "\"README.md\""
      ])
    #expect(result.file == nil)
  }

  @Test func sameFileTwiceIsListedOnce() throws {
    let root = try folder(["a.csv": "1"])
    defer { try? FileManager.default.removeItem(at: root) }
    let (files, diagnostics) = FileResolver.resolve(
      settings(["a.csv", "*.csv"]), folder: root, displayPath: "t")
    #expect(files.map(\.name) == ["a.csv"])
    #expect(diagnostics == [])
  }

  @Test func emptyListWarns() {
    let (files, diagnostics) = FileResolver.resolve(
      ZenDoSettings(), folder: URL(fileURLWithPath: "/"), displayPath: "t")
    #expect(files.isEmpty)
    #expect(diagnostics.map(\.severity) == [.warning])
  }
}
