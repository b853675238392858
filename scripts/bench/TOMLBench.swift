// Measures parse and write times of the TOML module on one file; built with -O together with
// Sources/TOML by scripts/bench-toml. Prints the median of repeated batches.
import Foundation

@main
struct TOMLBench {
  static func main() throws {
    let arguments = CommandLine.arguments
    let path = arguments.count > 1 ? arguments[1] : "scripts/bench/zenodo-5k.toml"
    let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let text = String(decoding: bytes, as: UTF8.self)
    let table = try TOMLParser.parse(bytes: bytes)

    func medianMicroseconds(_ body: () throws -> Void) rethrows -> Double {
      var samples: [Double] = []
      for _ in 0..<15 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { try body() }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        samples.append(Double(elapsed) / Double(iterations) / 1000)
      }
      samples.sort()
      return samples[samples.count / 2]
    }

    var sink = 0
    let parseBytes = try medianMicroseconds { sink &+= try TOMLParser.parse(bytes: bytes).entries.count }
    let parseText = try medianMicroseconds { sink &+= try TOMLParser.parse(text).entries.count }
    let write = medianMicroseconds { sink &+= TOMLWriter().write(table).utf8.count }
    let megabytesPerSecond = Double(bytes.count) / parseBytes
    print("toml bench: \(path), \(bytes.count) bytes, median of 15 x \(iterations) runs")
    print(String(format: "  parse(bytes:)  %8.1f µs  (%.0f MB/s)", parseBytes, megabytesPerSecond))
    print(String(format: "  parse(String)  %8.1f µs", parseText))
    print(String(format: "  write          %8.1f µs", write))
    if sink == 42 { print("") }  // keeps the work from being optimized away
  }
}
