import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import HarkUnderstanding
import HarkVoice

/// One test sentence of a skill with its expected meaning.
struct CorpusSentence: Sendable {
    var skill: String
    var text: String
    var intent: String
    var slots: [String: SkillTestFile.ExpectedValue]
    /// The area the request comes from (tests of "in here"), if the test sets one.
    var area: String?
}

/// One recording of the corpus: a sentence said by one voice at one speed, in one noise condition.
struct CorpusClip: Sendable {
    var sentence: CorpusSentence
    var voice: String
    var rate: Int
    var noise: NoiseKind
    /// 16 kHz mono, with 0.4 s of silence (or noise) before and 0.8 s after the speech.
    var audio: AudioChunk
    /// Seconds of synthesised speech (without the padding).
    var speechSeconds: Double
}

/// The background a clip is mixed with.
enum NoiseKind: String, Sendable, CaseIterable {
    case clean, white, pink

    /// The condition the figures are reported under.
    var condition: Condition { self == .clean ? .clean : .noisy }
}

/// How figures are grouped: clean audio, and audio mixed with (white or pink) noise at the bench's SNR.
enum Condition: String, Sendable, CaseIterable {
    case clean, noisy

    func label(snr: Double) -> String { self == .clean ? "clean" : String(format: "%.0f dB SNR", snr) }
}

/// One sentence said by one voice at one speed (then mixed into each condition).
struct CorpusRecording: Sendable {
    var sentence: CorpusSentence
    var voice: String
    var rate: Int
}

/// Builds the benchmark corpus: sentences from the skills' `tests/en.yaml` (those with an intent), spoken by
/// eSpeak NG voices at two speeds, clean and mixed with noise at a signal-to-noise ratio.
enum SpokenCorpus {
    /// Sentences with an expected intent from every installed skill's tests file, `perSkill` of each (evenly
    /// spread over the file), skills in id order. With `heldOut`, the skill's other test sentences instead (those
    /// the evenly spread pick leaves out), `perSkill` of them, also evenly spread.
    static func sentences(skills: [InstalledSkill], perSkill: Int, heldOut: Bool = false) throws -> [CorpusSentence] {
        var result: [CorpusSentence] = []
        for skill in skills.sorted(by: { $0.id < $1.id }) {
            guard let path = skill.package.testsFile else { continue }
            let tests = try SkillTestFile.load(path: path).sentences.filter { $0.intent != nil }
            guard !tests.isEmpty else { continue }
            let picked = evenlySpread(Array(tests.indices), count: perSkill)
            let indices = heldOut
                ? evenlySpread(tests.indices.filter { !Set(picked).contains($0) }, count: perSkill) : picked
            for index in indices {
                let test = tests[index]
                result.append(
                    CorpusSentence(skill: skill.id, text: test.text, intent: test.intent!, slots: test.slots ?? [:],
                        area: test.area))
            }
        }
        return result
    }

    /// `count` elements spread evenly over `items` (all of them when there are fewer).
    static func evenlySpread(_ items: [Int], count: Int) -> [Int] {
        let step = max(1, items.count / max(1, count))
        return Array(stride(from: 0, to: items.count, by: step).prefix(count).map { items[$0] })
    }

    /// Every sentence × voice × speed, in that order.
    static func plan(sentences: [CorpusSentence], voices: [String], rates: [Int]) -> [CorpusRecording] {
        sentences.flatMap { sentence in
            voices.flatMap { voice in rates.map { CorpusRecording(sentence: sentence, voice: voice, rate: $0) } }
        }
    }

    /// The utterance the endpointer finds in a clip (from the first utterance's start to the last one's end; the
    /// whole clip when it finds none), as `hark run` hands it to the recognizer.
    static func endpointed(_ audio: AudioChunk) -> AudioChunk {
        guard let span = Endpointer.speechSpan(of: audio) else { return audio }
        return AudioChunk(samples: span.samples, format: span.format)
    }

    /// Speaks `sentence` with `voice` at `rate` words per minute, padded with silence, at 16 kHz.
    static func speak(_ text: String, voice: String, rate: Int, prefix: String? = nil) async throws
        -> (audio: AudioChunk, speechSeconds: Double)
    {
        var settings = Voice()
        settings.name = voice
        settings.rate = rate
        let spoken = try await Synthesizer.shared.synthesizeForRecognition(
            prefix.map { "\($0), \(text)" } ?? text, voice: settings)
        let before = [Int16](repeating: 0, count: 6_400)
        let after = [Int16](repeating: 0, count: 12_800)
        return (
            AudioChunk(samples: before + spoken.samples + after, format: spoken.format),
            Double(spoken.samples.count) / Double(spoken.format.sampleRate)
        )
    }

    /// Mixes noise into `audio` so that the speech (the samples louder than the padding) stands `snr` dB above it.
    static func mix(_ audio: AudioChunk, noise kind: NoiseKind, snr: Double, seed: UInt64) -> AudioChunk {
        guard kind != .clean else { return audio }
        let signal = audio.samples.map(Double.init)
        let speech = signal.filter { abs($0) > 0 }
        let signalPower = speech.reduce(0) { $0 + $1 * $1 } / Double(max(1, speech.count))
        var random = NoiseGenerator(seed: seed)
        var noise = (0..<signal.count).map { _ in kind == .white ? random.white() : random.pink() }
        let noisePower = noise.reduce(0) { $0 + $1 * $1 } / Double(max(1, noise.count))
        let scale = (signalPower / pow(10, snr / 10) / max(noisePower, 1e-12)).squareRoot()
        for index in noise.indices { noise[index] = signal[index] + noise[index] * scale }
        let samples = noise.map { Int16(max(-32_768, min(32_767, $0.rounded()))) }
        return AudioChunk(samples: samples, format: audio.format, timestamp: audio.timestamp)
    }
}

/// White and pink noise from a seeded generator (Hark's SplitMix64; pink by Paul Kellet's filter).
struct NoiseGenerator {
    private var random: SplitMix64
    private var b: [Double] = Array(repeating: 0, count: 7)

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Uniform in -1…1.
    mutating func white() -> Double { Double(random.next() >> 11) / Double(1 << 53) * 2 - 1 }

    mutating func pink() -> Double {
        let w = white()
        b[0] = 0.99886 * b[0] + w * 0.0555179
        b[1] = 0.99332 * b[1] + w * 0.0750759
        b[2] = 0.96900 * b[2] + w * 0.1538520
        b[3] = 0.86650 * b[3] + w * 0.3104856
        b[4] = 0.55000 * b[4] + w * 0.5329522
        b[5] = -0.7616 * b[5] - w * 0.0168980
        let pink = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w * 0.5362
        b[6] = w * 0.115926
        return pink
    }
}
