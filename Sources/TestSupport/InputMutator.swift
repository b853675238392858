/// A small deterministic random number generator (SplitMix64), so every fuzz run tries the same
/// inputs and a failure can be replayed.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  /// A generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Makes random and mutated inputs from seed documents for the seeded fuzz tests: a soup of
/// grammar fragments one time in ten, else a seed with one to four byte flips, fragment
/// insertions, deletions, truncations or duplicated runs.
public struct InputMutator {
  /// The random source.
  public var random: SplitMix64
  /// The documents to mutate.
  public let seeds: [[UInt8]]
  /// Pieces that matter to the grammar under test, inserted at random places.
  public let fragments: [[UInt8]]

  /// A mutator over `seeds` with the grammar's `fragments`.
  public init(random: SplitMix64, seeds: [[UInt8]], fragments: [[UInt8]]) {
    self.random = random
    self.seeds = seeds
    self.fragments = fragments
  }

  /// A random index below `upperBound` (0 when it is not positive).
  public mutating func index(_ upperBound: Int) -> Int {
    upperBound <= 0 ? 0 : Int(random.next() % UInt64(upperBound))
  }

  /// The next input.
  public mutating func next() -> [UInt8] {
    if seeds.isEmpty || index(10) == 0 {
      var soup: [UInt8] = []
      for _ in 0..<(1 + index(40)) { soup += fragments[index(fragments.count)] }
      return soup
    }
    var bytes = seeds[index(seeds.count)]
    for _ in 0..<(1 + index(4)) {
      let at = index(bytes.count + 1)
      switch index(5) {
      case 0 where !bytes.isEmpty:
        bytes[index(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
      case 1:
        bytes.insert(contentsOf: fragments[index(fragments.count)], at: at)
      case 2:
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + index(8)))
      case 3:
        bytes.removeSubrange(at..<bytes.count)
      default:
        let end = min(bytes.count, at + index(64))
        bytes.insert(contentsOf: bytes[at..<end], at: index(bytes.count + 1))
      }
    }
    return bytes
  }
}
