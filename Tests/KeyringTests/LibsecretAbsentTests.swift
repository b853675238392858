import Foundation
import TestSupport
import Testing

/// The built `zen-do` does not link libsecret or GLib: it loads them with `dlopen` only when the
/// keyring is used. The binary run with libsecret hidden from the loader (an overlay in a
/// private mount namespace) and in a root filesystem without it is tested by
/// `scripts/test-fresh-machine`, outside this process: `unshare` children beside the keyring
/// tests here made their private buses miss their 10 s start-up limits.
@Suite struct LibsecretAbsentTests {
  @Test func theBinaryDoesNotLinkLibsecret() async throws {
    let needed = try await Subprocess.run(
      ["ldd", try BuiltProducts.executable("zen-do").path], environment: ["PATH": "/usr/bin:/bin"],
      timeout: 10)
    #expect(needed.status == 0, "\(needed.stderr)")
    #expect(needed.stdout.contains("libc.so"), "ldd printed: \(needed.stdout)")
    #expect(!needed.stdout.contains("libsecret"), "ldd printed: \(needed.stdout)")
    #expect(!needed.stdout.contains("libglib"), "ldd printed: \(needed.stdout)")
  }
}
