import Foundation

/// One example of the CommonMark (or GFM) spec: Markdown in, the HTML it must render to.
public struct MarkdownSpecExample: Sendable, Equatable {
  /// The example's number, counted from 1 in the file.
  public var number: Int
  /// The `##` section it is in.
  public var section: String
  /// The extension named on its fence line (`example table`), or "" for plain CommonMark.
  public var extensionName: String
  /// The Markdown, with the spec's `→` turned back into tabs.
  public var markdown: String
  /// The expected HTML, with `→` turned back into tabs.
  public var html: String
}

/// Reads the examples of a CommonMark-style `spec.txt` and scores renderers on them, comparing
/// HTML after the normalisation the spec's own test runner applies (``SpecHTMLNormalizer``).
public enum MarkdownSpec {
  /// The examples of a spec file's text, in order.
  public static func examples(in text: String) -> [MarkdownSpecExample] {
    let fence = String(repeating: "`", count: 32)
    var examples: [MarkdownSpecExample] = []
    var section = ""
    var state = 0  // 0 outside, 1 markdown, 2 html
    var markdown: [Substring] = []
    var html: [Substring] = []
    var extensionName = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      switch state {
      case 0:
        if line.hasPrefix(fence + " example") {
          extensionName = line.dropFirst(fence.count + 8).trimmingCharacters(in: .whitespaces)
          markdown = []
          html = []
          state = 1
        } else if line.hasPrefix("#") {
          section = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
        }
      case 1:
        if line == "." { state = 2 } else { markdown.append(line) }
      default:
        if line == fence {
          let tabs = { (lines: [Substring]) in
            lines.map { $0 + "\n" }.joined().replacingOccurrences(of: "→", with: "\t")
          }
          examples.append(
            MarkdownSpecExample(
              number: examples.count + 1, section: section, extensionName: extensionName,
              markdown: tabs(markdown), html: tabs(html)))
          state = 0
        } else {
          html.append(line)
        }
      }
    }
    return examples
  }

  /// The examples `render` gets right (normalised HTML equal), out of all of `examples`.
  public static func passing(
    _ examples: [MarkdownSpecExample], render: (String) -> String
  ) -> [MarkdownSpecExample] {
    examples.filter {
      SpecHTMLNormalizer.normalize(render($0.markdown))
        == SpecHTMLNormalizer.normalize($0.html)
    }
  }
}

/// HTML normalisation as the CommonMark spec's test runner does it before comparing: runs of
/// whitespace collapse to one space (not in `<pre>`), whitespace around block tags goes,
/// self-closing tags become open tags, attributes are lowercased and sorted, and character
/// references become characters except `<`, `>`, `&` and `"`.
public enum SpecHTMLNormalizer {
  static let blockTags: Set<String> = [
    "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map",
    "button", "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd",
    "progress", "div", "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea",
    "fieldset", "tfoot", "figcaption", "th", "figure", "thead", "footer", "tr", "form", "ul",
    "h1", "h2", "h3", "h4", "h5", "h6", "video", "script", "style",
  ]
  static let named: [String: String] = [
    "lt": "<", "gt": ">", "amp": "&", "quot": "\"", "nbsp": "\u{a0}", "copy": "©", "AElig": "Æ",
    "frac34": "¾", "ouml": "ö", "auml": "ä", "uuml": "ü", "eacute": "é",
  ]

  private enum Last { case start, end, data, other }

  private struct State {
    var output = ""
    var last = Last.start
    var inPre = false
    var lastTag = ""
  }

  /// The normalised form of `html`.
  public static func normalize(_ html: String) -> String {
    var state = State()
    for chunk in chunks(html) {
      if chunk.hasPrefix("<![CDATA") {
        state.output += chunk
      } else if chunk.hasPrefix("<") {
        tag(chunk, &state)
      } else {
        text(chunk, &state)
      }
    }
    return state.output
  }

  /// CDATA sections, tags (`<` to the next `>`) and text runs, as the runner splits them.
  private static func chunks(_ html: String) -> [String] {
    var result: [String] = []
    var rest = Substring(html)
    while !rest.isEmpty {
      if rest.hasPrefix("<![CDATA["), let end = rest.range(of: "]]>") {
        result.append(String(rest[..<end.upperBound]))
        rest = rest[end.upperBound...]
      } else if rest.hasPrefix("<"), let end = rest.firstIndex(of: ">") {
        result.append(String(rest[...end]))
        rest = rest[rest.index(after: end)...]
      } else {
        let start = rest.hasPrefix("<") ? rest.index(after: rest.startIndex) : rest.startIndex
        let end = rest[start...].firstIndex(of: "<") ?? rest.endIndex
        result.append(String(rest[..<end]))
        rest = rest[end...]
      }
    }
    return result
  }

  private static func tag(_ chunk: String, _ state: inout State) {
    if chunk.hasPrefix("<!--") || chunk.hasPrefix("<!") || chunk.hasPrefix("<?") {
      state.output += chunk
      state.last = .other
      return
    }
    let inner = chunk.dropFirst().dropLast()
    if inner.hasPrefix("/") {
      let name = inner.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
      guard isName(name) else { return text(chunk, &state) }
      if name == "pre" {
        state.inPre = false
      } else if blockTags.contains(name) {
        trimTrailing(&state.output)
      }
      state.output += "</\(name)>"
      state.lastTag = name
      state.last = .end
      return
    }
    var body = Substring(inner)
    let selfClosing = body.hasSuffix("/")
    if selfClosing { body = body.dropLast() }
    let name = String(body.prefix(while: { !$0.isWhitespace })).lowercased()
    guard isName(name), let attributes = attributes(body.dropFirst(name.count)) else {
      return text(chunk, &state)
    }
    if name == "pre" { state.inPre = true }
    if blockTags.contains(name) { trimTrailing(&state.output) }
    state.output += "<" + name
    for (key, value) in attributes.sorted(by: { ($0.0, $0.1 ?? "") < ($1.0, $1.1 ?? "") }) {
      state.output += " " + key
      if let value { state.output += "=\"" + escape(unescape(value)) + "\"" }
    }
    state.output += ">"
    state.lastTag = name
    state.last = selfClosing ? .end : .start
  }

  private static func isName(_ name: String) -> Bool {
    guard let first = name.first, first.isASCII, first.isLetter else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
  }

  /// `name`, `name=value`, `name='v'`, `name="v"` pairs, or nil when the text is not that.
  private static func attributes(_ text: Substring) -> [(String, String?)]? {
    var result: [(String, String?)] = []
    var rest = text.drop(while: \.isWhitespace)
    while !rest.isEmpty {
      let name = rest.prefix(while: { !$0.isWhitespace && $0 != "=" && $0 != ">" })
      guard !name.isEmpty else { return nil }
      rest = rest.dropFirst(name.count).drop(while: \.isWhitespace)
      var value: String?
      if rest.hasPrefix("=") {
        rest = rest.dropFirst().drop(while: \.isWhitespace)
        if let quote = rest.first, quote == "\"" || quote == "'" {
          guard let end = rest.dropFirst().firstIndex(of: quote) else { return nil }
          value = String(rest[rest.index(after: rest.startIndex)..<end])
          rest = rest[rest.index(after: end)...]
        } else {
          let raw = rest.prefix(while: { !$0.isWhitespace })
          value = String(raw)
          rest = rest.dropFirst(raw.count)
        }
      }
      result.append((name.lowercased(), value))
      rest = rest.drop(while: \.isWhitespace)
    }
    return result
  }

  private static func text(_ chunk: String, _ state: inout State) {
    var data = ""
    forEachReference(in: chunk) { text in
      data += text
    } reference: { char in
      flush(&data, &state)
      switch char {
      case "<": state.output += "&lt;"
      case ">": state.output += "&gt;"
      case "&": state.output += "&amp;"
      case "\"": state.output += "&quot;"
      default: state.output += char
      }
      state.last = .other
    }
    flush(&data, &state)
  }

  /// Splits `text` into runs of text and decoded character references (`&amp;`, `&#35;`, ...),
  /// in order; an `&` that starts no known reference stays text.
  private static func forEachReference(
    in text: String, text onText: (Substring) -> Void, reference onReference: (String) -> Void
  ) {
    var rest = Substring(text)
    while let amp = rest.firstIndex(of: "&") {
      onText(rest[..<amp])
      let after = rest[rest.index(after: amp)...]
      if let semi = after.prefix(40).firstIndex(of: ";"), let char = reference(after[..<semi]) {
        onReference(char)
        rest = after[after.index(after: semi)...]
      } else {
        onText("&")
        rest = after
      }
    }
    onText(rest)
  }

  private static func reference(_ name: Substring) -> String? {
    if name.hasPrefix("#x") || name.hasPrefix("#X") {
      return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    if name.hasPrefix("#") {
      return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    return named[String(name)]
  }

  private static func flush(_ data: inout String, _ state: inout State) {
    guard !data.isEmpty else { return }
    var text = data
    data = ""
    let afterTag = state.last == .start || state.last == .end
    let afterBlock = afterTag && blockTags.contains(state.lastTag)
    if afterTag && state.lastTag == "br" { text = String(text.drop(while: { $0 == "\n" })) }
    if !state.inPre { text = collapse(text) }
    if afterBlock && !state.inPre {
      if state.last == .start {
        text = String(text.drop(while: \.isWhitespace))
      } else {
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    state.output += text
    state.last = .data
  }

  private static func collapse(_ text: String) -> String {
    var result = ""
    var inSpace = false
    for char in text {
      if char.isWhitespace {
        if !inSpace { result.append(" ") }
        inSpace = true
      } else {
        result.append(char)
        inSpace = false
      }
    }
    return result
  }

  private static func trimTrailing(_ text: inout String) {
    while let last = text.last, last.isWhitespace { text.removeLast() }
  }

  private static func unescape(_ value: String) -> String {
    var result = ""
    forEachReference(in: value) {
      result += $0
    } reference: {
      result += $0
    }
    return result
  }

  private static func escape(_ value: String) -> String {
    value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
