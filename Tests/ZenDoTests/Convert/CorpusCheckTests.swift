import Foundation
import Testing

@testable import ZenDo

/// The converted corpus through `zen-do check`: what fails is the files' own mistakes, never
/// the conversion.
@Suite("convert: converted corpus files through check")
struct CorpusCheckTests {
  /// The corpus files whose converted `.zenodo.toml` has check errors, with the key of each
  /// error, read off the input files (key paths count the added identity as
  /// `related_identifiers[0]`).
  static let failing: [String: Set<String>] = [
    // upload_type and publication_type "test"; no license.
    "1heidi__ismb_q2.json": ["upload_type", "publication_type", "license"],
    "360-info__tracker-seaice.json": ["title"],
    // Only title and license.
    "3D-e-Chem__kripodb.json": ["upload_type", "creators"],
    "3dgeo-heidelberg__etrainee.json": ["upload_type"],
    // ORCID 0000-0000-0000-0000 (bad check digit); resource_type "website" is not one of
    // Zenodo's.
    "8bit-wraith__Ultrasonic-Consciousness-Hypothesis.json": [
      "creators[0].orcid", "related_identifiers[2].resource_type",
    ],
    "9505-PNNL__wmpy_power.json": ["upload_type", "license"],
    "AA-ALERT__ringbuffer.json": ["upload_type"],
    // DataCite-shaped, not deposit metadata: `creator`, description as an object.
    // resource_type "Software" instead of upload_type: not one of Zenodo's ids.
    "AAROC__DevOps.json": ["resource_type", "creators", "license", "description"],
    "AndrewAnnex__SpiceyPy.json": ["title"],
    "CQMP__Maxent.json": ["upload_type", "title"],
    // ORCID "000-0002-8218-3116" (a digit short).
    "ComputationalRadiationPhysics__picongpu.json": ["upload_type", "title", "creators[4].orcid"],
    "ESMValGroup__ESMValCore.json": ["upload_type"],
    "PlasmaPy__PlasmaPy.json": ["title"],
    "SuperDARN__rst.json": ["upload_type", "license"],
    // An empty ORCID; resource_type "model" is not one of Zenodo's.
    "anthony-maio__slipcore.json": ["creators[0].orcid", "related_identifiers[3].resource_type"],
    "bird-house__finch.json": ["title"],
    "citation-file-format__citation-file-format.json": ["upload_type"],
    "datalad__datalad.json": ["title"],
    // Empty description and publication_date.
    "lgloege__zenodopy.json": ["description", "publication_date"],
    "matchms__matchms.json": ["upload_type"],
    "nipy__nipype.json": ["title"],
    "novonordisk-research__OptiHPLCHandler.json": ["upload_type"],
    "remindmodel__remind.json": ["upload_type"],
    "sib-swiss__training-collection.json": ["upload_type", "license"],
    "soft-matter__trackpy.json": ["title"],
    "swcarpentry__shell-novice.json": ["upload_type", "title"],
    // ORCID 0000-0000-0000-0000.
    "vanhungtran__atcddd.json": ["creators[0].orcid"],
    "zenodraft__action.json": ["upload_type"],
  ]

  /// What an error is about: its key path, or the key a "missing required key" names.
  static func key(of diagnostic: Diagnostic) -> String {
    if !diagnostic.keyPath.isEmpty { return diagnostic.keyPath }
    let parts = diagnostic.message.split(separator: "\"")
    return parts.count > 1 ? String(parts[1]) : diagnostic.message
  }

  /// Complete metadata, as Zenodo requires it to publish: title, upload type, creators, and the
  /// conditional keys, there and not empty. (Whether their values are right is check's
  /// business; a description is optional, as the GitHub integration fills it in.)
  static func isComplete(_ value: JSONValue) -> Bool {
    guard case .object(var object) = value else { return false }
    if object.count == 1, case .object(let inner)? = object["metadata"] { object = inner }
    func text(_ key: String) -> String? {
      if case .string(let s)? = object[key], !s.isEmpty { return s }
      return nil
    }
    guard text("title") != nil, let uploadType = text("upload_type"),
      case .array(let creators)? = object["creators"], !creators.isEmpty
    else { return false }
    if uploadType == "publication" && text("publication_type") == nil { return false }
    if uploadType == "image" && text("image_type") == nil { return false }
    let access = text("access_right") ?? "open"
    if (access == "open" || access == "embargoed") && object["license"] == nil { return false }
    return true
  }

  @Test("complete files pass check; the others fail only on their own mistakes")
  func corpusThroughCheck() throws {
    let repositories = try ConvertFixtures.repositories()
    var passing: [String] = []
    var failing: [String] = []
    var warnings = 0
    for name in try ConvertFixtures.corpusFiles() where ConvertFixtures.invalid[name] == nil {
      let file = ConvertFixtures.corpus.appendingPathComponent(name)
      let bytes = try ConvertFixtures.bytes(name)
      let converter = ConvertFixtures.converter(
        remote: "https://github.com/\(try #require(repositories[name]))")
      let converted = try converter.convertFile(bytes, file: file)
      let diagnostics = converter.check(
        tomlText: converted.text, file: URL(fileURLWithPath: "/tmp/x/.zenodo.toml"),
        displayPath: name)
      // Nothing check says is about what convert added or about the TOML itself.
      for diagnostic in diagnostics {
        #expect(!diagnostic.keyPath.hasPrefix("related_identifiers[0]"), "\(diagnostic)")
        #expect(!diagnostic.message.contains("invalid TOML"), "\(diagnostic)")
      }
      let errorKeys = Set(diagnostics.filter(\.isError).map(Self.key))
      #expect(errorKeys == Self.failing[name] ?? [], "\(name): \(diagnostics)")
      let complete = Self.isComplete(try JSONReader.parse(bytes).value)
      if complete && Self.failing[name] == nil {
        #expect(errorKeys.isEmpty, "\(name) is complete but fails check")
      }
      if !complete {
        #expect(!errorKeys.isEmpty, "\(name) is incomplete but passes check")
      }
      if errorKeys.isEmpty { passing.append(name) } else { failing.append(name) }
      warnings += diagnostics.count(where: { !$0.isError })
    }
    print(
      "convert corpus through check: \(passing.count) pass, \(failing.count) fail on their own "
        + "mistakes, \(warnings) warnings in all")
    #expect(passing.count + failing.count == 54)
    #expect(failing.count == Self.failing.count)
  }
}
