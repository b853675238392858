import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one place tests find the executables SwiftPM built for this package.
public enum BuiltProducts {
  /// The package root (the folder holding Package.swift), found from this source file.
  public static let packageRoot: URL = {
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
  public static let directory: URL? = {
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
  public static func executable(_ name: String) throws -> URL {
    guard let directory else { throw RunError.notBuilt(name) }
    let url = directory.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw RunError.notBuilt(name)
    }
    return url
  }

  /// What a finished process left.
  public typealias Output = ProcessOutcome

  /// Why an executable could not be found.
  public enum RunError: Error, CustomStringConvertible {
    /// No built executable of that name.
    case notBuilt(String)

    /// Says what to do.
    public var description: String {
      switch self {
      case .notBuilt(let name):
        "the executable \(name) was not found beside the tests; run `swift build` first or "
          + "set ZEN_DO_BIN_DIR"
      }
    }
  }

  /// Runs a built executable in `directory` and waits for it (suspending, never blocking a
  /// thread), at most `timeout` seconds; `NO_COLOR` is set unless `environment` says otherwise.
  public static func run(
    _ name: String, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:], timeout: Double = 60
  ) async throws -> Output {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    let outcome = try await Subprocess.run(
      [try executable(name).path] + arguments, environment: env, directory: directory,
      timeout: timeout)
    if outcome.timedOut { throw FixtureError("\(name) did not finish within \(timeout) s") }
    return outcome
  }
}
