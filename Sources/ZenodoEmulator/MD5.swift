import Crypto

/// An incremental MD5 digest, fed chunk by chunk while an upload streams to disk
/// (swift-crypto's BoringSSL MD5, the same one zen-do hashes local files with).
struct MD5Digest {
  private var hasher = Insecure.MD5()

  /// Adds bytes to the digest.
  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The lower-case hex digest; the digest must not be updated afterwards.
  mutating func finish() -> String {
    hasher.finalize().map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
