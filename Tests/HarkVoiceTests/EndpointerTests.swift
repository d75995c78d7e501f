import HarkAudio
import HarkSpeech
import Testing

@testable import HarkVoice

/// The endpointer on signals with known speech boundaries.
@Suite struct EndpointerTests {
    /// A deterministic noise source.
    struct Noise {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    /// `silence` seconds, then a speech-like burst (a 300 Hz tone with a 4 Hz syllable envelope) of
    /// `speech` seconds, then `after` seconds; steady white noise at `noiseDBFS` throughout.
    static func signal(silence: Double, speech: Double, after: Double, noiseDBFS: Double, speechDBFS: Double = -18)
        -> [Int16]
    {
        var noise = Noise(state: 42)
        let noiseAmp = pow(10, noiseDBFS / 20) * 32768 * 1.7
        let speechAmp = pow(10, speechDBFS / 20) * 32768 * 1.41
        let total = Int((silence + speech + after) * 16_000)
        return (0..<total).map { i in
            let t = Double(i) / 16_000
            var v = noise.next() * noiseAmp
            if t >= silence && t < silence + speech {
                let envelope = 0.6 + 0.4 * sin(2 * .pi * 4 * (t - silence))
                v += speechAmp * envelope * sin(2 * .pi * 300 * t)
            }
            return Int16(max(-32768, min(32767, v)))
        }
    }

    static func run(
        _ samples: [Int16], settings: EndpointerSettings = EndpointerSettings(), streaming: Bool = false,
        chunk: Int = 1600
    ) -> [Endpointer.Event] {
        var endpointer = Endpointer(settings: settings, streamsSpeech: streaming)
        var events: [Endpointer.Event] = []
        var offset = 0
        while offset < samples.count {  // 100 ms chunks, as the microphone delivers them
            let end = min(samples.count, offset + chunk)
            events += endpointer.process(
                AudioChunk(samples: Array(samples[offset..<end]), format: .speech, timestamp: Double(offset) / 16_000))
            offset = end
        }
        if let last = endpointer.finish() { events.append(last) }
        return events
    }

    static func utterances(_ events: [Endpointer.Event]) -> [Endpointer.Utterance] {
        events.compactMap { if case .utterance(let u) = $0 { u } else { nil } }
    }

    @Test(arguments: [-70.0, -45.0, -35.0])
    func findsSpeechInSteadyNoise(noise: Double) {
        let events = Self.run(Self.signal(silence: 1.0, speech: 1.5, after: 1.5, noiseDBFS: noise))
        let found = Self.utterances(events)
        #expect(found.count == 1)
        guard let u = found.first else { return }
        #expect(abs(u.speechStart - 1.0) < 0.1, "start \(u.speechStart)")
        #expect(abs(u.speechEnd - 2.5) < 0.15, "end \(u.speechEnd)")
        #expect(!u.truncated)
        // The audio keeps the pre-roll before speech and a little silence after it.
        #expect(u.audio.timestamp < u.speechStart - 0.2)
        #expect(u.audio.timestamp + u.audio.duration > u.speechEnd)
    }

    @Test func theUtteranceEndsWithinTheSilenceWindow() {
        var settings = EndpointerSettings()
        settings.silenceWindow = 0.3
        var endpointer = Endpointer(settings: settings)
        let samples = Self.signal(silence: 0.5, speech: 1.0, after: 2.0, noiseDBFS: -60)
        var endedAt: Double?
        var offset = 0
        while offset < samples.count, endedAt == nil {
            let end = min(samples.count, offset + 320)
            let events = endpointer.process(
                AudioChunk(samples: Array(samples[offset..<end]), format: .speech, timestamp: Double(offset) / 16_000))
            if events.contains(where: { if case .utterance = $0 { true } else { false } }) { endedAt = Double(end) / 16_000 }
            offset = end
        }
        let ended = try? #require(endedAt)
        #expect(ended.map { $0 - 1.5 <= 0.3 + 0.05 } == true, "ended at \(String(describing: endedAt))")
    }

    @Test func shortClicksAndSilenceAreNotSpeech() {
        #expect(Self.utterances(Self.run(Self.signal(silence: 1, speech: 0.08, after: 1, noiseDBFS: -60))).isEmpty)
        #expect(Self.utterances(Self.run([Int16](repeating: 0, count: 48_000))).isEmpty)
        #expect(Self.utterances(Self.run(Self.signal(silence: 3, speech: 0, after: 0, noiseDBFS: -30))).isEmpty)
    }

    @Test func longSpeechIsCutAtTheMaximum() {
        var settings = EndpointerSettings()
        settings.maxUtterance = 2
        let found = Self.utterances(Self.run(Self.signal(silence: 0.5, speech: 5, after: 1, noiseDBFS: -60), settings: settings))
        #expect(found.first?.truncated == true)
        #expect((found.first?.audio.duration ?? 0) <= 2.05)
    }

    /// What a streaming recognizer is fed: the audio handed out while the utterance was open is exactly the start of
    /// the utterance's audio, and only the last bit of it is left for the end-point.
    @Test(arguments: [(0.5, 1600), (0.3, 320), (0.8, 999), (0.1, 1600)])
    func streamingHandsOutTheUtterancesAudioAsItComes(silenceWindow: Double, chunk: Int) {
        var settings = EndpointerSettings()
        settings.silenceWindow = silenceWindow
        let one = Self.signal(silence: 0.5, speech: 1.2, after: 1.0, noiseDBFS: -45)
        let events = Self.run(one + one, settings: settings, streaming: true, chunk: chunk)
        var handedOut: [Int16] = []
        var open = false
        var utterances = 0
        for event in events {
            switch event {
            case .speechStarted:
                #expect(!open)
                open = true
                handedOut = []
            case .speechAudio(let audio):
                #expect(open)
                handedOut += audio.samples
            case .speechDiscarded:
                Issue.record("a 1.2 s burst was discarded")
            case .utterance(let utterance):
                #expect(open)
                open = false
                utterances += 1
                #expect(utterance.streamedSamples == handedOut.count)
                #expect(Array(utterance.audio.samples.prefix(handedOut.count)) == handedOut)
                // Left for the end-point: at most the trailing silence kept and one 20 ms frame.
                let left = utterance.audio.samples.count - handedOut.count
                #expect(left <= Int((Endpointer.trailingSilence + 0.02) * 16_000), "left \(left)")
            }
        }
        #expect(utterances == 2)
        // Without streaming, the same utterances and none of the streaming events.
        let plain = Self.run(one + one, settings: settings)
        #expect(Self.utterances(plain).map(\.audio) == Self.utterances(events).map(\.audio))
        #expect(!plain.contains { if case .speechAudio = $0 { true } else { $0 == .speechDiscarded } })
    }

    @Test func streamingSaysWhenStartedSpeechWasTooShort() {
        let events = Self.run(
            Self.signal(silence: 1, speech: 0.12, after: 1, noiseDBFS: -60), streaming: true)
        #expect(events.first.map { if case .speechStarted = $0 { true } else { false } } == true, "\(events)")
        #expect(events.last == .speechDiscarded)
        #expect(Self.utterances(events).isEmpty)
    }

    @Test func aRecordingThatStartsOnTheFirstWordHasSpeech() async throws {
        let spoken = try await Synthesizer.shared.synthesizeForRecognition("add milk", voice: Voice(name: "en-us"))
        // Cut tight: the recording starts on the first word (eSpeak's own lead-in dropped).
        let first = try #require(spoken.samples.firstIndex { abs(Int($0)) > 500 })
        let tight = AudioChunk(samples: Array(spoken.samples[first...]), format: .speech)
        let found = Endpointer.speechSpan(of: tight)?.duration ?? 0
        #expect(found > tight.duration * 0.8, "\(found) s of speech found in \(tight.duration) s of \"add milk\"")
        let silence = AudioChunk(samples: [Int16](repeating: 0, count: 16_000), format: .speech)
        #expect(Endpointer.speechSpan(of: silence) == nil)
        let hum = AudioChunk(samples: Self.signal(silence: 2, speech: 0, after: 0, noiseDBFS: -40), format: .speech)
        #expect(Endpointer.speechSpan(of: hum) == nil)
    }

    /// A sentence in noise whose syllables rise 14 dB above the noise and fall back into it between them, as a
    /// person's order does in a kitchen: the quiet stretches are not background. While they raised the noise floor,
    /// the syllables stopped standing out after about a second and the order was cut off there.
    @Test func quietStretchesInsideAnUtteranceDoNotRaiseTheNoiseFloor() {
        let (silence, speech) = (1.0, 3.0)
        let samples = Self.signal(silence: silence, speech: speech, after: 1.5, noiseDBFS: -40, speechDBFS: -26)
        let found = Self.utterances(Self.run(samples))
        #expect(found.count == 1)
        let end = found.last?.speechEnd ?? 0
        #expect(abs(end - (silence + speech)) < 0.15, "speech heard until \(end) s of \(silence + speech) s")
    }

    @Test func twoUtterancesWithAPauseBetweenAreTwo() {
        let one = Self.signal(silence: 0.5, speech: 0.8, after: 1.0, noiseDBFS: -60)
        let found = Self.utterances(Self.run(one + one))
        #expect(found.count == 2)
    }
}

import Foundation
