import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import HarkUnderstanding
import Testing

@testable import HarkVoice

/// The built-in skills' real sentences and data, read from the source tree, and one recognizer for the suite.
enum RecognitionFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let skillFolders = ["Shopping", "Recipes", "Weather"].map { root.appendingPathComponent("Skills/\($0)").path }

    /// Hark's built-in intents (yes, no, stop…) and the skills' sentences, compiled as the Assistant does.
    static let engine: IntentEngine = {
        let builtin = root.appendingPathComponent("Sources/HarkAssistant/Resources/hark/intents/en.yaml").path
        var templates = [try! SkillTemplates.load(yamlFile: builtin, skill: "hark")]
        for folder in skillFolders { templates.append(try! SkillPackage.load(folder: folder).templates) }
        return try! IntentEngine(skills: templates)
    }()

    static let vocabulary: WildcardVocabulary = try! WildcardVocabulary.load(skillFolders: skillFolders)

    /// Built once: loading the models and adding pronunciations is the slow part.
    static let recognizer = Task { try await VoiceRecognizer(engine: engine, wildcard: vocabulary) }

    /// `text` spoken by eSpeak NG for recognition (16 kHz), with a little silence around it.
    static func speak(_ text: String, voice: String = "en-us") async throws -> AudioChunk {
        var settings = Voice()
        settings.name = voice
        let audio = try await Synthesizer.shared.synthesizeForRecognition(text, voice: settings)
        let pad = [Int16](repeating: 0, count: 3_200)
        return AudioChunk(samples: pad + audio.samples + pad, format: audio.format)
    }
}

@Suite struct RecognitionTests {
    @Test func wakePhraseAndRequestInOneDecode() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let heard = try await recognizer.recognize(
            RecognitionFixture.speak("hey hark, add milk to my shopping list"), requireWake: true)
        #expect(heard.heardWakePhrase)
        #expect(heard.text == "add milk to my shopping list")
        #expect((0...1).contains(heard.confidence))
        #expect(heard.audioSeconds > 1)
        let match = try #require(RecognitionFixture.engine.match(heard.text).best)
        #expect(match.intent == "AddItem")
        #expect(match.slots["item"]?.description == "milk")
    }

    @Test func withoutTheWakePhraseARequiredWakeGivesNothing() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let audio = try await RecognitionFixture.speak("add bread to my shopping list")
        let strict = try await recognizer.recognize(audio, requireWake: true)
        #expect(!strict.heardWakePhrase)
        #expect(strict.text == "")
        let relaxed = try await recognizer.recognize(audio, requireWake: false)
        #expect(relaxed.text == "add bread to my shopping list")
    }

    @Test func builtinIntentsAreInTheGrammar() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let heard = try await recognizer.recognize(RecognitionFixture.speak("stop"), requireWake: false)
        #expect(heard.text == "stop")
    }

    @Test func aCatalogueWordMissingFromTheDictionaryIsHeardThroughESpeak() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let added = await recognizer.pronunciations.added
        #expect(added["passata"] != nil, "passata should have needed an eSpeak pronunciation")
        let heard = try await recognizer.recognize(
            RecognitionFixture.speak("add passata to my shopping list"), requireWake: false)
        #expect(heard.text == "add passata to my shopping list")
    }

    @Test func everyGrammarWordIsPronounceable() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let report = await recognizer.pronunciations
        #expect(report.unpronounceable.isEmpty, "\(report.unpronounceable)")
        #expect(report.added.values.allSatisfy { $0.allSatisfy(EspeakPhonemeMapping.cmuPhones.contains) })
    }

    @Test func silenceGivesAnEmptyText() async throws {
        let recognizer = try await RecognitionFixture.recognizer.value
        let heard = try await recognizer.recognize(
            AudioChunk(samples: [Int16](repeating: 0, count: 16_000), format: .speech), requireWake: false)
        #expect(heard.text == "")
        #expect(!heard.heardWakePhrase)
    }
}
