import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One save: the scalars, and what changed in each table (a line of `state.journal`).
struct JournalLine: Codable, Sendable {
  var format: Int
  var counter: Int
  var drafts: TableDelta<Int, RecordVersion>?
  var records: TableDelta<Int, RecordVersion>?
  var parents: TableDelta<Int, Parent>?
  var buckets: TableDelta<String, Int>?
  var requests: TableDelta<String, ReviewRequest>?
  var communities: TableDelta<String, Community>?
  var extraFormats: TableDelta<Int, [String: StoredFile]>?
}

/// What a save changed: the journal line, and the blobs the changed entries referred to before
/// and refer to now (for counting references).
struct StateChanges {
  var line: JournalLine
  var oldBlobs: [String] = []
  var newBlobs: [String] = []
}

extension EmulatorState {
  /// Whether any table changed since the last ``takeChanges()``.
  var hasChanges: Bool {
    drafts.hasChanges || records.hasChanges || parents.hasChanges || buckets.hasChanges
      || requests.hasChanges || communities.hasChanges || extraFormats.hasChanges
  }

  /// What changed since the last call, as a journal line; forgets the changes.
  mutating func takeChanges() -> StateChanges {
    var changes = StateChanges(line: JournalLine(format: format, counter: counter))
    let drafts = self.drafts.takeChanges()
    let records = self.records.takeChanges()
    let formats = self.extraFormats.takeChanges()
    for change in drafts + records {
      changes.oldBlobs += Self.blobs(change.old)
      changes.newBlobs += Self.blobs(change.new)
    }
    for change in formats {
      changes.oldBlobs += Self.blobs(change.old)
      changes.newBlobs += Self.blobs(change.new)
    }
    changes.line.drafts = KeyedTable.delta(drafts)
    changes.line.records = KeyedTable.delta(records)
    changes.line.extraFormats = KeyedTable.delta(formats)
    changes.line.parents = KeyedTable.delta(parents.takeChanges())
    changes.line.buckets = KeyedTable.delta(buckets.takeChanges())
    changes.line.requests = KeyedTable.delta(requests.takeChanges())
    changes.line.communities = KeyedTable.delta(communities.takeChanges())
    return changes
  }

  /// Replays one journal line.
  mutating func replay(_ line: JournalLine) {
    counter = line.counter
    drafts.replay(line.drafts)
    records.replay(line.records)
    parents.replay(line.parents)
    buckets.replay(line.buckets)
    requests.replay(line.requests)
    communities.replay(line.communities)
    extraFormats.replay(line.extraFormats)
  }

  static func blobs(_ version: RecordVersion?) -> [String] {
    version?.files.compactMap(\.blob) ?? []
  }

  static func blobs(_ formats: [String: StoredFile]?) -> [String] {
    formats?.values.compactMap(\.blob) ?? []
  }

  /// Every blob reference of the state, once per referring draft, record or extra format.
  var blobReferences: [String] {
    var references: [String] = []
    for version in drafts.values { references += Self.blobs(version) }
    for version in records.values { references += Self.blobs(version) }
    for formats in extraFormats.values { references += Self.blobs(formats) }
    return references
  }
}

/// The state directory's `state.json` (a snapshot) and `state.journal` (one JSON line per save
/// since the snapshot): a save appends what it changed, so its cost follows the change, not the
/// whole state.
///
/// Loading replays the journal over the snapshot; a torn last line (a crash in the middle of an
/// append) is ignored. Compaction writes a new snapshot and empties the journal: at start, and
/// when the journal grows past both the snapshot's size and `compactionFloor`.
final class StatePersistence {
  let snapshotURL: URL
  let journalURL: URL
  /// The journal size below which it is never compacted while running.
  let compactionFloor: Int
  private(set) var snapshotBytes = 0
  private(set) var journalBytes = 0
  private var descriptor: Int32 = -1

  init(directory: URL, compactionFloor: Int = 1 << 20) {
    snapshotURL = directory.appendingPathComponent("state.json")
    journalURL = directory.appendingPathComponent("state.journal")
    self.compactionFloor = compactionFloor
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
  }

  /// Whether the journal has grown enough that a new snapshot is due.
  var needsCompaction: Bool { journalBytes > max(compactionFloor, snapshotBytes) }

  /// The snapshot with the journal replayed over it; `notes` says what was ignored.
  func load() -> (state: EmulatorState, notes: [String]) {
    var notes: [String] = []
    var state = EmulatorState()
    if let data = try? Data(contentsOf: snapshotURL) {
      // State from before the records API (another layout) is dropped, as the changelog says,
      // and the journal written over it with it.
      guard let loaded = try? JSONDecoder().decode(EmulatorState.self, from: data),
        loaded.format == EmulatorState.currentFormat
      else {
        return (EmulatorState(), ["\(snapshotURL.path) is of another layout; starting empty"])
      }
      state = loaded
    }
    guard let journal = try? Data(contentsOf: journalURL), !journal.isEmpty else {
      return (state, notes)
    }
    let lines = journal.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let decoder = JSONDecoder()
    for (index, line) in lines.enumerated() where !line.isEmpty {
      let isLast = index == lines.count - 1
      guard let entry = try? decoder.decode(JournalLine.self, from: line),
        entry.format == EmulatorState.currentFormat
      else {
        notes.append(
          isLast
            ? "ignoring the torn last line of \(journalURL.lastPathComponent) (\(line.count) bytes)"
            : "\(journalURL.lastPathComponent) line \(index + 1) is corrupt; ignoring it and "
              + "every line after it")
        break
      }
      state.replay(entry)
    }
    return (state, notes)
  }

  /// Writes `state` as the new snapshot (atomically) and empties the journal.
  func compact(_ state: EmulatorState) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(state)
    try data.write(to: snapshotURL, options: .atomic)
    snapshotBytes = data.count
    // Replaying the old journal over the new snapshot gives the same state (each line sets
    // whole entries), so a crash between the rename and the truncation loses nothing.
    if descriptor < 0 {
      descriptor = open(journalURL.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
      if descriptor < 0 { throw PersistenceError.cannotOpen(journalURL.path, errno) }
    }
    if ftruncate(descriptor, 0) != 0 { throw PersistenceError.cannotWrite(journalURL.path, errno) }
    journalBytes = 0
  }

  /// Appends one line with a single `write(2)` to the journal opened with `O_APPEND`: once it
  /// returns, the change survives the process being killed.
  func append(_ line: JournalLine) throws {
    guard descriptor >= 0 else { throw PersistenceError.cannotOpen(journalURL.path, EBADF) }
    var data = try JSONEncoder().encode(line)
    data.append(UInt8(ascii: "\n"))
    let failure = data.withUnsafeBytes { writeFully(descriptor, $0) }
    if let failure { throw PersistenceError.cannotWrite(journalURL.path, failure) }
    journalBytes += data.count
  }
}

/// A state file that could not be opened or written.
enum PersistenceError: Error, CustomStringConvertible {
  case cannotOpen(String, Int32)
  case cannotWrite(String, Int32)

  var description: String {
    switch self {
    case .cannotOpen(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
    case .cannotWrite(let path, let code):
      "cannot write \(path): \(String(cString: strerror(code)))"
    }
  }
}

/// A note on stderr, for what start-up ignored or a save could not write.
func emulatorNote(_ text: String) {
  FileHandle.standardError.write(Data("zenodo-emulator: \(text)\n".utf8))
}
