import Foundation
import Testing

/// The built `zen-do` on a machine without libsecret: the library is hidden from the loader
/// (an overlay with a whiteout for `libsecret-1.so.0` over its folder, in a private mount
/// namespace of `unshare --mount`, so only the child sees it gone), while a real keyring on a
/// private bus holds a token. zen-do must start, say that the keyring library is not
/// installed and take the token from the environment. Needs root, as `scripts/test` runs.
@Suite struct LibsecretAbsentTests {
  /// The folder the loader finds `libsecret-1.so.0` in, from the loader's cache.
  static func libsecretFolder() async throws -> String {
    let cache = try await Subprocess.run(
      ["ldconfig", "-p"], environment: ["PATH": "/usr/sbin:/sbin:/usr/bin:/bin"], timeout: 10)
    guard
      let line = cache.stdout.split(separator: "\n").first(where: {
        $0.contains("libsecret-1.so.0 ") && $0.contains("x86-64") == ProcessInfo.isX86
      }),
      let path = line.split(separator: "=>").last?.trimmingCharacters(in: .whitespaces)
    else { throw FixtureError("ldconfig -p lists no libsecret-1.so.0; run scripts/install-deps") }
    return URL(fileURLWithPath: path).deletingLastPathComponent().path
  }

  /// Runs the built zen-do with `arguments` where libsecret cannot be loaded.
  func zenDoWithoutLibsecret(
    _ arguments: [String], environment: [String: String], input: String? = nil
  ) async throws -> ProcessOutcome {
    let folder = try await Self.libsecretFolder()
    let scratch = try Subprocess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    // The child mounts the overlay in its own mount namespace, checks that the library is
    // gone from its view, then becomes zen-do. Upper and work folders on a tmpfs: an overlay
    // cannot have them on another overlay (a container's root).
    let script = """
      set -e
      mount -t tmpfs tmpfs "$1"
      mkdir "$1/upper" "$1/work"
      mknod "$1/upper/libsecret-1.so.0" c 0 0
      mount -t overlay overlay -o "lowerdir=$2,upperdir=$1/upper,workdir=$1/work" "$2"
      if [ -e "$2/libsecret-1.so.0" ]; then echo "libsecret still visible" >&2; exit 97; fi
      shift 2
      exec "$@"
      """
    let zenDo = try Subprocess.zenDoExecutable()
    return try await Subprocess.run(
      [
        "unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", scratch.path,
        folder, zenDo,
      ] + arguments,
      environment: environment.merging(
        ["PATH": "/usr/sbin:/sbin:/usr/bin:/bin"], uniquingKeysWith: { _, path in path }),
      input: input, timeout: 30)
  }

  /// One keyring for both commands: each private keyring is two daemons, and the suite runs
  /// beside the other keyring tests.
  @Test func statusFallsBackToTheEnvironmentAndSetSaysWhatToDo() async throws {
    let keyring = try await PrivateKeyring()
    defer { keyring.stop() }
    let stored = "kr-\(UUID().uuidString)"
    let inEnvironment = "env-\(UUID().uuidString)"
    // With libsecret present the keyring holds a token, and would win over the environment.
    let set = try await Subprocess.run(
      [try Subprocess.zenDoExecutable(), "token", "set"], environment: keyring.environment,
      input: stored, timeout: 30)
    #expect(set.status == 0, "\(set.stderr)")
    var env = keyring.environment
    env["ZENODO_TOKEN"] = inEnvironment
    let present = try await Subprocess.run(
      [try Subprocess.zenDoExecutable(), "token", "status"], environment: env, timeout: 30)
    #expect(present.stdout == "ZENODO_TOKEN: keyring\n")

    let absent = try await zenDoWithoutLibsecret(
      ["token", "status", "--verbose"], environment: env)
    #expect(absent.status == 0, "\(absent.stderr)")
    #expect(absent.stdout == "ZENODO_TOKEN: environment\n", "\(absent.stderr)")
    #expect(absent.stderr.contains("keyring: not usable"), "\(absent.stderr)")
    #expect(absent.stderr.contains("the keyring library libsecret is not installed"))
    #expect(absent.stderr.contains("libsecret-1.so.0: cannot open shared object file"))
    #expect(!absent.reveals(stored) && !absent.reveals(inEnvironment))

    // `set` has nothing to fall back to: it fails, says what to do, and stores nothing.
    let other = "set-\(UUID().uuidString)"
    let refused = try await zenDoWithoutLibsecret(
      ["token", "set", "--sandbox"], environment: keyring.environment, input: other)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("the keyring library libsecret is not installed"),
      "\(refused.stderr)")
    #expect(refused.stderr.contains("set the ZENODO_SANDBOX_TOKEN environment variable instead"))
    #expect(!refused.reveals(other))
    let sandbox = try await Subprocess.run(
      [try Subprocess.zenDoExecutable(), "token", "status", "--sandbox"],
      environment: keyring.environment, timeout: 30)
    #expect(sandbox.stdout == "ZENODO_SANDBOX_TOKEN: none\n")
  }

  @Test func theBinaryDoesNotLinkLibsecret() async throws {
    let needed = try await Subprocess.run(
      ["ldd", try Subprocess.zenDoExecutable()], environment: ["PATH": "/usr/bin:/bin"],
      timeout: 10)
    #expect(needed.status == 0, "\(needed.stderr)")
    #expect(needed.stdout.contains("libc.so"), "ldd printed: \(needed.stdout)")
    #expect(!needed.stdout.contains("libsecret"), "ldd printed: \(needed.stdout)")
    #expect(!needed.stdout.contains("libglib"), "ldd printed: \(needed.stdout)")
  }
}

extension ProcessInfo {
  /// Whether this process runs on x86-64, to pick the matching entry of the loader's cache.
  fileprivate static var isX86: Bool {
    #if arch(x86_64)
      true
    #else
      false
    #endif
  }
}
