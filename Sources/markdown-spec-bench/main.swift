// Scores Markdown renderers on the CommonMark and GFM spec examples: for each spec file and each
// renderer, how many examples render to the expected HTML (normalised as the spec's own runner
// does). Used by scripts/bench-markdown; prints one line per spec and renderer.
//
//   markdown-spec-bench [--failures] SPEC.txt ...
import Foundation
import Ink
import ZenDo

let arguments = Array(CommandLine.arguments.dropFirst())
let showFailures = arguments.contains("--failures")
let files = arguments.filter { $0 != "--failures" }
guard !files.isEmpty else {
  FileHandle.standardError.write(
    Data("usage: markdown-spec-bench [--failures] SPEC.txt ...\n".utf8))
  exit(2)
}

let renderers: [(name: String, render: (String) -> String)] = [
  ("Ink 0.6.0", { MarkdownParser().html(from: $0) }),
  ("cmark-gfm (GitHub extensions)", GitHubMarkdown.html),
  ("cmark-gfm (no extensions)", { GitHubMarkdown.render($0, extensions: []) }),
]

func percent(_ part: Int, _ whole: Int) -> String {
  String(format: "%.1f%%", whole == 0 ? 0 : Double(part) * 100 / Double(whole))
}

print("spec\trenderer\tpassed\ttotal\trate")
for file in files {
  guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
    exit(1)
  }
  let examples = MarkdownSpec.examples(in: text)
  let name = URL(fileURLWithPath: file).lastPathComponent
  for renderer in renderers {
    let passed = MarkdownSpec.passing(examples, render: renderer.render)
    print(
      "\(name)\t\(renderer.name)\t\(passed.count)\t\(examples.count)\t"
        + percent(passed.count, examples.count))
    if showFailures {
      let passedNumbers = Set(passed.map(\.number))
      let failed = examples.filter { !passedNumbers.contains($0.number) }
      print("  failed: " + failed.map { "\($0.number)" }.joined(separator: " "))
    }
  }
  // As the spec means it: each example with only the extension its fence names (or none).
  let asSpecified = examples.filter { example in
    let names = example.extensionName.isEmpty ? [] : [example.extensionName]
    return SpecHTMLNormalizer.normalize(GitHubMarkdown.render(example.markdown, extensions: names))
      == SpecHTMLNormalizer.normalize(example.html)
  }
  print(
    "\(name)\tcmark-gfm (the example's own extension)\t\(asSpecified.count)\t\(examples.count)\t"
      + percent(asSpecified.count, examples.count))
}
