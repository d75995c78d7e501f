import HarkAudio
import HarkSpeech
import Testing

/// eSpeak NG speaks home commands; PocketSphinx, with a grammar of exactly those commands, hears them back.
@Suite struct RoundTripTests {
    @Test func homeCommandsComeBackWordForWord() async throws {
        let recognizer = try SpeechFixtures.commandRecognizer.get()
        #expect(SpeechFixtures.commands.count >= 24)
        var right = 0
        var failures: [String] = []
        var confidences: [Double] = []
        for voice in SpeechFixtures.voices {
            for sentence in SpeechFixtures.commands {
                let audio = try await SpeechFixtures.clips.clip(sentence, voice: voice)
                let transcript = try await recognizer.transcribe(audio)
                if transcript.text == sentence {
                    right += 1
                    confidences.append(transcript.confidence)
                    Self.checkTimings(transcript)
                } else {
                    failures.append("\(voice.name): \"\(sentence)\" -> \"\(transcript.text)\"")
                }
            }
        }
        let total = SpeechFixtures.commands.count * SpeechFixtures.voices.count
        print("round trip: \(right)/\(total) word for word; failures:\n  " + failures.joined(separator: "\n  "))
        #expect(Double(right) >= 0.9 * Double(total), "\(failures)")
        // Correct results are confident: at least 85 % of them at 0.5 or above.
        #expect(Double(confidences.filter { $0 >= 0.5 }.count) >= 0.85 * Double(confidences.count), "\(confidences)")
    }

    /// Words tile the utterance in order, inside the audio, and spell the text.
    static func checkTimings(_ transcript: Transcript) {
        #expect(transcript.words.map(\.word).joined(separator: " ") == transcript.text)
        var previousEnd = 0.0
        for word in transcript.words {
            #expect(word.start >= previousEnd - 1e-9, "\(transcript.words)")
            #expect(word.end > word.start)
            previousEnd = word.end
        }
        #expect(previousEnd <= transcript.audioSeconds + 0.02)
        #expect(transcript.decodeMilliseconds > 0)
        #expect(transcript.alternatives.first?.text == transcript.text)
        #expect(transcript.words.allSatisfy { word in word.confidence.map { (0...1).contains($0) } ?? false })
    }

    /// With a grammar of half the commands, the other half and unrelated sentences are rejected: they decode to
    /// nothing or to a sentence with low confidence.
    @Test func outOfGrammarSpeechIsRejectedByConfidence() async throws {
        let known = Array(SpeechFixtures.commands.prefix(20))
        let unknown = Array(SpeechFixtures.commands.dropFirst(20)) + SpeechFixtures.outOfGrammar
        let recognizer = try Recognizer(grammar: .jsgf(SpeechFixtures.grammar(known), name: "half"))
        var accepted: [String] = []
        var rejected = 0
        for voice in SpeechFixtures.voices {
            for sentence in unknown {
                let audio = try await SpeechFixtures.clips.clip(sentence, voice: voice)
                let transcript = try await recognizer.transcribe(audio)
                #expect((0...1).contains(transcript.confidence))
                if transcript.text.isEmpty || transcript.confidence < 0.5 {
                    rejected += 1
                } else {
                    accepted.append("\"\(sentence)\" -> \"\(transcript.text)\" (\(transcript.confidence))")
                }
            }
        }
        let total = unknown.count * SpeechFixtures.voices.count
        print("out of grammar: \(rejected)/\(total) rejected; accepted:\n  " + accepted.joined(separator: "\n  "))
        #expect(Double(rejected) >= 0.9 * Double(total), "\(accepted)")
    }

    @Test func theGenericLanguageModelTranscribesWithoutAGrammar() async throws {
        let recognizer = try Recognizer(grammar: .languageModel)
        let audio = try await SpeechFixtures.clips.clip("what is the weather tomorrow")
        let transcript = try await recognizer.transcribe(audio)
        // The generic model is inaccurate on eSpeak (9 % of sentences right in SPEECH_NOTES); it must still hear
        // words, with times inside the audio.
        #expect(!transcript.text.isEmpty)
        #expect(transcript.words.allSatisfy { $0.end <= transcript.audioSeconds + 0.02 })
        #expect((0...1).contains(transcript.confidence))
    }
}
