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
    // Markdown to HTML for [zen-do].description_file.
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
        .product(name: "Ink", package: "Ink"),
      ]
    ),

    // libsecret through pkg-config, kept apart so the rest builds without it.
    .systemLibrary(
      name: "CLibsecret",
      pkgConfig: "libsecret-1",
      providers: [.apt(["libsecret-1-dev"])]
    ),
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
      dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")]
    ),

    .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
    .testTarget(name: "ZenDoTests", dependencies: ["ZenDo", "TOML"]),
    .testTarget(
      name: "ZenodoEmulatorTests",
      dependencies: ["ZenodoEmulator", "zenodo-emulator", "EmulatorTestSupport"]
    ),
    .testTarget(name: "KeyringTests", dependencies: ["ZenDoKeyring", "ZenDo", "zen-do"]),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["ZenDo", "zen-do", "zenodo-emulator", "EmulatorTestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
