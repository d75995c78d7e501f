import Foundation
import HarkUnderstanding
import Testing

@testable import HarkVoice

/// The grammar, the wildcard vocabulary, the eSpeak → CMU mapping and the judge, without audio.
@Suite struct VoiceGrammarTests {
    @Test(arguments: WakePhraseLayout.allCases)
    func oneTopRuleWithTheWakePhraseAsLaidOut(layout: WakePhraseLayout) {
        let grammar = VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "Hey Hark", wildcard: RecognitionFixture.vocabulary,
            layout: layout)
        let publicRules = grammar.text.split(separator: "\n").filter { $0.hasPrefix("public ") }
        #expect(publicRules.count == 1)
        switch layout {
        case .optionalPrefix: #expect(publicRules.first == "public <utterance> = [<wake>] <command>;")
        case .alternatives: #expect(publicRules.first == "public <utterance> = (<wake> <command>) | <command>;")
        case .none: #expect(publicRules.first == "public <utterance> = <command>;")
        }
        #expect(grammar.wakeWords == ["hey", "hark"])
        #expect(grammar.text.contains("<wildcard_item> = ("))
        #expect(grammar.words.isSuperset(of: ["add", "milk", "passata", "yes", "stop", "hark"]))
        #expect(!grammar.words.contains { $0.contains("<") || $0.contains("|") })
    }

    @Test func withoutAVocabularyWildcardsAreVoid() {
        let grammar = VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "hey hark", wildcard: nil)
        #expect(grammar.text.contains("<wildcard> = <VOID>;"))
        #expect(!grammar.words.contains("passata"))
    }

    @Test func vocabularyFromTheCatalogueAndRecipes() {
        let phrases = Set(RecognitionFixture.vocabulary.phrases)
        #expect(phrases.isSuperset(of: ["milk", "semi skimmed milk", "halloumi", "spaghetti", "minced beef"]))
        #expect(phrases.count > 500)
        #expect(phrases.allSatisfy { WildcardVocabulary.normalize($0) == $0 })
    }

    @Test func normalisingPhrases() {
        #expect(WildcardVocabulary.normalize("Semi-Skimmed Milk") == "semi skimmed milk")
        #expect(WildcardVocabulary.normalize("Jalapeño") == "jalapeno")
        #expect(WildcardVocabulary.normalize("7up") == nil)
        #expect(WildcardVocabulary.normalize("  ") == nil)
    }

    @Test func malformedDataNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data/broken.yaml")
        try "- { item: milk\n  - : ]".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try WildcardVocabulary.load(skillFolders: [folder.path])
        } throws: { error in
            "\(error)".contains("broken.yaml") && !"\(error)".contains("\n")
        }
    }

    @Test(arguments: [
        ("h'A@k", ["HH", "AA", "R", "K"]),  // hark
        ("m'Ilk", ["M", "IH", "L", "K"]),  // milk
        ("tS'i:z", ["CH", "IY", "Z"]),  // cheese
        ("h'alaUmi", ["HH", "AE", "L", "AW", "M", "IY"]),  // halloumi
        ("d'Ek3r,eIt#I#d", ["D", "EH", "K", "ER", "EY", "T", "IH", "D"]),  // decorated: 3r is one ER
    ])
    func espeakPhonemesMapToCMU(espeak: String, cmu: [String]) {
        let result = EspeakPhonemeMapping.cmuPhones(fromEspeak: espeak)
        #expect(result.phones == cmu)
        #expect(result.unmapped.isEmpty)
    }

    @Test func unknownSymbolsAreReported() {
        #expect(EspeakPhonemeMapping.cmuPhones(fromEspeak: "m'Ilk\u{00F8}").unmapped == ["\u{00F8}"])
    }

    @Test func readingsThatMeanDifferentThingsAreDoubted() {
        let judge = RecognitionJudge(engine: RecognitionFixture.engine, minimumConfidence: 0.3)
        let contested = judge.judge(
            text: "add milk to my shopping list",
            readings: ["add milk to my shopping list", "add silk to my shopping list"], confidence: 0.6)
        #expect(contested.doubt?.reason == .competingReadings)
        #expect(contested.doubt?.competing == ["add silk to my shopping list"])
        #expect(contested.confidence < 0.6)

        let agreeing = judge.judge(
            text: "add milk to my shopping list",
            readings: ["add milk to my shopping list", "please add milk to my shopping list"], confidence: 0.6)
        #expect(agreeing.doubt == nil)
        #expect(agreeing.confidence == 0.6)

        let sure = judge.judge(
            text: "add milk to my shopping list",
            readings: ["add milk to my shopping list", "add silk to my shopping list"], confidence: 0.95)
        #expect(sure.doubt == nil)

        let unsure = judge.judge(text: "stop", readings: ["stop"], confidence: 0.1)
        #expect(unsure.doubt?.reason == .lowConfidence)
    }
}
