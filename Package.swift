// swift-tools-version:6.2
// Hark: an offline, Echo-like voice-assistant runtime for Linux.
//
// The package graph is the architecture: C modules at the bottom (one per C library), the pure-Swift
// engines above them (audio, speech, understanding), the skill SDK beside them, the runtime above
// those, and the `hark` command on top.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// What a skill's tests import besides the skill: the testing module and the SDK types its answers are made of.
let skillTesting: [Target.Dependency] = ["HarkSkillTesting", "HarkAssistant", "HarkSkillKit", "HarkUnderstanding"]

let package = Package(
    name: "Hark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hark", targets: ["hark"]),
        .library(name: "HarkSkillKit", targets: ["HarkSkillKit"]),
        .library(name: "HarkSkillTesting", targets: ["HarkSkillTesting"]),
        // The engines and the runtime, for the benchmarks (their own package, `Benchmarks/Package.swift`, so that
        // building Hark and running its tests does not build them).
        .library(name: "HarkAudio", targets: ["HarkAudio"]),
        .library(name: "HarkSpeech", targets: ["HarkSpeech"]),
        .library(name: "HarkUnderstanding", targets: ["HarkUnderstanding"]),
        .library(name: "HarkAssistant", targets: ["HarkAssistant"]),
        .library(name: "HarkVoice", targets: ["HarkVoice"]),
        .library(name: "HarkRuntime", targets: ["HarkRuntime"]),
        .library(name: "SmartHomeSkill", targets: ["SmartHomeSkill"]),
        .library(name: "ShoppingSkill", targets: ["ShoppingSkill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C libraries, each behind one systemLibrary module.
        .systemLibrary(
            name: "CPocketSphinx", pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "pocketsphinx-en-us"])]),
        .systemLibrary(
            name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev", "espeak-ng"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),

        // Engines.
        .target(name: "HarkAudio", dependencies: ["CALSA"], swiftSettings: strict),
        .target(name: "HarkSpeech", dependencies: ["HarkAudio", "CPocketSphinx", "CEspeakNG"], swiftSettings: strict),
        .target(
            name: "HarkUnderstanding", dependencies: [.product(name: "Yams", package: "Yams")],
            exclude: ["TEMPLATES.md"], swiftSettings: strict),

        // The skill SDK (small: no audio, no C, no servers) and its testing module.
        .target(
            name: "HarkSkillKit",
            dependencies: [
                "HarkUnderstanding", .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        .target(name: "HarkSkillTesting", dependencies: ["HarkSkillKit", "HarkAssistant"], swiftSettings: strict),

        // The text-mode brain: skills, dialog, sessions, storage.
        .target(
            name: "HarkAssistant",
            dependencies: [
                "HarkSkillKit", "HarkUnderstanding", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/hark")],
            swiftSettings: strict),

        // Built-in skills: each a folder under Skills/ with its data (skill.yaml, intents/, responses/,
        // tests/, data/) as resources, and the examples third-party authors copy.
        skill(
            "ShoppingSkill", folder: "Shopping",
            dependencies: [
                "HarkUnderstanding", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            vocabulary: true),
        skill(
            "RecipesSkill", folder: "Recipes", dependencies: [.product(name: "Yams", package: "Yams")], vocabulary: true),
        skill(
            "WeatherSkill", folder: "Weather",
            dependencies: [
                "HarkUnderstanding", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            vocabulary: true),
        skill(
            "ClockSkill", folder: "Clock",
            dependencies: ["HarkUnderstanding", .product(name: "GRDB", package: "GRDB.swift")], vocabulary: true),
        skill(
            "SmartHomeSkill", folder: "SmartHome",
            dependencies: [
                "CMosquitto", "HarkUnderstanding", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]),

        // Third-party skills: exec and http hosts, skills directories, authoring tools.
        .target(
            name: "HarkSkillHost",
            dependencies: [
                "HarkSkillKit", "HarkAssistant", "HarkUnderstanding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The voice loop: endpointing, wake phrase, recognition built from the skills' sentences.
        .target(
            name: "HarkVoice",
            dependencies: [
                "HarkAudio", "HarkSpeech", "HarkUnderstanding", "HarkAssistant",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The runtime: configuration, state, the pipeline that joins the engines.
        .target(
            name: "HarkRuntime",
            dependencies: [
                "HarkSpeech", "HarkAssistant", "HarkSkillKit", "HarkSkillHost",
                "ShoppingSkill", "RecipesSkill", "WeatherSkill", "SmartHomeSkill", "ClockSkill",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),

        // Home Assistant's voice protocol: the Wyoming event codec, server and satellite hub.
        .target(
            name: "HarkWyoming",
            dependencies: [
                "HarkAudio", "HarkSpeech", "HarkUnderstanding", "HarkAssistant", "HarkSkillKit", "HarkVoice",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),

        // `hark serve`'s HTTP API (Hummingbird), its metrics (swift-metrics, Prometheus) and its settings.
        .target(
            name: "HarkServe",
            dependencies: [
                "HarkAudio", "HarkSpeech", "HarkAssistant", "HarkRuntime", "HarkVoice", "HarkSkillHost",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The CLI.
        .executableTarget(
            name: "hark",
            dependencies: [
                "HarkAudio", "HarkSpeech", "HarkAssistant", "HarkSkillKit", "HarkRuntime", "HarkSkillHost", "HarkVoice",
                "HarkServe", "HarkWyoming", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // Tests.
        .testTarget(name: "HarkAudioTests", dependencies: ["HarkAudio"], swiftSettings: strict),
        .testTarget(name: "HarkSpeechTests", dependencies: ["HarkSpeech", "HarkAudio"], swiftSettings: strict),
        .testTarget(name: "HarkUnderstandingTests", dependencies: ["HarkUnderstanding"], swiftSettings: strict),
        .testTarget(
            name: "HarkAssistantTests", dependencies: ["HarkAssistant", "HarkSkillTesting", "HarkSkillKit"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "ShoppingSkillTests",
            dependencies: ["ShoppingSkill"] + skillTesting + [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "RecipesSkillTests", dependencies: ["RecipesSkill"] + skillTesting,
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "WeatherSkillTests",
            // ShoppingSkill and ClockSkill: product advice asks the weather skill, and the morning briefing has the
            // weather's line with theirs; both are tested against the fixture server here.
            dependencies: ["WeatherSkill", "ShoppingSkill", "ClockSkill"] + skillTesting + [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "ClockSkillTests",
            dependencies: ["ClockSkill"] + skillTesting + [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "SmartHomeSkillTests",
            dependencies: ["SmartHomeSkill"] + skillTesting + [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "HarkSkillHostTests",
            dependencies: ["HarkSkillHost"] + skillTesting + [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "HarkVoiceTests",
            dependencies: [
                "HarkVoice", "HarkAudio", "HarkSpeech", "HarkAssistant", "HarkUnderstanding", "HarkSkillKit",
                "ClockSkill",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "HarkCLITests",
            dependencies: [
                "hark", "HarkAudio", "HarkUnderstanding", "HarkVoice", .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "HarkWyomingTests",
            dependencies: [
                "HarkWyoming", "HarkAudio", "HarkSkillKit", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "HarkRuntimeTests",
            dependencies: ["HarkRuntime", "HarkAssistant", "HarkSkillKit", "HarkUnderstanding"], swiftSettings: strict),
    ]
)

/// A built-in skill target: Swift sources at the folder's top, its YAML and data copied as resources; with
/// `vocabulary`, its `vocabulary/` folder too (what its wildcard slots may be heard as).
func skill(_ name: String, folder: String, dependencies: [Target.Dependency] = [], vocabulary: Bool = false) -> Target {
    .target(
        name: name, dependencies: ["HarkSkillKit"] + dependencies, path: "Skills/\(folder)",
        resources: [.copy("skill.yaml"), .copy("intents"), .copy("responses"), .copy("tests"), .copy("data")]
            + (vocabulary ? [.copy("vocabulary")] : []),
        swiftSettings: strict)
}
