import Foundation
import Testing

@testable import ZenodoEmulator

/// In-process checks of the pure parts; the HTTP behaviour is tested against a real process.
@Suite("Units")
struct UnitTests {
  @Test(
    "Timestamps read as a DateFormatter in UTC prints them, microseconds and all",
    arguments: [
      0, 1_764_651_048.123456, 1_700_000_000.999, 951_782_400.5, 4_102_444_799.25,
    ])
  func timestamp(seconds: Double) {
    let date = Date(timeIntervalSince1970: seconds)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
    let text = Clock.timestamp(date)
    #expect(text.hasPrefix(formatter.string(from: date) + "."))
    #expect(text.hasSuffix("+00:00"))
    let fraction = text.dropFirst(20).prefix(6)
    #expect(fraction.count == 6 && fraction.allSatisfy(\.isNumber))
    let expected = Int((seconds - seconds.rounded(.down)) * 1_000_000)
    #expect(abs((Int(fraction) ?? -9) - expected) <= 1, "\(text)")
    #expect(Clock.today(date) == String(text.prefix(10)))
  }

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
    "Identifier detection as idutils does it, limited to the records API's schemes",
    arguments: [
      ("URN:zenodo:o:r", "urn:zenodo:o:r", "urn"),
      ("https://doi.org/10.1234/x", "10.1234/x", "doi"),
      ("https://example.org", "https://example.org", "url"),
      ("2011ApJS..192...18K", "2011ApJS..192...18K", "ads"),
      ("arXiv:1310.2590", "arXiv:1310.2590", "arxiv"),
      ("1310.2590", "arXiv:1310.2590", "arxiv"),
      ("0000-0002-1825-0097", "0000-0002-1825-0097", "isni"),
      ("Q42", "Q42", "wikidata"),
      ("hdl:20.1000/100", "20.1000/100", "handle"),
      ("9780306406157", "9780306406157", "ean13"),
      ("0317-8471", "0317-8471", "issn"),
      ("12345", "12345", "pmid"),
      ("https://purl.org/a", "https://purl.org/a", "purl"),
    ])
  func identifiers(raw: String, normalised: String, scheme: String) {
    let detected = Identifier.detect(raw)
    #expect(detected?.0 == normalised)
    #expect(detected?.1 == scheme)
  }

  @Test("Unrecognised identifiers and bad checksums are rejected")
  func rejected() {
    #expect(Identifier.detect("not an identifier") == nil)
    #expect(ROR.isValid("01ggx4157"))
    #expect(!ROR.isValid("01ggx4158"))
    #expect(!ROR.isValid("1ggx41577"))
  }
}
