import CEmulatorMD5

/// An incremental MD5 digest, fed chunk by chunk while an upload streams to disk.
struct MD5Digest {
  private var context = emulator_md5_context()

  init() {
    emulator_md5_init(&context)
  }

  /// Adds bytes to the digest.
  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    emulator_md5_update(&context, base, bytes.count)
  }

  /// The lower-case hex digest; the digest must not be updated afterwards.
  mutating func finish() -> String {
    var digest = [UInt8](repeating: 0, count: 16)
    digest.withUnsafeMutableBufferPointer { emulator_md5_final(&context, $0.baseAddress) }
    return digest.map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
