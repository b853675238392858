/// Multi-line TOML strings for prose (`description`, `notes`, `method`), folded for reading.
///
/// The shared ``TOML/TOMLWriter`` chooses multi-line strings by length alone and folds at spaces;
/// for descriptions, which are usually HTML on one line, conversion wants more: short HTML as a
/// block too, folds after closing block tags (`</p>`, `</li>`, ...), and the closing `"""` on a
/// line of its own. This renders that string; ``ZenodoJSONConverter`` puts it in the writer's
/// output (see docs/convert.md).
public enum ProseString {
  /// Keys whose text is written as prose.
  public static let keys: Set<String> = ["description", "notes", "method"]
  /// Lines are folded at about this width.
  public static let width = 96

  /// True when `text` under a prose key should be a multi-line string: long, HTML, or with
  /// line breaks.
  public static func wantsBlock(_ text: String) -> Bool {
    text.unicodeScalars.count > 72 || text.contains("<") || text.contains("\n")
  }

  private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// A multi-line basic string (`"""` on its own line first, so the text starts on the next
  /// line); long lines are folded with a line-ending backslash after a space or a closing block
  /// tag, always before a non-blank character so the fold removes nothing of the value.
  public static func multiLineString(_ s: String) -> String {
    var out = "\"\"\"\n"
    var lineLength = 0
    var quoteRun = 0
    let scalars = Array(s.unicodeScalars)
    var i = 0
    while i < scalars.count {
      let scalar = scalars[i]
      var piece: String
      switch scalar {
      case "\"":
        quoteRun += 1
        piece = quoteRun == 3 ? "\\\"" : "\""
        if quoteRun == 3 { quoteRun = 0 }
      case "\\": piece = "\\\\"
      case "\n": piece = "\n"
      case "\t": piece = "\t"
      case "\r": piece = "\\r"
      case "\u{08}": piece = "\\b"
      case "\u{0C}": piece = "\\f"
      default:
        piece =
          scalar.value < 0x20 || scalar.value == 0x7F
          ? unicodeEscape(scalar) : String(Character(scalar))
      }
      if scalar != "\"" { quoteRun = 0 }
      out += piece
      lineLength = scalar == "\n" ? 0 : lineLength + piece.count
      i += 1
      guard i < scalars.count, !isBlank(scalars[i]) else { continue }
      let afterBlockTag = scalar == ">" && endsWithBlockTag(scalars, upTo: i)
      let afterSpace = scalar == " " && lineLength >= width - 8
      if afterBlockTag || afterSpace {
        // The fold: backslash, newline; TOML drops them and nothing else, since the next
        // character is not blank.
        out += "\\\n"
        lineLength = 0
        quoteRun = 0
      }
    }
    // Close on a line of its own: through a fold, unless the text ends with a line break.
    // (This also keeps a closing quote of the text away from the delimiter.)
    if !out.hasSuffix("\n") { out += "\\\n" }
    return out + "\"\"\""
  }

  private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
  }

  private static let blockTags: [String] = [
    "</p>", "<br>", "<br/>", "<br />", "</li>", "</ul>", "</ol>", "</div>", "</h1>", "</h2>",
    "</h3>", "</h4>", "</h5>", "</h6>", "</blockquote>", "</pre>", "</table>", "</tr>",
  ]

  private static func endsWithBlockTag(_ scalars: [Unicode.Scalar], upTo end: Int) -> Bool {
    for tag in blockTags {
      let tagScalars = Array(tag.unicodeScalars)
      guard end >= tagScalars.count else { continue }
      let slice = scalars[(end - tagScalars.count)..<end]
      if zip(slice, tagScalars).allSatisfy({ String($0).lowercased() == String($1) }) {
        return true
      }
    }
    return false
  }
}
