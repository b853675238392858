// Measures zen-do's upload path (the same ZenodoClient and transport the CLI uses) and its MD5,
// printing numbers for scripts/bench-upload. Not a test: numbers, no assertions.
//
//   upload-bench md5 FILE
//   upload-bench upload BUCKET_URL FILE        (token from ZENODO_TOKEN; UPLOAD_BENCH_HASH=1 hashes
//                                              while sending and checks it)
import Foundation
import ZenDo

func peakRSSKiB() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return -1
  }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
  }
  return -1
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(Data("usage: upload-bench md5 FILE | upload BUCKET FILE\n".utf8))
  exit(64)
}
// Knobs for measuring (scripts/bench-upload): chunk size, buffer pool, and glibc's mmap
// threshold (which `zen-do upload` no longer sets), to compare against the defaults.
let environment = ProcessInfo.processInfo.environment
let chunkSize = (environment["UPLOAD_BENCH_CHUNK_KIB"].flatMap(Int.init) ?? 1024) * 1024
let poolSize = environment["UPLOAD_BENCH_POOL"].flatMap(Int.init) ?? 4
// UPLOAD_BENCH_HASH=1: hash while sending, as `zen-do upload` does for a new file.
let hashWhileSending = environment["UPLOAD_BENCH_HASH"] == "1"
if let threshold = environment["UPLOAD_BENCH_MMAP_THRESHOLD"].flatMap(Int32.init) {
  _ = glibcMallopt(-3, threshold)  // -3: M_MMAP_THRESHOLD
}
let start = Date()
switch arguments[1] {
case "md5":
  let digest = try FileDigest.md5(path: arguments[2], chunkSize: chunkSize)
  let seconds = Date().timeIntervalSince(start)
  let size = FileDigest.size(path: arguments[2]) ?? 0
  print("md5 \(digest) bytes \(size) seconds \(seconds) peak_rss_kib \(peakRSSKiB())")
case "upload":
  guard arguments.count == 4 else { exit(64) }
  let path = arguments[3]
  let size = FileDigest.size(path: path) ?? 0
  let transport = AsyncHTTPClientTransport(chunkSize: chunkSize, poolSize: poolSize)
  let token = ZenodoToken(ProcessInfo.processInfo.environment["ZENODO_TOKEN"] ?? "")
  let base = arguments[2].components(separatedBy: "/files/").first ?? arguments[2]
  let client = ZenodoClient(baseURL: base, token: token, transport: transport)
  let name = (path as NSString).lastPathComponent
  let receipt = try await client.upload(
    bucketURL: arguments[2], key: name, path: path, size: size,
    hashWhileSending: hashWhileSending)
  let md5 = receipt.remoteMD5
  if hashWhileSending, receipt.sentMD5 != md5 { exit(65) }
  let seconds = Date().timeIntervalSince(start)
  await transport.shutdown()
  var usage = rusage()
  getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
  print(
    "upload md5 \(md5) bytes \(size) seconds \(seconds) peak_rss_kib \(peakRSSKiB())"
      + " minor_faults \(usage.ru_minflt) user_s \(Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6)"
      + " sys_s \(Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)")
default:
  exit(64)
}

/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not import).
@_silgen_name("mallopt")
func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
