import Foundation

/// Runs the `git` command for the little zen-do asks of it (a remote's URL, the user's name).
public enum Git {
  /// The trimmed standard output of `git -C folder ARGUMENTS`; nil when git is missing, fails,
  /// or prints nothing.
  public static func output(_ arguments: [String], in folder: URL) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", folder.path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return nil
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let text = String(decoding: data, as: UTF8.self).trimmed
    return text.isEmpty ? nil : text
  }
}
