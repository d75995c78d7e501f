import HarkAudio
import HarkSpeech
import Testing

/// eSpeak NG through the one shared synthesizer: formats, voices, SSML, phonemes, versions.
@Suite struct SynthesizerTests {
    let synthesizer = Synthesizer.shared

    @Test func synthesisHasTheEngineRateAndASensibleLength() async throws {
        #expect(await synthesizer.engineRate == 22_050)
        let audio = try await synthesizer.synthesize("turn on the kitchen light")
        #expect(audio.format == AudioFormat(sampleRate: 22_050, channels: 1))
        #expect((0.8...3).contains(audio.duration), "\(audio.duration)")
        #expect(audio.levelDBFS > -30)
        let forRecognition = try await synthesizer.synthesizeForRecognition("turn on the kitchen light")
        #expect(forRecognition.format == .speech)
        // Same speech at another rate: lengths agree to a few of eSpeak's 10 ms output frames (measured up to 39 ms
        // on a loaded machine; a wrong rate conversion would be off by over a quarter of the length).
        #expect(abs(forRecognition.duration - audio.duration) < 0.06)
    }

    @Test func rateAndVoiceChangeTheSpeech() async throws {
        let slow = try await synthesizer.synthesize("set a timer for ten minutes", voice: Voice(rate: 120))
        let fast = try await synthesizer.synthesize("set a timer for ten minutes", voice: Voice(rate: 300))
        #expect(slow.duration > fast.duration * 1.6, "\(slow.duration) vs \(fast.duration)")
        let female = try await synthesizer.synthesize("set a timer for ten minutes", voice: Voice(name: "en-us+f2"))
        let male = try await synthesizer.synthesize("set a timer for ten minutes", voice: Voice(name: "en-us"))
        #expect(female.samples != male.samples)
    }

    @Test func ssmlBreaksAddSilence() async throws {
        let withBreak = try await synthesizer.synthesize(
            "<speak>hello <break time=\"500ms\"/> world</speak>", ssml: true)
        let without = try await synthesizer.synthesize("<speak>hello world</speak>", ssml: true)
        #expect(withBreak.duration > without.duration + 0.4, "\(withBreak.duration) vs \(without.duration)")
        // Without the flag the markup is not obeyed as SSML.
        let unflagged = try await synthesizer.synthesize("<speak>hello <break time=\"500ms\"/> world</speak>")
        #expect(unflagged.samples != withBreak.samples)
    }

    @Test(arguments: ["klingon-xx", "en-us+nosuchvariant", "+f2", ""])
    func unknownVoicesAreErrors(name: String) async throws {
        let error = await #expect(throws: SpeechError.self) {
            try await synthesizer.synthesize("hello", voice: Voice(name: name))
        }
        #expect(error?.code == .unknownVoice)
        #expect(error?.description.hasPrefix("unknown voice '\(name)'") == true)
        // The synthesizer keeps working.
        #expect(try await synthesizer.synthesize("hello").duration > 0.2)
    }

    @Test func ratesAndPitchesOutOfRangeAreErrors() async throws {
        let rate = await #expect(throws: SpeechError.self) {
            try await synthesizer.synthesize("hello", voice: Voice(rate: 20))
        }
        #expect(rate?.code == .invalidVoiceSetting)
        #expect(rate?.description == "voice rate 20 is out of range 80...450")
        await #expect(throws: SpeechError.self) { try await synthesizer.synthesize("hello", voice: Voice(pitch: 101)) }
    }

    @Test func phonemesListsAndVersions() async throws {
        let phonemes = try await synthesizer.phonemes(for: "hark")
        #expect(!phonemes.isEmpty)
        #expect(phonemes.contains("h"))
        let voices = await synthesizer.listVoices()
        #expect(voices.contains("en-us"))
        #expect(voices.count > 50)
        let variants = await synthesizer.listVariants()
        #expect(variants.contains("f2") && variants.contains("m3"))
        #expect(SpeechLibraries.espeakVersion.hasPrefix("1."))
        #expect(SpeechLibraries.pocketsphinxVersion.contains("prealpha"), "\(SpeechLibraries.pocketsphinxVersion)")
    }
}
