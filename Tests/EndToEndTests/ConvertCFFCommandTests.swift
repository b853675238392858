import Foundation
import Testing

/// `zen-do convert CITATION.cff` and `zen-do convert .zenodo.toml --to cff`, run as the built
/// binary.
@Suite("zen-do convert CITATION.cff (binary)")
struct ConvertCFFCommandTests {
  static let cffFixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/cff")

  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-cff-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func convertsBothWays() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Self.cffFixtures.appendingPathComponent(
        "valid/ImperialCollegeLondon--RSD-as-a-service.cff"),
      to: folder.appendingPathComponent("CITATION.cff"))
    let toTOML = try await ConvertCommandTests().run(
      ["convert", "CITATION.cff", "--urn", "urn:zenodo:rsd:service"], in: folder)
    #expect(toTOML.status == 0, "\(toTOML.stderr)")
    #expect(toTOML.stderr.contains("wrote .zenodo.toml"))
    let toml = try String(
      contentsOf: folder.appendingPathComponent(".zenodo.toml"), encoding: .utf8)
    #expect(toml.contains("title = \"Research Software Directory (as a service)\""))
    #expect(toml.contains("identifier = \"urn:zenodo:rsd:service\""))
    #expect(toml.contains("orcid = \"0000-0002-1898-4461\""))

    // Exists: refused without --force.
    let again = try await ConvertCommandTests().run(
      ["convert", ".zenodo.toml", "--to", "cff"], in: folder)
    #expect(again.status == 1)
    #expect(again.stderr.contains("CITATION.cff: error: the file exists"))

    let toCFF = try await ConvertCommandTests().run(
      ["convert", ".zenodo.toml", "--to", "cff", "-o", "OUT.cff"], in: folder)
    #expect(toCFF.status == 0, "\(toCFF.stderr)")
    let cff = try String(contentsOf: folder.appendingPathComponent("OUT.cff"), encoding: .utf8)
    #expect(cff.contains("cff-version: 1.2.0"))
    #expect(cff.contains("family-names: de Jong"))
    #expect(cff.contains("value: urn:zenodo:rsd:service"))
  }

  @Test func aBrokenFileFailsWithLineAndColumn() async throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Self.cffFixtures.appendingPathComponent("broken/ImpedanCEI--Wakis.cff"),
      to: folder.appendingPathComponent("CITATION.cff"))
    let run = try await ConvertCommandTests().run(
      ["convert", "CITATION.cff", "--urn", "urn:zenodo:x:y"], in: folder)
    #expect(run.status == 1)
    #expect(run.stderr.contains("CITATION.cff:9:6: error: doi: expected text matching"))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent(".zenodo.toml").path))
  }
}
