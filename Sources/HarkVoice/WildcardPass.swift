import HarkAudio
import HarkSpeech
import HarkUnderstanding

/// The wildcard second pass (``WildcardStrategy/secondPass`` and ``WildcardStrategy/combined``): the wildcard slot's
/// words, found in the first pass's word timings, decoded again over their time span with the generic language
/// model, whose words replace the slot's.
public actor WildcardPass: RecognitionPass {
    private let models: SpeechModelPaths
    private let strategy: WildcardStrategy
    private let vocabularies: WildcardVocabularies
    /// The generic language model's decoder, made on first use.
    private var openRecognizer: Recognizer?

    public init(models: SpeechModelPaths, strategy: WildcardStrategy, vocabularies: WildcardVocabularies) {
        self.models = models
        self.strategy = strategy
        self.vocabularies = vocabularies
    }

    public func update(engine: IntentEngine, grammar: VoiceGrammar) async throws {}

    public func revise(_ input: RecognitionPassInput, engine: IntentEngine) async throws -> RecognitionRevision? {
        guard strategy != .vocabulary, !input.text.isEmpty, let best = engine.match(input.text).best else { return nil }
        let text = input.text
        let utterance = input.utterance
        let wildcardWords = vocabularies.words
        // The slot's words: the raw slot text whose words are all vocabulary words.
        guard
            let slotText = best.rawSlots.values.first(where: { value in
                let words = value.split(separator: " ").map(String.init)
                return !words.isEmpty && words.allSatisfy { wildcardWords.contains($0) }
                    && WildcardVocabulary.normalize(value) != nil
            })
        else { return nil }
        let slotWords = slotText.split(separator: " ").map(String.init)
        let timed = input.transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        let spoken = timed.map(\.word)
        guard let start = lastRange(of: slotWords, in: spoken) else { return nil }
        let first = timed[start.lowerBound]
        let last = timed[start.upperBound - 1]
        let sure = timed[start].map { $0.confidence ?? 0 }.min() ?? 0
        if strategy == .combined && sure >= 0.5 { return nil }
        let rate = Double(utterance.format.sampleRate)
        let from = max(0, Int((first.start - utterance.timestamp - 0.1) * rate))
        let to = min(utterance.samples.count, Int((last.end - utterance.timestamp + 0.15) * rate))
        guard to - from > Int(0.15 * rate) else { return nil }
        let span = AudioChunk(samples: Array(utterance.samples[from..<to]), format: utterance.format)
        let heard = try await openModelRecognizer().transcribe(span).text
        let heardWords = heard.split(separator: " ").map(String.init)
        guard !heardWords.isEmpty else { return nil }
        if strategy == .combined, !knownPhrase(heardWords.joined(separator: " ")), sure >= 0.2 { return nil }
        var words = text.split(separator: " ").map(String.init)
        guard let range = lastRange(of: slotWords, in: words) else { return nil }
        words.replaceSubrange(range, with: heardWords)
        return RecognitionRevision(text: words.joined(separator: " "))
    }

    /// Whether some wildcard vocabulary has `phrase`.
    private func knownPhrase(_ phrase: String) -> Bool {
        vocabularies.lists.values.contains { $0.values.contains { $0.phrases.contains(phrase) } }
    }

    private func openModelRecognizer() throws -> Recognizer {
        if let openRecognizer { return openRecognizer }
        let open = try Recognizer(models: models, grammar: .languageModel, nBest: 1)
        openRecognizer = open
        return open
    }
}
