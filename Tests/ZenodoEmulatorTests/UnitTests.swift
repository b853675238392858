import Foundation
import Testing

@testable import ZenodoEmulator

/// In-process checks of the pure parts; the HTTP behaviour is tested against a real process.
@Suite("Units")
struct UnitTests {
  @Test("MD5 matches RFC 1321's test vectors, fed in uneven chunks")
  func md5() {
    let vectors = [
      ("", "d41d8cd98f00b204e9800998ecf8427e"), ("abc", "900150983cd24fb0d6963f7d28e17f72"),
      ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
      (
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
        "57edf4a22be3c955ac49da2e2107b67a"
      ),
    ]
    for (text, expected) in vectors {
      var digest = MD5Digest()
      let bytes = Array(text.utf8)
      var offset = 0
      var step = 1
      while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        bytes[offset..<end].withUnsafeBytes { digest.update($0) }
        offset = end
        step += 7
      }
      #expect(digest.finish() == expected, "\(text)")
    }
  }

  @Test("Query parsing: fields, quotes, AND/OR, parentheses, fallback to free text")
  func queryParsing() {
    #expect(SearchQuery.parse("") == .all)
    #expect(
      SearchQuery.parse(#"related.identifier:"urn:a:b""#)
        == .term(field: "related.identifier", value: "urn:a:b", quoted: true))
    #expect(
      SearchQuery.parse(#"recid:1 OR recid:2 AND title:x"#)
        == .or(
          .term(field: "recid", value: "1", quoted: false),
          .and(
            .term(field: "recid", value: "2", quoted: false),
            .term(field: "title", value: "x", quoted: false))))
    #expect(
      SearchQuery.parse(#"(recid:1 OR recid:2) title:x"#)
        == .and(
          .or(
            .term(field: "recid", value: "1", quoted: false),
            .term(field: "recid", value: "2", quoted: false)),
          .term(field: "title", value: "x", quoted: false)))
    #expect(
      SearchQuery.parse(#"related.identifier:urn\:a"#)
        == .term(field: "related.identifier", value: "urn:a", quoted: false))
    #expect(
      SearchQuery.parse("(unbalanced") == .term(field: nil, value: "(unbalanced", quoted: false))
  }

  @Test("secure_filename behaves like Werkzeug's")
  func secureFilename() {
    #expect(Multipart.secureFilename("dir/a.txt") == "dir_a.txt")
    #expect(Multipart.secureFilename("my file.csv") == "my_file.csv")
    #expect(Multipart.secureFilename("../../etc/passwd") == "etc_passwd")
    #expect(Multipart.secureFilename("naïve.txt") == "naive.txt")
  }

  @Test(
    "Identifier normalisation: URN prefix lower-cased, DOIs stripped of resolvers, unknown rejected"
  )
  func identifiers() {
    #expect(Identifier.normalise("URN:zenodo:o:r")?.0 == "urn:zenodo:o:r")
    #expect(Identifier.normalise("https://doi.org/10.1/x")?.0 == "10.1/x")
    #expect(Identifier.normalise("https://example.org")?.1 == "url")
    #expect(Identifier.normalise("not an identifier") == nil)
  }
}
