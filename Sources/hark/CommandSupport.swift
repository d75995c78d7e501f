import Foundation
import HarkRuntime
import HarkSpeech

/// Options shared by the commands that load configuration and speech models.
struct ModelOptions: ParsableArguments {
    @Option(help: "PocketSphinx acoustic model folder (default: from config, else the Debian package's).")
    var acousticModel: String?
    @Option(help: "Pronunciation dictionary file.")
    var dictionary: String?
    @Option(help: "Generic language model file (used without --grammar).")
    var languageModel: String?

    /// The configuration file's settings with these flags applied on top.
    func configuration() throws -> HarkConfiguration {
        var config = try HarkConfiguration.load(path: HarkPaths.fromEnvironment().configFile)
        if let acousticModel { config.speechModels.acousticModel = acousticModel }
        if let dictionary { config.speechModels.dictionary = dictionary }
        if let languageModel { config.speechModels.languageModel = languageModel }
        return config
    }
}

/// Writes a value as one line of sorted-key JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Milliseconds elapsed since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Double { milliseconds(ContinuousClock.now - start) }

/// A duration in milliseconds.
func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

import ArgumentParser
