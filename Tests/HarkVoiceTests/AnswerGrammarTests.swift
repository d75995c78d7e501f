import Foundation
import HarkAssistant
import HarkSpeech
import HarkUnderstanding
import Testing

@testable import HarkVoice

/// "Yes" and "no" are answers: heard while a skill waits for one, not among the commands (where their short paths
/// took the place of short commands: "add milk" heard as "ok").
@Suite struct AnswerGrammarTests {
    @Test func yesIsHeardOnlyWhileASkillWaitsForAnAnswer() async throws {
        let root = RecognitionFixture.root
        let shopping = [(id: "shopping", folder: root.appendingPathComponent("Skills/Shopping").path)]
        let builtin = root.appendingPathComponent("Sources/HarkAssistant/Resources/hark/intents/en.yaml").path
        let engine = try IntentEngine(skills: [
            try SkillTemplates.load(yamlFile: builtin, skill: Assistant.builtinSkillID),
            try SkillPackage.load(folder: shopping[0].folder).templates,
        ])
        // Its own recognizer: switching grammars would disturb the tests sharing RecognitionFixture's.
        let recognizer = try await VoiceRecognizer(
            engine: engine, vocabularies: try WildcardVocabularies.load(skills: shopping))
        func intent(of text: String) -> String? { engine.match(text).best.map { "\($0.skill)/\($0.intent)" } }

        for voice in ["en-us", "en-us+f2"] {
            let yes = try await RecognitionFixture.speak("yes", voice: voice)
            let unasked = try await recognizer.recognize(yes, requireWake: false)
            #expect(intent(of: unasked.text) != "hark/Yes", "\(voice): heard \"\(unasked.text)\" with nothing asked")

            // "Shall I order it?": the shopping skill keeps the conversation open.
            try await recognizer.expectAnswer(to: "shopping/*")
            let asked = try await recognizer.recognize(yes, requireWake: false)
            #expect(intent(of: asked.text) == "hark/Yes", "\(voice): heard \"\(asked.text)\" as the answer")
            // The skill's own commands are still heard in its conversation.
            let command = try await recognizer.recognize(
                try await RecognitionFixture.speak("what's on my shopping list", voice: voice), requireWake: false)
            #expect(intent(of: command.text)?.hasPrefix("shopping/") == true, "\(voice): heard \"\(command.text)\"")
            try await recognizer.expectAnswer(to: nil)
        }
    }
}
