import Foundation
import TOML
import Testing

@testable import ZenDo

@Suite("convert: the real .zenodo.json corpus")
struct CorpusConversionTests {
  @Test(
    "every valid file converts and converts back to the same JSON; every invalid one fails on the right line"
  )
  func wholeCorpus() throws {
    let files = try ConvertFixtures.corpusFiles()
    let repositories = try ConvertFixtures.repositories()
    #expect(files.count == 60)
    var converted = 0
    var rejected = 0
    var nullsDropped = 0
    var urnsAdded = 0
    for name in files {
      let bytes = try ConvertFixtures.bytes(name)
      let file = ConvertFixtures.corpus.appendingPathComponent(name)
      let repository = try #require(repositories[name], "\(name) is not in SOURCES.tsv")
      let converter = ConvertFixtures.converter(remote: "https://github.com/\(repository).git")
      if let expected = ConvertFixtures.invalid[name] {
        do {
          _ = try converter.convertJSON(bytes, file: file)
          Issue.record("\(name) is invalid JSON but converted")
        } catch {
          guard case .invalidJSON(let syntax) = error else {
            Issue.record("\(name): expected a JSON syntax error, got \(error)")
            continue
          }
          #expect(syntax.position.line == expected.line, "\(name): \(syntax)")
          #expect(syntax.position.column == expected.column, "\(name): \(syntax)")
          #expect(syntax.message.contains(expected.says), "\(name): \(syntax)")
          #expect(error.description.hasPrefix("\(file.relativePath):\(expected.line):"))
          rejected += 1
        }
        continue
      }
      let conversion = try converter.convertJSON(bytes, file: file)
      let toml = converter.tomlText(of: conversion, from: file)
      #expect(toml.hasPrefix("# Converted from \(name) by zen-do 0.1.0-test on 2027-01-01\n\n"))
      // Back the way a user goes: the .zenodo.toml text through `convert` to JSON text.
      let back = try converter.convertFile(
        Array(toml.utf8), file: URL(fileURLWithPath: "/tmp/back/.zenodo.toml"))
      #expect(back.direction == .tomlToJSON)
      let backValue = try JSONReader.parse(back.text).value
      try expectRoundTrip(name: name, bytes: bytes, back: backValue, conversion: conversion)
      if conversion.urnSource != .input {
        urnsAdded += 1
        #expect(
          conversion.urn
            == DepositIdentity.derive(remote: "git@github.com:\(repository)", fileName: name)
        )
      }
      nullsDropped += conversion.messages.filter { $0.message.contains("null") }.count
      converted += 1
    }
    print(
      "convert corpus: \(files.count) files: \(converted) converted and round-tripped "
        + "(\(urnsAdded) with an added URN, \(nullsDropped) with nulls dropped), "
        + "\(rejected) invalid rejected on the right line")
    #expect(converted == 54)
    #expect(rejected == 6)
  }

  /// Converting the TOML back to JSON gives the input: wrapper unwrapped, nulls dropped, and
  /// the added URN (first in related_identifiers) aside.
  func expectRoundTrip(
    name: String, bytes: [UInt8], back: JSONValue, conversion: JSONToTOMLConversion
  ) throws {
    var input = try JSONReader.parse(bytes).value
    if case .object(let object) = input, object.count == 1, case .object? = object["metadata"] {
      input = object["metadata"]!
    }
    let expected = ConvertFixtures.withoutNulls(input)

    guard case .object(var object) = back else {
      Issue.record("\(name): round trip is not an object")
      return
    }
    if conversion.urnSource != .input {
      guard case .array(var related)? = object["related_identifiers"],
        case .object(let first)? = related.first
      else {
        Issue.record("\(name): no related_identifiers after adding the URN")
        return
      }
      #expect(first["identifier"] == .string(conversion.urn))
      #expect(first["relation"] == .string("isIdenticalTo"))
      #expect(first["scheme"] == .string("urn"))
      related.removeFirst()
      if case .object(let inputObject)? = expected, inputObject["related_identifiers"] == nil {
        #expect(related.isEmpty)
        object["related_identifiers"] = nil
      } else {
        object["related_identifiers"] = .array(related)
      }
    }
    #expect(.object(object) == expected, "\(name) does not round-trip")
  }
}
