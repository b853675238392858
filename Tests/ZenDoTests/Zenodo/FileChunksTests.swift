import Foundation
import NIOCore
import Synchronization
import TestSupport
import Testing

@testable import ZenDo

/// The upload body reader: chunks come from a pool of reused buffers, and a buffer still held by
/// the sender is waited for, never replaced (so memory is bounded by the pool).
@Suite struct FileChunksTests {
  static let chunk = 4096

  /// A temporary file of `chunks` chunks of random bytes, opened for reading.
  static func file(chunks: Int) throws -> (URL, [UInt8], FileDescriptorBox) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-chunks-\(UUID().uuidString)")
    let bytes = (0..<(chunks * chunk)).map { _ in UInt8.random(in: 0...255) }
    try Data(bytes).write(to: url)
    let descriptor = open(url.path, O_RDONLY)
    #expect(descriptor >= 0)
    return (url, bytes, FileDescriptorBox(descriptor))
  }

  static func address(_ buffer: ByteBuffer) -> UInt {
    buffer.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
  }

  @Test func reusesReleasedBuffersAndSendsEveryByte() async throws {
    let (url, bytes, descriptor) = try Self.file(chunks: 5)
    defer { try? FileManager.default.removeItem(at: url) }
    let chunks = FileChunks(
      descriptor: descriptor, chunkSize: Self.chunk, poolSize: 2, digest: nil, progress: nil)
    var sent: [UInt8] = []
    var addresses: [UInt] = []
    for try await var buffer in chunks {
      addresses.append(Self.address(buffer))
      sent += buffer.readBytes(length: buffer.readableBytes) ?? []
    }
    #expect(sent == bytes)
    // Two buffers, used in turn: chunks 0, 2, 4 share one storage, chunks 1, 3 the other.
    #expect(addresses.count == 5)
    #expect(Set(addresses).count == 2)
    #expect(addresses[0] == addresses[2] && addresses[2] == addresses[4])
    #expect(addresses[1] == addresses[3])
  }

  /// Holds the one iterator, as AsyncHTTPClient does, so no stray copy keeps the pool alive.
  final class Reader: @unchecked Sendable {
    var iterator: FileChunks.Iterator
    let done = Mutex(false)
    init(_ chunks: FileChunks) { iterator = chunks.makeAsyncIterator() }
    func next() async throws -> ByteBuffer? { try await iterator.next() }
  }

  @Test func waitsForAHeldBufferInsteadOfAllocating() async throws {
    let (url, bytes, descriptor) = try Self.file(chunks: 3)
    defer { try? FileManager.default.removeItem(at: url) }
    let reader = Reader(
      FileChunks(
        descriptor: descriptor, chunkSize: Self.chunk, poolSize: 2, digest: nil, progress: nil))
    // The sender still holds chunk 0 (as AsyncHTTPClient does until it is written).
    var held = try await reader.next()
    let firstAddress = held.map(Self.address)
    _ = try await reader.next()
    let third = Task {
      let buffer = try await reader.next()
      reader.done.withLock { $0 = true }
      return buffer
    }
    try await Task.sleep(for: .milliseconds(300))
    #expect(!reader.done.withLock { $0 }, "the reader must wait for chunk 0's buffer")
    // Chunk 0's bytes are intact while it is held.
    #expect(
      held.flatMap { $0.getBytes(at: $0.readerIndex, length: $0.readableBytes) }
        == Array(bytes[0..<Self.chunk]))
    held = nil
    let buffer = try #require(try await third.value)
    #expect(reader.done.withLock { $0 })
    #expect(Self.address(buffer) == firstAddress, "chunk 2 reuses chunk 0's storage")
    #expect(
      buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes)
        == Array(bytes[(2 * Self.chunk)...]))
  }

  @Test func readsAndHashesAheadOfTheSenderAsFarAsThePoolAllows() async throws {
    let (url, bytes, descriptor) = try Self.file(chunks: 6)
    defer { try? FileManager.default.removeItem(at: url) }
    let readSoFar = Mutex<Int64>(0)
    let digest = SentDigest()
    let reader = Reader(
      FileChunks(
        descriptor: descriptor, chunkSize: Self.chunk, poolSize: 3, digest: digest,
        progress: { offset in readSoFar.withLock { $0 = offset } }))
    // The sender holds chunk 0 and asks for nothing more: the other two buffers are read
    // meanwhile, and no more than that.
    var held = try await reader.next()
    #expect(
      await Subprocess.poll(timeout: 10) { readSoFar.withLock { $0 } == Int64(3 * Self.chunk) })
    try await Task.sleep(for: .milliseconds(100))
    #expect(readSoFar.withLock { $0 } == Int64(3 * Self.chunk), "bounded by the pool")
    held = nil
    var sent = Array(bytes[0..<Self.chunk])
    while let buffer = try await reader.next() {
      sent += buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
    #expect(sent == bytes)
    #expect(digest.value == (try FileDigest.md5(path: url.path)))
    _ = held
  }

  final class WeakDescriptor: @unchecked Sendable {
    weak var value: FileDescriptorBox?
  }

  /// A reader over a new file whose descriptor only the reader holds.
  static func readerOnly(chunks: Int, into reader: inout Reader?) throws -> (URL, WeakDescriptor) {
    let (url, _, descriptor) = try file(chunks: chunks)
    let weak = WeakDescriptor()
    weak.value = descriptor
    reader = Reader(
      FileChunks(
        descriptor: descriptor, chunkSize: chunk, poolSize: 2, digest: nil, progress: nil))
    return (url, weak)
  }

  @Test func aRequestGivenUpPartWayStopsTheReadingAndClosesTheFile() async throws {
    var reader: Reader?
    let (url, box) = try Self.readerOnly(chunks: 8, into: &reader)
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try await reader?.next()
    #expect(box.value != nil)
    reader = nil
    #expect(
      await Subprocess.poll(timeout: 10) { box.value == nil },
      "the read-ahead task let go of the file")
  }
}
