import HarkAudio
import HarkSpeech
import Testing

/// Streaming gives the same transcript as whole-utterance decoding, whatever the chunk size and whatever was
/// decoded before; silence gives ""; unusable audio and out-of-order calls give errors.
@Suite struct StreamingTests {
    /// Streams span several calls, so streaming tests use their own recognizers, not the shared one.
    static func ownRecognizer() throws -> Recognizer {
        try Recognizer(grammar: .jsgf(SpeechFixtures.grammar(SpeechFixtures.commands), name: "commands"))
    }

    static let sentences = ["set the thermostat to seventy two degrees", "what is the weather tomorrow", "good night"]

    func stream(_ audio: AudioChunk, pieceSamples: Int, with recognizer: Recognizer) async throws
        -> (Transcript, [String?])
    {
        try await recognizer.startUtterance()
        var partials: [String?] = []
        for piece in SpeechFixtures.pieces(of: audio, samples: pieceSamples) {
            partials.append(try await recognizer.feed(piece))
        }
        return (try await recognizer.endUtterance(), partials)
    }

    /// Everything but the wall-clock time.
    func same(_ a: Transcript, _ b: Transcript) -> Bool {
        var b = b
        b.decodeMilliseconds = a.decodeMilliseconds
        return a == b
    }

    @Test func streamingIn100MillisecondChunksEqualsWholeUtterance() async throws {
        let recognizer = try Self.ownRecognizer()
        for sentence in Self.sentences {
            let audio = try await SpeechFixtures.clips.clip(sentence, voice: Voice(name: "en-us+f2"))
            let whole = try await recognizer.transcribe(audio)
            let (streamed, partials) = try await stream(audio, pieceSamples: 1_600, with: recognizer)
            #expect(same(whole, streamed), "\(whole) vs \(streamed)")
            #expect(whole.text == sentence)
            // Partial hypotheses start once a second of audio has arrived (the cepstral-mean estimate).
            if audio.duration > 1.2 { #expect(partials.contains { $0 != nil }, "\(partials)") }
            #expect(partials.prefix(9).allSatisfy { $0 == nil })
            // Odd chunk sizes too: audio reaches PocketSphinx in fixed blocks.
            let (odd, _) = try await stream(audio, pieceSamples: 593, with: recognizer)
            #expect(same(whole, odd))
        }
    }

    @Test func resultsDoNotDependOnWhatWasDecodedBefore() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        let first = try await SpeechFixtures.clips.clip("turn on the kitchen light")
        let other = try await SpeechFixtures.clips.clip("add milk to my shopping list")
        let fresh = try Self.ownRecognizer()
        let once = try await fresh.transcribe(first)
        _ = try await recognizer.transcribe(other)
        let afterOther = try await recognizer.transcribe(first)
        _ = try await recognizer.transcribe(first)
        let afterItself = try await recognizer.transcribe(first)
        #expect(same(once, afterOther))
        #expect(same(once, afterItself))
    }

    @Test func skippingTheConfidenceKeepsTheTextAndSaysSo() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        let audio = try await SpeechFixtures.clips.clip("what is the weather tomorrow")
        let rated = try await recognizer.transcribe(audio)
        let unrated = try await recognizer.transcribe(audio, rateConfidence: false)
        #expect(rated.isConfidenceRated && rated.confidence > 0.5)
        #expect(!unrated.isConfidenceRated && unrated.confidence == 0)
        #expect(unrated.text == rated.text && unrated.alternatives == rated.alternatives)
        #expect(unrated.words.map(\.word) == rated.words.map(\.word))
        #expect(unrated.words.allSatisfy { $0.confidence == nil })
    }

    @Test func audioInAnotherFormatIsConverted() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        let native = try await Synthesizer.shared.synthesize("cancel the timer")
        #expect(native.format.sampleRate == 22_050)
        let stereo = AudioChunk(
            samples: native.samples.flatMap { [$0, $0] }, format: AudioFormat(sampleRate: 22_050, channels: 2))
        #expect(try await recognizer.transcribe(native).text == "cancel the timer")
        #expect(try await recognizer.transcribe(stereo).text == "cancel the timer")
    }

    @Test func wordTimesCountFromTheChunkTimestamp() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        var audio = try await SpeechFixtures.clips.clip("stop the music")
        let plain = try await recognizer.transcribe(audio)
        audio.timestamp = 12.5
        let shifted = try await recognizer.transcribe(audio)
        #expect(shifted.words.count == plain.words.count)
        for (a, b) in zip(plain.words, shifted.words) {
            #expect(abs(b.start - a.start - 12.5) < 1e-9)
        }
        #expect(plain.words.first.map { $0.start < 0.3 } == true)
    }

    @Test(arguments: [
        ("silence", SpeechFixtures.silence(seconds: 2)),
        ("quiet noise", SpeechFixtures.noise(seconds: 2, amplitude: 300)),
        ("loud noise", SpeechFixtures.noise(seconds: 1.5, amplitude: 8_000)),
    ])
    func silenceAndNoiseGiveAnEmptyTranscript(name: String, audio: AudioChunk) async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        let transcript = try await recognizer.transcribe(audio)
        #expect(transcript.text == "", "\(name): \(transcript)")
        #expect(transcript.confidence == 0)
        #expect(transcript.words.isEmpty)
        #expect(abs(transcript.audioSeconds - audio.duration) < 1e-9)
    }

    @Test func unusableAudioIsAnError() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        let zeroRate = AudioChunk(samples: [1, 2, 3], format: AudioFormat(sampleRate: 0))
        let error = await #expect(throws: SpeechError.self) { try await recognizer.transcribe(zeroRate) }
        #expect(error?.code == .audioUnusable)
        #expect(error?.description.contains("sample rate is 0") == true)
        let empty = AudioChunk(samples: [], format: .speech)
        let emptyError = await #expect(throws: SpeechError.self) { try await recognizer.transcribe(empty) }
        #expect(emptyError?.code == .audioUnusable)
    }

    @Test func streamingCallsOutOfOrderAreErrors() async throws {
        let recognizer = try Recognizer(grammar: .jsgf(SpeechFixtures.grammar(["good night"]), name: "order"))
        let feedError = await #expect(throws: SpeechError.self) {
            try await recognizer.feed(SpeechFixtures.silence(seconds: 0.1))
        }
        #expect(feedError?.code == .utteranceState)
        await #expect(throws: SpeechError.self) { try await recognizer.endUtterance() }
        try await recognizer.startUtterance()
        await #expect(throws: SpeechError.self) { try await recognizer.startUtterance() }
        await #expect(throws: SpeechError.self) { try await recognizer.setGrammar(.languageModel) }
        let noAudio = await #expect(throws: SpeechError.self) { try await recognizer.endUtterance() }
        #expect(noAudio?.code == .audioUnusable)
        // The recognizer is usable again afterwards.
        let audio = try await SpeechFixtures.clips.clip("good night")
        #expect(try await recognizer.transcribe(audio).text == "good night")
    }

    @Test func anAbandonedStreamLeavesNoTrace() async throws {
        let recognizer = try Self.ownRecognizer()
        let audio = try await SpeechFixtures.clips.clip("what is the weather tomorrow", voice: Voice(name: "en-us+f2"))
        let before = try await recognizer.transcribe(audio)
        // A stream cut off midway (the endpointer dropped a cough, or the loop shut down), decoding and rating.
        let other = try await SpeechFixtures.clips.clip("set the thermostat to seventy two degrees")
        try await recognizer.startUtterance()
        for piece in SpeechFixtures.pieces(of: other, samples: 1_600).prefix(20) {
            _ = try await recognizer.feed(piece)
        }
        await recognizer.cancelUtterance()
        await recognizer.cancelUtterance()  // nothing open: nothing happens
        let (streamed, _) = try await stream(audio, pieceSamples: 1_600, with: recognizer)
        #expect(same(before, streamed), "\(before) vs \(streamed)")
        #expect(streamed.isConfidenceRated && streamed.confidence > 0.5)
        // Unrated streams say so.
        try await recognizer.startUtterance(rateConfidence: false)
        for piece in SpeechFixtures.pieces(of: audio, samples: 1_600) { _ = try await recognizer.feed(piece) }
        let unrated = try await recognizer.endUtterance()
        #expect(unrated.text == before.text && !unrated.isConfidenceRated && unrated.confidence == 0)
    }
}
