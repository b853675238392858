import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the executables SwiftPM built for this package, and runs them as processes.
enum BuiltProducts {
  /// The package root (the folder holding Package.swift), found from this source file.
  static let packageRoot: URL = {
    var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    for _ in 0..<6
    where !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
    {
      root.deleteLastPathComponent()
    }
    return root
  }()

  /// The directory holding the built executables (`.build/debug`, or the scratch path's).
  ///
  /// Tried in order: `ZEN_DO_BIN_DIR`; the folder of the running test binary and its parents
  /// (SwiftPM puts the test bundle beside the executables); `<package>/.build/debug`.
  static let directory: URL? = {
    if let env = ProcessInfo.processInfo.environment["ZEN_DO_BIN_DIR"] {
      return URL(fileURLWithPath: env)
    }
    var candidates: [URL] = []
    let starts = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
    for start in starts {
      guard var url = start?.resolvingSymlinksInPath().deletingLastPathComponent() else {
        continue
      }
      for _ in 0..<4 {
        candidates.append(url)
        url.deleteLastPathComponent()
      }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug"))
    return candidates.first {
      FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("zen-do").path)
    }
  }()

  /// The URL of a built executable, such as `zen-do`.
  static func executable(_ name: String) throws -> URL {
    guard let directory else { throw RunError.notBuilt(name) }
    let url = directory.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw RunError.notBuilt(name)
    }
    return url
  }

  /// What a finished process left.
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Why a process could not be run.
  enum RunError: Error, CustomStringConvertible {
    case notBuilt(String)
    case timedOut(String, seconds: Double)

    var description: String {
      switch self {
      case .notBuilt(let name):
        "the executable \(name) was not found beside the tests; run `swift build` first or "
          + "set ZEN_DO_BIN_DIR"
      case .timedOut(let name, let seconds): "\(name) did not finish within \(seconds) s"
      }
    }
  }

  /// Runs a built executable in `directory` and waits for it, at most `timeout` seconds.
  static func run(
    _ name: String, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:], timeout: Double = 60
  ) throws -> Output {
    let process = Process()
    process.executableURL = try executable(name)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "zen-do-e2e-\(UUID().uuidString)")
    let stdoutFile = base.appendingPathExtension("out")
    let stderrFile = base.appendingPathExtension("err")
    FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
    FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: stdoutFile)
      try? FileManager.default.removeItem(at: stderrFile)
    }
    let stdoutHandle = try FileHandle(forWritingTo: stdoutFile)
    let stderrHandle = try FileHandle(forWritingTo: stderrFile)
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw RunError.timedOut(name, seconds: timeout)
    }
    process.waitUntilExit()
    try stdoutHandle.close()
    try stderrHandle.close()
    return Output(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: stdoutFile), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: stderrFile), as: UTF8.self))
  }
}
