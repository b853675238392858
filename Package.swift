// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "zen-do",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "zen-do", targets: ["zen-do"]),
    .executable(name: "zenodo-emulator", targets: ["zenodo-emulator"]),
    .library(name: "ZenDo", targets: ["ZenDo"]),
    .library(name: "TOML", targets: ["TOML"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // YAML for CITATION.cff, with line and column marks on every node.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // Only for markdown-spec-bench, which measures Ink against cmark-gfm on the spec examples.
    .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
  ],
  targets: [
    // A TOML 1.0 parser and writer that keeps source positions and key order.
    .target(name: "TOML"),

    // The work: metadata model and validation, conversion, Zenodo client, sync.
    // Never prints, never exits.
    .target(
      name: "ZenDo",
      dependencies: [
        "TOML",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        "CCmarkGFM",
      ],
      exclude: ["Convert/CFF/Schema/LICENSE", "Convert/CFF/Schema/SOURCE.md"],
      // The Citation File Format 1.2.0 JSON schema, compiled into the library.
      resources: [.embedInCode("Convert/CFF/Schema/schema-1.2.0.json")]
    ),

    // cmark-gfm (GitHub's Markdown renderer) and its extensions, through pkg-config.
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),

    // The few libsecret and GLib declarations zen-do needs (no headers, no link): the keyring
    // loads libsecret-1.so.0 with dlopen, so the binary starts where libsecret is missing.
    .systemLibrary(name: "CLibsecret"),
    .target(name: "ZenDoKeyring", dependencies: ["CLibsecret", "ZenDo"]),

    // The thin command-line front end.
    .executableTarget(
      name: "zen-do",
      dependencies: [
        "ZenDo",
        "ZenDoKeyring",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // Numbers for scripts/bench-upload: zen-do's upload and MD5 paths, timed.
    .executableTarget(name: "upload-bench", dependencies: ["ZenDo"]),

    // Numbers for scripts/bench-markdown: Ink and cmark-gfm on the CommonMark and GFM spec examples.
    .executableTarget(
      name: "markdown-spec-bench",
      dependencies: ["ZenDo", .product(name: "Ink", package: "Ink")]
    ),

    // A local stand-in for zenodo.org: the InvenioRDM records API, with the legacy deposit API
    // as a view of the same store. Resources/vocabularies.json: see scripts/bundle-vocabularies.
    .target(
      name: "ZenodoEmulator",
      dependencies: [
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      resources: [.copy("Resources/vocabularies"), .process("Resources/legacy.json")]
    ),
    .executableTarget(
      name: "zenodo-emulator",
      dependencies: [
        "ZenodoEmulator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // Starts the built `zenodo-emulator` as a process for the emulator and end-to-end tests.
    .target(
      name: "EmulatorTestSupport",
      dependencies: [
        "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]
    ),

    // What every test target that runs processes shares: the process runner and the finder of
    // built executables.
    .target(name: "TestSupport", dependencies: ["ZenDo"]),

    .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
    .testTarget(name: "ZenDoTests", dependencies: ["ZenDo", "TOML", "TestSupport"]),
    .testTarget(
      name: "ZenodoEmulatorTests",
      dependencies: ["ZenodoEmulator", "zenodo-emulator", "EmulatorTestSupport", "TestSupport"]
    ),
    .testTarget(
      name: "KeyringTests", dependencies: ["ZenDoKeyring", "ZenDo", "zen-do", "TestSupport"]),
    // The commands in process, through CommandContext with fakes (Sources/zen-do).
    .testTarget(
      name: "ZenDoCommandTests", dependencies: ["ZenDo", "TOML", "zen-do", "TestSupport"]),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["ZenDo", "zen-do", "zenodo-emulator", "EmulatorTestSupport", "TestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
