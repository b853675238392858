import CCmarkGFM
import Foundation

/// Markdown to HTML the way GitHub renders a README: cmark-gfm with GitHub's extensions.
///
/// The extensions are `table`, `strikethrough`, `autolink`, `tasklist` and `tagfilter` (GitHub's
/// filter of unsafe raw HTML tags such as `<script>`). Raw HTML is passed through
/// (`CMARK_OPT_UNSAFE`), as GitHub does before its own sanitiser; Zenodo sanitises the
/// `description` it stores.
///
/// ```swift
/// let html = GitHubMarkdown.html("- [x] done\n- ~~old~~")
/// ```
public enum GitHubMarkdown {
  /// The GitHub extensions attached to every parse, by cmark-gfm's names.
  public static let extensions = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

  /// The HTML of `markdown`, rendered with cmark-gfm and ``extensions``.
  public static func html(_ markdown: String) -> String {
    render(markdown, extensions: extensions)
  }

  /// The HTML of `markdown` with only the named extensions (empty: plain CommonMark).
  public static func render(_ markdown: String, extensions names: [String]) -> String {
    cmark_gfm_core_extensions_ensure_registered()
    let options = CMARK_OPT_UNSAFE
    guard let parser = cmark_parser_new(options) else { return "" }
    defer { cmark_parser_free(parser) }
    for name in names {
      if let syntaxExtension = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, syntaxExtension)
      }
    }
    var bytes = Array(markdown.utf8)
    bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
        cmark_parser_feed(parser, $0, buffer.count)
      }
    }
    guard let document = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(document) }
    guard
      let rendered = cmark_render_html(
        document, options, cmark_parser_get_syntax_extensions(parser))
    else { return "" }
    defer { free(rendered) }
    return String(cString: rendered)
  }
}
