import Foundation
import HarkSpeech
import HarkUnderstanding
import Testing

@testable import HarkVoice

/// The grammar, the wildcard vocabularies, the word graph, the eSpeak → CMU mapping and the judge, without audio.
@Suite struct VoiceGrammarTests {
    @Test(arguments: WakePhraseLayout.allCases)
    func oneTopRuleWithTheWakePhraseAsLaidOut(layout: WakePhraseLayout) throws {
        let grammar = try VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "Hey Hark", vocabularies: RecognitionFixture.vocabularies,
            layout: layout)
        let publicRules = grammar.text.split(separator: "\n").filter { $0.hasPrefix("public ") }
        #expect(publicRules.count == 1)
        switch layout {
        case .required:
            #expect(publicRules.first == "public <utterance> = <wake> [<command>];")
            let woken = grammar.graph.accepts(["hey", "hark", "what", "is", "on", "my", "shopping", "list"])
            let unwoken = grammar.graph.accepts(["what", "is", "on", "my", "shopping", "list"])
            #expect(woken && !unwoken)
        case .none:
            #expect(publicRules.first == "public <utterance> = <command>;")
            let request = grammar.graph.accepts(["what", "is", "on", "my", "shopping", "list"])
            #expect(request)
        }
        #expect(grammar.wakeWords == ["hey", "hark"])
        #expect(grammar.text.contains("<wildcard_shopping_item> = "))
        #expect(grammar.words.isSuperset(of: ["add", "milk", "london", "yes", "stop"]))
        #expect(!grammar.words.contains { $0.contains("<") || $0.contains("|") })
        #expect(!grammar.text.contains("<VOID>"))
        #expect(grammar.unheardWildcards.isEmpty)
    }

    @Test func aWildcardWithoutVocabularyIsNamedAndItsSentencesDropOut() throws {
        let grammar = try VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "hey hark", vocabularies: WildcardVocabularies(),
            layout: .none)
        #expect(grammar.unheardWildcards.contains("shopping.item"))
        // <VOID> removes the paths through the wildcard only, not the rules around it.
        #expect(grammar.text.contains("<VOID>"))
        #expect(grammar.graph.accepts(["what", "is", "on", "my", "shopping", "list"]))
        #expect(grammar.graph.accepts(["stop"]))
        #expect(!grammar.words.contains("bangkok"), "bangkok is only in the weather vocabulary")
    }

    @Test func onlyTheCandidateIntentsAreWritten() throws {
        var options = RecognitionGrammarOptions()
        options.onlyIntents = ["hark/Stop"]
        options.bareAnswers = false
        let grammar = try VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "hey hark", vocabularies: RecognitionFixture.vocabularies,
            layout: .none, options: options)
        #expect(grammar.graph.accepts(["stop"]))
        #expect(!grammar.graph.accepts(["help"]))
        #expect(!grammar.words.contains("milk"))
    }

    @Test func templatesAreCappedPerDataBlockAndPerIntent() throws {
        // hark/Help has one data block of four templates; "how does this work" is the fourth.
        func accepts(block: Int?, intent: Int?) throws -> Bool {
            var options = RecognitionGrammarOptions()
            options.maxSentencesPerBlock = block
            options.maxSentencesPerIntent = intent
            let grammar = try VoiceGrammar(
                engine: RecognitionFixture.engine, wakePhrase: "hey hark",
                vocabularies: RecognitionFixture.vocabularies, layout: .none, options: options)
            return grammar.graph.accepts(["how", "does", "this", "work"])
        }
        #expect(try accepts(block: nil, intent: nil))
        #expect(try accepts(block: 4, intent: nil))
        #expect(try !accepts(block: 3, intent: nil))
        #expect(try !accepts(block: nil, intent: 3))
    }

    @Test func theWordGraphAcceptsTheGrammarsSentencesOnly() throws {
        let graph = try WordGraph(
            jsgf: """
                #JSGF V1.0;
                grammar t;
                public <s> = [hey hark] <do> [the] <thing> | stop;
                <do> = turn (on | off);
                <thing> = kitchen light | lamp | <VOID>;
                """)
        #expect(graph.accepts(["turn", "on", "the", "lamp"]))
        #expect(graph.accepts(["hey", "hark", "turn", "off", "kitchen", "light"]))
        #expect(graph.accepts(["stop"]))
        #expect(!graph.accepts(["turn", "on"]))
        #expect(!graph.accepts(["hey", "hark"]))
        let withoutLamp = try WordGraph(
            jsgf: "#JSGF V1.0;\ngrammar t;\npublic <s> = turn on (lamp | light);\n", excluding: ["lamp"])
        #expect(withoutLamp.accepts(["turn", "on", "light"]) && !withoutLamp.accepts(["turn", "on", "lamp"]))
        // Minimal: "on" and "off" lead to the same state, and both sentence ends share one.
        #expect(graph.stateCount <= 8, "\(graph.stateCount) states")
    }

    @Test func aGraphWithAnUndefinedRuleIsAnError() {
        #expect(throws: SpeechError.self) {
            try WordGraph(jsgf: "#JSGF V1.0;\ngrammar t;\npublic <s> = turn <nothing>;\n")
        }
    }

    @Test func severalValuesOfAListEndWithAnd() throws {
        let grammar = try VoiceGrammar(
            engine: RecognitionFixture.engine, wakePhrase: "hey hark", vocabularies: RecognitionFixture.vocabularies,
            layout: .none)
        func heard(_ text: String) -> Bool { grammar.graph.accepts(text.split(separator: " ").map(String.init)) }
        #expect(heard("recipes with chicken"))
        #expect(heard("recipes with chicken and rice"))
        #expect(heard("recipes with chicken rice and garlic"), "the commas of a list are pauses")
        #expect(!heard("recipes with chicken rice"), "values run together without \"and\"")
        #expect(heard("add milk and eggs"))
        #expect(!heard("add milk eggs"))
        // Each item has one amount: the sentence's before the first, the vocabulary's after "and". Two amounts in a
        // row let coffee orders be heard as "add nine gallon ten litres yogurt" and eSpeak's "add some bananas" as
        // "add some can an eggs".
        #expect(heard("add two bottles of milk and a dozen eggs"))
        #expect(!heard("add some can an eggs"))
    }

    @Test func vocabularyFilesOfTheBuiltInSkills() throws {
        let items = try #require(RecognitionFixture.vocabularies.vocabulary(skill: "shopping", list: "item"))
        #expect(items.phrases.prefix(40).contains("milk"))
        #expect(items.before == nil && items.repeatJoiner?.hasPrefix("and [(a | an | some") == true)
        #expect(items.phrases.allSatisfy { WildcardVocabulary.normalize($0) == $0 })
        #expect(RecognitionFixture.vocabularies.vocabulary(skill: "weather", list: "location")?.phrases.first == "london")
        // Two items at most: a loop let any audio pass for a run of product names.
        let two = WildcardVocabulary(phrases: ["milk", "eggs"], repeatJoiner: "[and]").jsgfExpansion
        #expect(two == "(milk | eggs) [[and] (milk | eggs)]")
    }

    @Test func normalisingPhrases() {
        #expect(WildcardVocabulary.normalize("Semi-Skimmed Milk") == "semi skimmed milk")
        #expect(WildcardVocabulary.normalize("Jalapeño") == "jalapeno")
        #expect(WildcardVocabulary.normalize("7up") == nil)
        #expect(WildcardVocabulary.normalize("  ") == nil)
    }

    @Test(arguments: [
        ("milk\n7up\n", "2: '7up' is not a phrase"), ("%sometimes a\nmilk\n", "1: unknown directive"),
        ("%before (a | b\nmilk\n", "1: '(a | b' is not a JSGF expansion"),
    ])
    func aMalformedVocabularyNamesFileAndLine(text: String, problem: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString).txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            try WildcardVocabulary.read(file: file.path)
        } throws: { error in
            "\(error)".contains(file.lastPathComponent + ":" + problem) && !"\(error)".contains("\n")
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

        let unsure = judge.judge(text: "stop", readings: ["stop"], confidence: 0.1)
        #expect(unsure.doubt?.reason == .lowConfidence)
    }

    /// A reading heard with confidence whose slot values' words fit the sound worse is asked back; one without
    /// values, or whose values are not rated, is judged as before.
    @Test func valuesHeardWithLessConfidenceAreDoubted() {
        let judge = RecognitionJudge(
            engine: RecognitionFixture.engine, minimumConfidence: 0.5, minimumValueConfidence: 0.9)
        let text = "add milk to my shopping list"
        let doubtful = judge.judge(text: text, readings: [text], confidence: 0.99, valueConfidence: 0.6)
        #expect(doubtful.doubt?.reason == .doubtfulValue)
        #expect(doubtful.confidence == 0.99)
        #expect(judge.judge(text: text, readings: [text], confidence: 0.99, valueConfidence: 0.95).doubt == nil)
        #expect(judge.judge(text: text, readings: [text], confidence: 0.99, valueConfidence: nil).doubt == nil)
        // The recognizer's own doubt comes first.
        let unsure = judge.judge(text: text, readings: [text], confidence: 0.2, valueConfidence: 0.6)
        #expect(unsure.doubt?.reason == .lowConfidence)
    }
}
