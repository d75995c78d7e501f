// swift-tools-version:6.2
// Hark's benchmarks: executables that print figures (and a peer's figures in the same run); they assert nothing.
// A package of their own, so that building Hark and running its tests does not build them:
//
//     swift build --package-path Benchmarks -c release --product RealVoiceBench
//     Benchmarks/.build/release/RealVoiceBench        # run from the repository's root, as every benchmark
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// A module of Hark's own package.
func hark(_ module: String) -> Target.Dependency { .product(name: module, package: "Hark") }

let package = Package(
    name: "HarkBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Hark", path: ".."),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Running the python peers (pocketsphinx 5, hassil) from the benchmarks.
        .target(name: "BenchmarkPeers", path: "BenchmarkPeers", exclude: ["peer_pocketsphinx5.py"], swiftSettings: strict),
        .executableTarget(
            name: "UnderstandingBench", dependencies: [hark("HarkUnderstanding")], path: "UnderstandingBench",
            swiftSettings: strict),
        .executableTarget(
            name: "SpeechBench", dependencies: [hark("HarkSpeech"), hark("HarkAudio"), "BenchmarkPeers"],
            path: "SpeechBench", swiftSettings: strict),
        .executableTarget(
            name: "VoiceBench",
            dependencies: [
                hark("HarkVoice"), hark("HarkRuntime"), hark("HarkSpeech"), hark("HarkAudio"), hark("HarkAssistant"),
                hark("HarkUnderstanding"), hark("HarkSkillKit"), "BenchmarkPeers",
            ],
            path: "VoiceBench", swiftSettings: strict),
        .executableTarget(
            name: "RealVoiceBench",
            dependencies: [
                hark("HarkAudio"), hark("HarkSpeech"), hark("HarkUnderstanding"), hark("HarkVoice"), "BenchmarkPeers",
            ],
            path: "RealVoiceBench", exclude: ["peer_kws.py"], swiftSettings: strict),
        .executableTarget(
            name: "HABench",
            dependencies: [
                hark("SmartHomeSkill"), hark("HarkAssistant"), hark("HarkSkillKit"), hark("HarkUnderstanding"),
            ],
            path: "HABench", exclude: ["hassil_bench.py"], swiftSettings: strict),
        .executableTarget(
            name: "SLURPBench",
            dependencies: [
                hark("HarkRuntime"), hark("HarkAssistant"), hark("HarkUnderstanding"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "SLURPBench", exclude: ["hassil_slurp.py"], swiftSettings: strict),
        .executableTarget(
            name: "ServeLoadBench",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "ServeLoadBench", swiftSettings: strict),
        .executableTarget(
            name: "RepurchaseBench", dependencies: [hark("ShoppingSkill"), hark("HarkUnderstanding")],
            path: "RepurchaseBench", swiftSettings: strict),
        .executableTarget(
            name: "WakeBench",
            dependencies: [hark("HarkVoice"), hark("HarkRuntime"), hark("HarkSpeech"), hark("HarkAudio")],
            path: "WakeBench", exclude: ["keyphrase_spotting.py"], swiftSettings: strict),
    ]
)
