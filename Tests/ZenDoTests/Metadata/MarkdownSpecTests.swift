import Foundation
import Testing

@testable import ZenDo

/// cmark-gfm on the bundled CommonMark and GFM spec examples (Tests/Fixtures/markdown-spec),
/// and the GitHub extensions on a description file.
@Suite("Markdown as GitHub renders it")
struct MarkdownSpecTests {
  static let folder = ConvertFixtures.root.appendingPathComponent("markdown-spec")

  static func examples(_ name: String) throws -> [MarkdownSpecExample] {
    let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    return MarkdownSpec.examples(in: text)
  }

  @Test func theSpecFilesHoldAllTheirExamples() throws {
    #expect(try Self.examples("commonmark-spec.txt").count == 655)
    let gfm = try Self.examples("gfm-spec.txt")
    #expect(gfm.count == 673)
    #expect(Set(gfm.map(\.extensionName)).isSuperset(of: ["table", "strikethrough", "autolink"]))
  }

  /// The pass rates measured with scripts/bench-markdown (docs/metadata.md); a change in
  /// cmark-gfm or in the normaliser that moves them fails here.
  @Test func cmarkGFMPassRatesStayAtTheirMeasuredValues() throws {
    let commonMark = try Self.examples("commonmark-spec.txt")
    let gfm = try Self.examples("gfm-spec.txt")
    // GitHub's set of extensions on every example: the 10 GFM misses are 5 raw <script>/<style>
    // blocks that tagfilter escapes and 5 `<...>` texts the autolink extension links.
    #expect(MarkdownSpec.passing(gfm, render: GitHubMarkdown.html).count == 663)
    #expect(MarkdownSpec.passing(commonMark, render: GitHubMarkdown.html).count == 640)
    // Plain CommonMark: cmark-gfm 0.29 against the 0.31.2 spec.
    let plain = { GitHubMarkdown.render($0, extensions: []) }
    #expect(MarkdownSpec.passing(commonMark, render: plain).count == 650)
    // Ink, for comparison, is measured by scripts/bench-markdown (it is not a dependency of
    // the library); a normaliser that let everything pass would show here.
    #expect(MarkdownSpec.passing(commonMark, render: { _ in "<p>x</p>" }).count < 5)
  }

  @Test func theNormaliserIgnoresWhatTheSpecRunnerIgnores() {
    #expect(SpecHTMLNormalizer.normalize("<p>a  \t\nb</p>") == "<p>a b</p>")
    #expect(SpecHTMLNormalizer.normalize("\n\t<p>\n\t\ta  b\t\t</p>\n\t") == "<p>a b</p>")
    #expect(SpecHTMLNormalizer.normalize("<i>a  b</i> ") == "<i>a b</i> ")
    #expect(SpecHTMLNormalizer.normalize("<br />") == "<br>")
    #expect(
      SpecHTMLNormalizer.normalize("<a title=\"bar\" HREF=\"foo\">x</a>")
        == "<a href=\"foo\" title=\"bar\">x</a>")
    #expect(SpecHTMLNormalizer.normalize("&copy;&amp;&gt;&lt;&quot;") == "©&amp;&gt;&lt;&quot;")
    #expect(SpecHTMLNormalizer.normalize("<p>a</p>") != SpecHTMLNormalizer.normalize("<p>b</p>"))
  }

  @Test func githubExtensionsRender() {
    let html = GitHubMarkdown.html(
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.org\n\n- [x] done\n- [ ] todo\n")
    #expect(html.contains("<table>"))
    #expect(html.contains("<td>1</td>"))
    #expect(html.contains("<del>old</del>"))
    #expect(html.contains("<a href=\"http://www.example.org\">www.example.org</a>"))
    #expect(html.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> done"))
    #expect(GitHubMarkdown.html("<script>x</script>\n").contains("&lt;script>"))
  }

  @Test func descriptionFileIsRenderedWithCmarkGFM() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-md-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "# Title\n\n| x |\n|---|\n| y |\n\n~~gone~~\n".write(
      to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    let html = try MetadataLoader.renderMarkdown("README.md", folder: folder).get()
    #expect(html.contains("<h1>Title</h1>"))
    #expect(html.contains("<th>x</th>"))
    #expect(html.contains("<del>gone</del>"))
  }
}
