import HarkAudio
import HarkSpeech

/// Sentences, grammars and shared recognizers for the speech tests (one decoder per grammar, reused).
enum SpeechFixtures {
    /// The 40 home commands.
    static let commands = HomeCommands.all
    /// Sentences that no command grammar contains.
    static let outOfGrammar = HomeCommands.outOfGrammar

    /// A JSGF grammar whose one public rule is exactly `sentences`.
    static func grammar(_ sentences: [String], name: String = "commands") -> String {
        "#JSGF V1.0;\ngrammar \(name);\n\npublic <command> =\n      " + sentences.joined(separator: "\n    | ") + ";\n"
    }

    /// A recognizer for all 40 commands, shared by the tests that decode with that grammar.
    static let commandRecognizer = Result { try Recognizer(grammar: .jsgf(grammar(commands), name: "commands")) }

    /// The voices of the round trip: eSpeak's default US voice, and a female variant spoken slower.
    static let voices = [Voice(name: "en-us"), Voice(name: "en-us+f2", rate: 160)]

    /// Speech for recognition, synthesised once per sentence and voice and shared by the tests.
    static let clips = ClipCache()

    /// `seconds` of digital silence at 16 kHz.
    static func silence(seconds: Double) -> AudioChunk {
        AudioChunk(samples: [Int16](repeating: 0, count: Int(seconds * 16_000)), format: .speech)
    }

    /// Reproducible white noise at 16 kHz with the given peak amplitude.
    static func noise(seconds: Double, amplitude: Int16) -> AudioChunk {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let samples = (0..<Int(seconds * 16_000)).map { _ -> Int16 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int16(truncatingIfNeeded: Int(state >> 33) % (2 * Int(amplitude) + 1) - Int(amplitude))
        }
        return AudioChunk(samples: samples, format: .speech)
    }

    /// Splits a chunk into pieces of `samples` samples with their timestamps.
    static func pieces(of chunk: AudioChunk, samples: Int) -> [AudioChunk] {
        stride(from: 0, to: chunk.samples.count, by: samples).map { start in
            let end = min(chunk.samples.count, start + samples)
            return AudioChunk(
                samples: Array(chunk.samples[start..<end]), format: chunk.format,
                timestamp: chunk.timestamp + Double(start) / Double(chunk.format.sampleRate))
        }
    }
}

/// Synthesised 16 kHz clips by sentence and voice (synthesis and conversion are most of a debug test's time).
actor ClipCache {
    private var clips: [String: AudioChunk] = [:]

    func clip(_ sentence: String, voice: Voice = Voice()) async throws -> AudioChunk {
        let key = "\(voice.name) \(voice.rate) \(voice.pitch): \(sentence)"
        if let clip = clips[key] { return clip }
        let clip = try await Synthesizer.shared.synthesizeForRecognition(sentence, voice: voice)
        clips[key] = clip
        return clip
    }
}
