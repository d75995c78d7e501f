import HarkAudio
import HarkSpeech
import HarkUnderstanding
import Synchronization
import Testing

@testable import HarkVoice

/// The extension point after the first decoding (``RecognitionPass``): a pass added with
/// ``VoiceRecognizer/insertPass(_:at:)`` sees what the first pass heard and its revision is what the recognizer
/// reports, the first reading kept as `firstPassText`.
@Suite struct RecognitionPassTests {
    /// Hears "switch on the desk lamp" again as the floor lamp, and remembers what it was given.
    final class FloorLampPass: RecognitionPass {
        let seen = Mutex<[RecognitionPassInput]>([])

        func revise(_ input: RecognitionPassInput, engine: IntentEngine) async throws -> RecognitionRevision? {
            seen.withLock { $0.append(input) }
            guard input.text.contains("desk lamp") else { return nil }
            let text = input.text.replacingOccurrences(of: "desk lamp", with: "floor lamp")
            return RecognitionRevision(text: text, confidence: 0.25, readings: [text])
        }

        func update(engine: IntentEngine, grammar: VoiceGrammar) async throws {}
    }

    @Test func anAddedPassRevisesWhatWasHeard() async throws {
        let lamps = """
            intents:
              on:
                data:
                  - sentences: ["switch on the {lamp}"]
            lists:
              lamp: { values: [desk lamp, floor lamp] }
            """
        let engine = try IntentEngine(skills: [try SkillTemplates.load(yaml: lamps, file: "lamps.yaml", skill: "lamps")])
        let recognizer = try await VoiceRecognizer(engine: engine)
        let pass = FloorLampPass()
        await recognizer.insertPass(pass)
        let audio = try await RecognitionFixture.speak("switch on the desk lamp")

        let heard = try await recognizer.recognize(audio, requireWake: false)
        #expect(heard.text == "switch on the floor lamp")
        #expect(heard.firstPassText == "switch on the desk lamp")
        let given = try #require(pass.seen.withLock { $0.first })
        #expect(given.text == "switch on the desk lamp")
        #expect(given.wakeWordCount == 0)
        #expect(given.transcript.words.map(\.word).contains("desk"))
        // Without the wake phrase the request's audio is the whole utterance.
        #expect(given.requestAudio.samples.count == given.utterance.samples.count)
    }
}
