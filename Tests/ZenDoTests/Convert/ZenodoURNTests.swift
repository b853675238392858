import Foundation
import TestSupport
import Testing

@testable import ZenDo

@Suite("convert: identity URN")
struct ZenodoURNTests {
  @Test("git remotes in https, ssh and scp forms give owner:repo, on any host")
  func remotes() {
    let cases: [(String, String?)] = [
      ("https://github.com/seedcase-project/zen-do.git", "urn:zenodo:seedcase-project:zen-do"),
      ("https://github.com/seedcase-project/zen-do", "urn:zenodo:seedcase-project:zen-do"),
      ("https://github.com/seedcase-project/zen-do/", "urn:zenodo:seedcase-project:zen-do"),
      ("git@github.com:sunpy/sunpy.git", "urn:zenodo:sunpy:sunpy"),
      ("ssh://git@github.com/sunpy/sunpy.git", "urn:zenodo:sunpy:sunpy"),
      ("ssh://git@github.com:22/sunpy/sunpy.git", "urn:zenodo:sunpy:sunpy"),
      ("https://user:secret@github.com/o/r.git", "urn:zenodo:o:r"),
      ("https://gitlab.com/group/sub/project.git", "urn:zenodo:group:sub:project"),
      ("git@gitlab.com:group/project.git", "urn:zenodo:group:project"),
      ("https://example.org/o/r.git", "urn:zenodo:o:r"),
      ("/srv/git/repo.git", nil),
      ("https://github.com/only-owner", nil),
    ]
    for (remote, urn) in cases {
      #expect(DepositIdentity.derive(remote: remote, fileName: ".zenodo.json") == urn, "\(remote)")
    }
  }

  @Test("a prefixed file adds its name")
  func prefixedName() {
    #expect(
      DepositIdentity.derive(remote: "git@github.com:o/r.git", fileName: ".book.zenodo.json")
        == "urn:zenodo:o:r:book")
    #expect(DepositIdentity.outputName(forFileName: ".zenodo.toml") == nil)
    #expect(DepositIdentity.outputName(forFileName: "paper.zenodo.json") == "paper")
  }

  @Test("URN form: urn:zenodo(:[^/:\\s]+)+")
  func form() {
    #expect(DepositIdentity.isValid("urn:zenodo:a:b"))
    for bad in ["urn:zenodo", "urn:zenodo:", "urn:zenodo:a:", "urn:zenodo:a/b", "urn:zenodo:a b"] {
      #expect(!DepositIdentity.isValid(bad), "\(bad)")
    }
  }

  func convert(_ json: String, remote: String?, urn: String? = nil, name: String = ".zenodo.json")
    throws(ConvertError) -> JSONToTOMLConversion
  {
    try ConvertFixtures.converter(remote: remote).convertJSON(
      Array(json.utf8), file: URL(fileURLWithPath: "/tmp/x/" + name), urn: urn)
  }

  @Test("the URN comes from the input, else --urn, else the git remote, and the user is told")
  func sources() throws {
    let own =
      #"{"title": "t", "related_identifiers": [{"identifier": "urn:zenodo:a:b", "relation": "isIdenticalTo", "scheme": "urn"}]}"#
    let kept = try convert(own, remote: "git@github.com:o/r.git", urn: "urn:zenodo:x:y")
    #expect(kept.urn == "urn:zenodo:a:b")
    #expect(kept.urnSource == .input)
    #expect(kept.messages.contains { $0.severity == .warning && $0.message.contains("--urn") })

    let fromOption = try convert(#"{"title": "t"}"#, remote: nil, urn: "urn:zenodo:x:y")
    #expect(fromOption.urnSource == .option)
    #expect(
      fromOption.messages.contains {
        $0.message.contains("added the identity urn:zenodo:x:y (from --urn)")
      })

    let fromGit = try convert(
      #"{"title": "t"}"#, remote: "https://tok@github.com/o/r", name: ".book.zenodo.json")
    #expect(fromGit.urn == "urn:zenodo:o:r:book")
    #expect(fromGit.urnSource == .gitRemote("https://github.com/o/r"))
    #expect(!fromGit.messages.description.contains("tok"))
    guard case .array(let related)? = fromGit.table["related_identifiers"]?.value,
      case .table(let first)? = related.first?.value
    else {
      Issue.record("no related_identifiers table")
      return
    }
    #expect(first.keys == ["identifier", "relation", "scheme"])
    #expect(first["identifier"]?.value == .string("urn:zenodo:o:r:book"))
  }

  @Test("with no --urn and no usable remote, conversion stops and asks for --urn")
  func missing() {
    #expect {
      _ = try convert(#"{"title": "t"}"#, remote: nil)
    } throws: { error in
      "\(error)".contains("pass one with --urn")
    }
    #expect {
      _ = try convert(#"{"title": "t"}"#, remote: "/srv/git/repo.git")
    } throws: { error in
      "\(error)".contains("has no <owner>/<repo> path")
    }
    #expect {
      _ = try convert(#"{"title": "t"}"#, remote: nil, urn: "urn:zenodo:a/b")
    } throws: { error in
      "\(error)".contains("is not of the form")
    }
  }

  @Test("the real git command finds the origin of a folder")
  func realGit() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("zen-do-convert-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for arguments in [
      ["init", "-q"], ["remote", "add", "origin", "git@github.com:seedcase-project/zen-do.git"],
    ] {
      let git = try await Subprocess.run(
        ["git", "-C", folder.path] + arguments, environment: ProcessInfo.processInfo.environment,
        timeout: 60)
      #expect(git.status == 0, "\(git.stderr)")
    }
    let reader = GitCommandRemoteReader()
    #expect(reader.originURL(ofFolder: folder) == "git@github.com:seedcase-project/zen-do.git")
    #expect(reader.originURL(ofFolder: URL(fileURLWithPath: "/")) == nil)
  }
}

@Suite("convert: key order and layout")
struct ConvertLayoutTests {
  @Test("known keys follow the format reference, unknown ones follow in input order")
  func order() throws {
    let json =
      #"{"zzz": 1, "grants": [{"id": "x"}], "keywords": ["a"], "creators": [{"name": "n"}], "aaa": true, "title": "t", "related_identifiers": [{"identifier": "urn:zenodo:a:b", "relation": "isIdenticalTo", "scheme": "urn"}], "upload_type": "software"}"#
    let conversion = try ConvertFixtures.converter().convertJSON(
      Array(json.utf8), file: URL(fileURLWithPath: ".zenodo.json"))
    #expect(
      conversion.table.keys == [
        "title", "upload_type", "keywords", "creators", "related_identifiers", "grants", "zzz",
        "aaa",
      ])
  }

  @Test("nulls are dropped and reported by path")
  func nulls() throws {
    let json =
      #"{"title": "t", "doi": null, "creators": [{"name": "n", "orcid": null}], "related_identifiers": [{"identifier": "urn:zenodo:a:b", "relation": "isIdenticalTo", "scheme": "urn"}]}"#
    let conversion = try ConvertFixtures.converter().convertJSON(
      Array(json.utf8), file: URL(fileURLWithPath: ".zenodo.json"))
    #expect(conversion.table["doi"] == nil)
    #expect(conversion.messages.contains { $0.message.contains("/doi, /creators/0/orcid") })
  }

  @Test("numbers keep their kind: version 4.0 stays a float")
  func numbers() throws {
    let json =
      #"{"version": 4.0, "n": 3, "big": 1e3, "related_identifiers": [{"identifier": "urn:zenodo:a:b", "relation": "isIdenticalTo", "scheme": "urn"}]}"#
    let conversion = try ConvertFixtures.converter().convertJSON(
      Array(json.utf8), file: URL(fileURLWithPath: ".zenodo.json"))
    #expect(conversion.table["version"]?.value == .float(4.0))
    #expect(conversion.table["n"]?.value == .integer(3))
    #expect(conversion.table["big"]?.value == .float(1000))
    let text = ConvertFixtures.converter().tomlText(
      of: conversion, from: URL(fileURLWithPath: ".zenodo.json"))
    #expect(text.contains("version = 4.0\n"))
    #expect(text.contains("big = 1000.0\n"))
  }

  @Test("long HTML text becomes a folded multi-line string whose folds sit before non-blanks")
  func multiLine() {
    let html = "<p>" + String(repeating: "word ", count: 40) + "end.</p><p>Second \"\"\" para.</p>"
    let text = ProseString.multiLineString(html)
    #expect(text.hasPrefix("\"\"\"\n<p>word word"))
    #expect(text.hasSuffix("para.</p>\\\n\"\"\""))
    #expect(text.contains("end.</p>\\\n<p>Second"))
    #expect(text.contains("\"\"\\\""))
    for line in text.split(separator: "\n") {
      #expect(line.count <= ProseString.width + 8)
    }
    // Undo the folds and escapes as a TOML reader would: the value comes back.
    // Leave out the opening `"""` with its line break, and the closing `"""`.
    let body = text.dropFirst(4).dropLast(3)
    let unfolded = body.replacingOccurrences(of: "\\\n", with: "")
      .replacingOccurrences(of: "\\\"", with: "\"")
    #expect(unfolded == html)
  }
}
