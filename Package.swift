// swift-tools-version:6.2
// Hark: an offline, Echo-like voice-assistant runtime for Linux.
//
// The package graph is the architecture: C modules at the bottom (one per C library), the pure-Swift
// engines above them (audio, speech, understanding), the skill SDK beside them, the runtime above
// those, and the `hark` command on top.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Hark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hark", targets: ["hark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, each behind one systemLibrary module.
        .systemLibrary(
            name: "CPocketSphinx", pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "pocketsphinx-en-us"])]),
        .systemLibrary(
            name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev", "espeak-ng"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),

        // Engines.
        .target(name: "HarkAudio", dependencies: ["CALSA"], swiftSettings: strict),
        .target(name: "HarkSpeech", dependencies: ["HarkAudio", "CPocketSphinx", "CEspeakNG"], swiftSettings: strict),
        .target(
            name: "HarkUnderstanding", dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict),

        // The CLI.
        .executableTarget(
            name: "hark",
            dependencies: [
                "HarkAudio", "HarkSpeech", "HarkUnderstanding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Benchmarks (executables that print figures).
        .executableTarget(
            name: "SpeechBench", dependencies: ["HarkSpeech", "HarkAudio"], path: "Benchmarks/SpeechBench",
            swiftSettings: strict),

        // Tests.
        .testTarget(name: "HarkAudioTests", dependencies: ["HarkAudio"], swiftSettings: strict),
        .testTarget(name: "HarkSpeechTests", dependencies: ["HarkSpeech", "HarkAudio"], swiftSettings: strict),
        .testTarget(name: "HarkUnderstandingTests", dependencies: ["HarkUnderstanding"], swiftSettings: strict),
        .testTarget(name: "HarkCLITests", dependencies: ["HarkAudio"], swiftSettings: strict),
    ]
)
