// libFuzzer entry point for the TOML module, compiled together with Sources/TOML by
// scripts/fuzz-toml. Any input must either parse (and then write and read back the same) or
// fail with a TOMLError whose position lies inside the input; anything else stops the fuzzer.

@_cdecl("LLVMFuzzerTestOneInput")
public func tomlFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  do {
    let table = try TOMLParser.parse(bytes: bytes)
    let text = TOMLWriter().write(table)
    guard let again = try? TOMLParser.parse(text), again.isSameValue(as: table) else {
      fatalError("write then parse does not give the same value; written:\n\(text)")
    }
  } catch {
    var lines = 1
    for b in bytes where b == 0x0A { lines += 1 }
    guard error.position.line >= 1, error.position.line <= lines, error.position.column >= 1,
      error.position.column <= size + 1
    else {
      fatalError("error position \(error.position) is outside the input (\(lines) lines)")
    }
  }
  _ = try? TOMLParser.parse(String(decoding: bytes, as: UTF8.self))
  return 0
}
