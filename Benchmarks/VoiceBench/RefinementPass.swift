import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import HarkUnderstanding
import HarkVoice

/// VoiceBench's `--refine`: a second decoding of the whole request with only the intents that the first pass's
/// n-best readings mean, with more of their sentences and list values than the first pass's grammar can hold
/// (`grammar`: by default every list value and every sentence). Not in Hark: in VoiceBench (32 recordings) it gave
/// no more right answers than the first pass with 40 list values, and with every list value its grammars took the
/// peak memory to 880 MB and p99 latency to 20 s.
actor RefinementPass: RecognitionPass {
    private let models: SpeechModelPaths
    private let options: VoiceRecognizerOptions
    private let vocabularies: WildcardVocabularies
    private let grammarOptions: RecognitionGrammarOptions
    /// The pass's decoder, its word graphs by candidate-intent set, and the set now searched.
    private var recognizer: Recognizer?
    private var graphs: [String: WordGraph] = [:]
    private var search: String?

    init(
        models: SpeechModelPaths = .debianDefault, options: VoiceRecognizerOptions, vocabularies: WildcardVocabularies,
        grammar: RecognitionGrammarOptions
    ) {
        self.models = models
        self.options = options
        self.vocabularies = vocabularies
        grammarOptions = grammar
    }

    /// The refinement grammar's defaults: every list value, every sentence, no bare answers.
    static var wholeIntents: RecognitionGrammarOptions {
        var options = RecognitionGrammarOptions()
        options.maxListValues = nil
        options.maxSentencesPerIntent = nil
        options.bareAnswers = false
        return options
    }

    func update(engine: IntentEngine, grammar: VoiceGrammar) async throws {
        graphs = [:]
        search = nil
    }

    func revise(_ input: RecognitionPassInput, engine: IntentEngine) async throws -> RecognitionRevision? {
        let intents = Set(input.readings.compactMap { engine.match($0).best.map { "\($0.skill)/\($0.intent)" } })
        guard !intents.isEmpty else { return nil }
        let key = intents.sorted().joined(separator: ",")
        let recognizer = try decoder()
        if search != key {
            let graph: WordGraph
            if let cached = graphs[key] {
                graph = cached
            } else {
                var only = grammarOptions
                only.onlyIntents = intents
                let grammar = try VoiceGrammar(
                    engine: engine, wakePhrase: "", vocabularies: vocabularies, layout: .none, options: only)
                let report = try await PronunciationFiller.fill(grammar.words, into: recognizer)
                graph = try grammar.excluding(Set(report.unpronounceable.keys)).graph
                graphs[key] = graph
            }
            try await recognizer.setGrammar(.wordGraph(graph, name: VoiceGrammar.name + "-refine"))
            search = key
        }
        let transcript = try await recognizer.transcribe(input.requestAudio)
        guard !transcript.text.isEmpty else { return nil }
        var readings: [String] = []
        for alternative in [transcript.text] + transcript.alternatives.map(\.text)
        where !alternative.isEmpty && !readings.contains(alternative) {
            readings.append(alternative)
        }
        return RecognitionRevision(text: transcript.text, transcript: transcript, readings: readings)
    }

    private func decoder() throws -> Recognizer {
        if let recognizer { return recognizer }
        let made = try Recognizer(
            models: models, grammar: .jsgf("#JSGF V1.0;\ngrammar boot;\npublic <boot> = hark;\n", name: "boot"),
            extraDictionary: options.extraDictionary, nBest: options.nBest)
        recognizer = made
        return made
    }
}

/// VoiceBench's `--language-model N`: the first pass decodes with trigram models trained on N sentences drawn at
/// random from the skills' grammar (with the wake phrase, and without) built with every list value, instead of with
/// the word graph. Not in Hark: in VoiceBench (128 recordings, 100,000 sentences) it decoded twice as fast as the
/// graph but got 28.9 % intent+slots right clean and 12.5 % at 10 dB SNR against the graph's 39.1 % and 21.9 %.
enum LanguageModelSearch {
    /// What the language model's training grammar keeps of the skills' sentences and lists.
    static var trainingGrammar: RecognitionGrammarOptions {
        var options = RecognitionGrammarOptions()
        options.maxListValues = nil
        options.maxSentencesPerBlock = nil
        return options
    }

    static func install(
        on recognizer: VoiceRecognizer, engine: IntentEngine, vocabularies: WildcardVocabularies,
        wakeWords: [String], sentences: Int
    ) async throws {
        var random = SplitMix64(seed: 42)
        for layout in [WakePhraseLayout.required, .none] {
            let text = VoiceGrammar.jsgf(
                engine: engine, wakeWords: wakeWords, vocabularies: vocabularies, layout: layout,
                options: trainingGrammar
            ).text
            let parsed = try JSGFSampler(jsgf: text, name: VoiceGrammar.name)
            let report = try await recognizer.fillPronunciations(parsed.words, layout: layout)
            let sampler = parsed.excluding(Set(report.unpronounceable.keys))
            let words = sampler.words
            let model = NGramModel(
                sentences: try sampler.sentences(count: sentences, using: &random), extraWords: words)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hark-\(getpid())-\(layout.rawValue).lm").path
            try model.arpa.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await recognizer.setFirstPassSearch(.languageModelFile(file, words: words), layout: layout)
        }
    }
}
