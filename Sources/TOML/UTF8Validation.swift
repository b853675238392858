/// Checks that bytes are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
enum UTF8Validation {
  /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
  static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
    var i = 0
    let count = bytes.count
    while i < count {
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch b {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        upper = 0x9F
      case 0xF0:
        length = 4
        lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        upper = 0x8F
      default: return i
      }
      for k in 1..<length {
        // An ill-formed or cut-short sequence is reported at its first byte.
        guard i + k < count else { return i }
        let c = bytes[i + k]
        let (lo, hi) = k == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
        guard c >= lo && c <= hi else { return i }
      }
      i += length
    }
    return nil
  }
}
