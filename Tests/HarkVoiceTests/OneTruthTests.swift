import Foundation
import HarkSpeech
import HarkUnderstanding
import Testing

@testable import HarkVoice

/// What the recognizer can hear, understanding accepts: every sentence of the speech grammar (the request grammar, as
/// ``VoiceRecognizer`` builds it) is a complete match of some intent. A sentence the grammar lets through but the
/// matcher refuses is a right transcript thrown away ("can i have the latte" heard exactly, then not understood).
@Suite struct OneTruthTests {
    /// Sentences drawn at random from the request grammar of `engine`, as text.
    static func heardSentences(_ engine: IntentEngine, vocabularies: WildcardVocabularies, count: Int) throws -> [String] {
        var options = RecognitionGrammarOptions()
        options.bareAnswers = false
        let grammar = try VoiceGrammar(
            engine: engine, wakePhrase: "hey hark", vocabularies: vocabularies, layout: .none, options: options)
        var random = SplitMix64(seed: 16)
        return try JSGFSampler(jsgf: grammar.text, name: VoiceGrammar.name).sentences(count: count, using: &random)
            .map { $0.joined(separator: " ") }
    }

    /// A café skill that says "a" where people say "the", next to a skill that skips "the" itself (so the grammar lets
    /// "the" stand before that skill's slots, and the matcher must understand it in both).
    static let twoSkills: IntentEngine = {
        let cafe = """
            intents:
              order:
                data:
                  - sentences: ["[can i have | i want] [a | an] {size} {drink}", "[can i have | i want] [a | an] {drink}"]
            lists:
              size: { values: [small, large] }
              drink: { values: [latte, mocha, iced coffee] }
            """
        let lamps = """
            skip_words: [the]
            intents:
              on:
                data:
                  - sentences: ["switch on {lamp}"]
            lists:
              lamp: { values: [desk lamp, floor lamp] }
            """
        return try! IntentEngine(skills: [
            try! SkillTemplates.load(yaml: cafe, file: "cafe.yaml", skill: "cafe"),
            try! SkillTemplates.load(yaml: lamps, file: "lamps.yaml", skill: "lamps"),
        ])
    }()

    @Test func theWordsAroundACommandMeanTheSameInEverySkill() throws {
        let engine = Self.twoSkills
        for text in ["can i have the latte", "can i have a latte", "i want the large latte", "please can i have a mocha"] {
            let best = try #require(engine.match(text).best, "\(text)")
            #expect(best.skill == "cafe" && best.intent == "order", "\(text)")
            #expect(best.slots["drink"]?.description == (text.hasSuffix("mocha") ? "mocha" : "latte"), "\(text)")
        }
        let lamp = try #require(engine.match("switch on the desk lamp").best)
        #expect(lamp.slots["lamp"]?.description == "desk lamp")
        // A skip word never takes a literal's place: "a" is the template's own word, "the" is skipped.
        let literal = try #require(engine.match("i want a small mocha").best?.score)
        let skipped = try #require(engine.match("i want the small mocha").best?.score)
        #expect(literal > skipped)
    }

    @Test func everySentenceTheGrammarCanProduceIsUnderstood() throws {
        let sentences = try Self.heardSentences(Self.twoSkills, vocabularies: WildcardVocabularies(), count: 300)
        // The articles stand where the skill that declares them has its slots, not in the café's sentences.
        #expect(sentences.contains { $0.hasPrefix("switch on the ") })
        #expect(!sentences.contains { $0.contains("have the") || $0.contains("want the") })
        let refused = sentences.filter { Self.twoSkills.match($0).best == nil }
        #expect(refused.isEmpty, "heard but not understood: \(Set(refused).sorted().prefix(10))")
    }

    @Test func everySentenceOfTheBuiltInSkillsGrammarIsUnderstood() throws {
        let engine = RecognitionFixture.engine
        let sentences = try Self.heardSentences(engine, vocabularies: RecognitionFixture.vocabularies, count: 1_000)
        let refused = sentences.filter { engine.match($0).best == nil }
        #expect(refused.isEmpty, "\(refused.count) of \(sentences.count) heard but not understood: \(refused.prefix(10))")
    }
}
