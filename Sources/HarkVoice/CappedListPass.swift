import HarkAudio
import HarkSpeech
import HarkUnderstanding

/// The capped-list second pass (``VoiceRecognizerOptions/decodesCappedListsAgain``): each slot of the matched intent
/// whose list the first pass's grammar cut (``RecognitionGrammarOptions/maxListValues``) is decoded again over its
/// span, as `[word before] (every value) [word after]`, on a decoder of its own. A value the first pass could not
/// have heard replaces its reading; the revision's confidence is that of the least certain word of the values heard
/// again (the first pass's confidence rated the words it forced onto the slot).
public actor CappedListPass: RecognitionPass {
    private let models: SpeechModelPaths
    private let options: VoiceRecognizerOptions
    private let vocabularies: WildcardVocabularies
    /// The decoder, the capped lists by skill and slot, its span grammars by key, and the key of the one set.
    private var recognizer: Recognizer?
    private var cappedLists: [ListKey: CappedList] = [:]
    private var spanGraphs: [String: WordGraph] = [:]
    private var spanSearch: String?
    private var unpronounceable: Set<String> = []
    private static let keptSpanGraphs = 4

    private struct ListKey: Hashable {
        var skill: String
        var slot: String
    }

    /// A list the grammar holds only the first values of, as the pass needs it.
    private struct CappedList {
        var name: String
        /// Every value, as a JSGF expansion.
        var expansion: String
        /// The values the grammar left out, as words.
        var beyondCap: [[String]]
    }

    /// Makes the pass's decoder, with pronunciations for every word of every capped list of `engine` and of
    /// `grammar` (a span's grammar holds the words on either side of the slot).
    public init(
        engine: IntentEngine, grammar: VoiceGrammar, models: SpeechModelPaths, vocabularies: WildcardVocabularies,
        options: VoiceRecognizerOptions
    ) async throws {
        self.models = models
        self.options = options
        self.vocabularies = vocabularies
        try await prepare(engine: engine, grammar: grammar)
    }

    public func update(engine: IntentEngine, grammar: VoiceGrammar) async throws {
        recognizer = nil
        spanGraphs = [:]
        spanSearch = nil
        try await prepare(engine: engine, grammar: grammar)
    }

    private func prepare(engine: IntentEngine, grammar: VoiceGrammar) async throws {
        let recognizer = try VoiceRecognizer.boot(models: models, options: options)
        var words = grammar.words
        cappedLists = [:]
        if let cap = options.grammar.maxListValues {
            for skill in engine.skillIDs {
                for (slot, list) in engine.slotLists(skill: skill) {
                    let limit = list.isWildcard
                        ? cap
                        : engine.recognitionValueLimit(skill: skill, list: list.list, options: options.grammar)
                    guard let limit, let capped = cappedList(list, skill: skill, cap: limit) else { continue }
                    cappedLists[ListKey(skill: skill, slot: slot)] = capped
                    words.formUnion(
                        capped.expansion.split(whereSeparator: { "()[]|*+ ".contains($0) }).map(String.init))
                }
            }
        }
        unpronounceable = Set(try await PronunciationFiller.fill(words, into: recognizer).unpronounceable.keys)
        self.recognizer = recognizer
    }

    public func revise(_ input: RecognitionPassInput, engine: IntentEngine) async throws -> RecognitionRevision? {
        guard !input.text.isEmpty, !cappedLists.isEmpty, let best = engine.match(input.text).best else { return nil }
        let utterance = input.utterance
        let timed = input.transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        var words = input.text.split(separator: " ").map(String.init)
        var confidence = input.transcript.confidence
        var changed = false
        for (slot, raw) in best.rawSlots.sorted(by: { $0.key < $1.key }) {
            guard let values = cappedLists[ListKey(skill: best.skill, slot: slot)],
                let slotWords = WildcardVocabulary.normalize(raw)?.split(separator: " ").map(String.init),
                let range = lastRange(of: slotWords, in: timed.map(\.word)),
                let inText = lastRange(of: slotWords, in: words)
            else { continue }
            let before = range.lowerBound > 0 ? timed[range.lowerBound - 1] : nil
            let after = range.upperBound < timed.count ? timed[range.upperBound] : nil
            let rate = Double(utterance.format.sampleRate)
            let spanStart = before?.start ?? timed[range.lowerBound].start - 0.1
            let from = max(0, Int((spanStart - utterance.timestamp) * rate))
            let to = min(
                utterance.samples.count,
                Int(((after?.end ?? timed[range.upperBound - 1].end + 0.15) - utterance.timestamp) * rate))
            guard to - from > Int(0.15 * rate) else { continue }
            let key = [best.skill, values.name, before?.word ?? "", after?.word ?? ""].joined(separator: "/")
            let jsgf =
                "#JSGF V1.0;\ngrammar span;\npublic <span> = " + (before.map { "[\($0.word)] " } ?? "")
                + "(\(values.expansion))"
                + (after.map { " [\($0.word)]" } ?? "") + ";\n"
            let span = AudioChunk(samples: Array(utterance.samples[from..<to]), format: utterance.format)
            guard let heard = try await decodeSpan(span, jsgf: jsgf, key: key) else { continue }
            var heardWords = heard.words
            if let before, heardWords.first?.word == before.word { heardWords.removeFirst() }
            if let after, heardWords.last?.word == after.word { heardWords.removeLast() }
            // Only a value the first pass could not have heard replaces its reading: where the second pass chose
            // among values the first pass had too, the first pass decided with the whole sentence around them ("milk"
            // was heard again as "milks").
            let heardValue = heardWords.map(\.word)
            guard heardValue != slotWords,
                values.beyondCap.contains(where: { lastRange(of: $0, in: heardValue) != nil })
            else { continue }
            words.replaceSubrange(inText, with: heardValue)
            // How well the value heard fits its audio: its least certain word.
            let fit = heardWords.map { $0.confidence ?? 0 }.min() ?? 0
            confidence = min(changed ? confidence : 1, fit)
            changed = true
        }
        guard changed else { return nil }
        let text = words.joined(separator: " ")
        // The first pass's readings put other values into the slot: this pass settled it.
        return RecognitionRevision(text: text, confidence: confidence, readings: [text])
    }

    /// `list` as the pass needs it, when the grammar holds only the first `cap` of its values (nil when it holds them
    /// all, or the list is not one of values or a wildcard with a vocabulary).
    private func cappedList(_ list: SlotListSpelling, skill: String, cap: Int) -> CappedList? {
        if list.isWildcard {
            guard let vocabulary = vocabularies.vocabulary(skill: skill, list: list.list),
                vocabulary.phrases.count > cap
            else { return nil }
            let beyond = vocabulary.phrases.dropFirst(cap).map { $0.split(separator: " ").map(String.init) }
            return CappedList(name: list.list, expansion: vocabulary.jsgfExpansion, beyondCap: beyond)
        }
        // The grammar keeps the first `cap` values with all their spellings; the rest is out.
        guard let spoken = list.spokenValues, spoken.count > cap else { return nil }
        var unique: [String] = []
        var seen: Set<String> = []
        for value in spoken.joined() where seen.insert(value).inserted { unique.append(value) }
        let kept = Set(spoken.prefix(cap).joined())
        let beyond = unique.filter { !kept.contains($0) }.map { $0.split(separator: " ").map(String.init) }
        let one = "(" + unique.joined(separator: " | ") + ")"
        // Two values at most ("chicken and rice"): a third copy of the ingredients took the process's resident
        // memory from +42 to +95 MB after six requests.
        return CappedList(
            name: list.list, expansion: list.multiple ? "\(one) [and \(one)]" : one, beyondCap: beyond)
    }

    /// Decodes a span with a small grammar (cached by `key`).
    private func decodeSpan(_ span: AudioChunk, jsgf: String, key: String) async throws -> Transcript? {
        guard let recognizer else { return nil }
        if spanSearch != key {
            let graph: WordGraph
            if let cached = spanGraphs[key] {
                graph = cached
            } else {
                // The lists' words were given pronunciations when the decoder was made (adding words to a decoder
                // rebuilds its active search: 21 s for a list of dishes after the ingredients' span).
                graph = try WordGraph(jsgf: jsgf, name: "span", excluding: unpronounceable)
                // A few graphs are kept (a list's graph with the words around it; the ingredients' takes 0.3 s to
                // build): keeping every one grew the peak memory by 100 MB over VoiceBench's 256 clips.
                if spanGraphs.count >= Self.keptSpanGraphs { spanGraphs = [:] }
                spanGraphs[key] = graph
            }
            try await recognizer.setGrammar(
                .wordGraph(graph, name: VoiceGrammar.name + "-span", transitionWeight: options.transitionWeight))
            spanSearch = key
        }
        let heard = try await recognizer.transcribe(span)
        return heard.text.isEmpty ? nil : heard
    }
}
