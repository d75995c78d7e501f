import Foundation
import HarkAudio

/// The recognizer's logic over one PocketSphinx decoder: grammar checks and search switching, the dictionary,
/// the utterance state and the making of a ``Transcript``. Synchronous and not thread-safe; ``Recognizer`` owns
/// one and gives it actor isolation.
final class RecognitionEngine {
    /// Samples handed to PocketSphinx at a time. Live cepstral-mean normalisation updates at the end of each batch
    /// of frames, so the batch size changes the result slightly: feeding fixed blocks makes the result independent
    /// of how callers cut their audio (whole utterance or any chunk size).
    static let blockSamples = 1_600

    /// Samples at the start of an utterance that its cepstral mean is estimated from before decoding begins (the
    /// whole utterance when shorter). Partial hypotheses start once this much audio has arrived.
    /// Measured on 40 commands in 3 eSpeak voices: 0.5 s 84 %, 1 s 92 %, 1.5 s 94 %, whole utterance 93 % right.
    static let cepstralMeanSamples = 16_000

    private static let languageModelSearch = "hark-language-model"

    private let decoder: SphinxDecoder
    private let models: SpeechModelPaths
    private let nBest: Int
    private let converter = AudioConverter()
    private var activeSearch: String?
    /// Searches kept under a caller's name (``addGrammar(_:named:)``): caller's name → search.
    private var namedSearches: [String: String] = [:]
    /// The word graphs PocketSphinx compiled, by search (read back once per search).
    private var automata: [String: WordAutomaton] = [:]
    private var grammarSearches = 0
    private var languageModelLoaded = false
    /// Whether the decoder holds the whole dictionary file (the language model needs it); otherwise it holds only
    /// the words looked up so far.
    private var wholeDictionaryLoaded = false
    /// Words already looked up in the dictionary file (found or not).
    private var lookedUp: Set<String> = []
    /// Pronunciations added by `addWord`, in order: put back after the whole dictionary file replaces the decoder's.
    private var addedWords: [(entry: String, phones: String)] = []
    private var utterance: Utterance?
    /// The active grammar's word graph, to keep only whole sentences in the n-best list (nil for a language model).
    private var automaton: WordAutomaton?

    private struct Utterance {
        /// Whether PocketSphinx's utterance has started (after the cepstral mean was estimated).
        var decoding = false
        /// The cepstral mean it started with (nil before, or when the front end kept no frame).
        var cepstralMean: [Float]?
        /// Every 16 kHz sample of the utterance (kept for the phone-loop pass that rates confidence).
        var samples: [Int16] = []
        /// Samples already handed to PocketSphinx.
        var processed = 0
        var startTimestamp: Double?
        var decodeTime: Duration = .zero
        /// Whether the confidence is rated: with a grammar, the phone loop decodes the same blocks alongside.
        var ratesConfidence = false
        /// Whether the phone loop's utterance runs (false before decoding starts, or when it could not start or
        /// failed: the confidence is then left unrated, as when the phone loop cannot run at all).
        var phoneLoopDecoding = false
    }

    init(models: SpeechModelPaths, grammar: RecognitionGrammar, extraDictionary: [String: String], nBest: Int) throws {
        if case .languageModel = grammar { try models.validate() } else { try models.validateForGrammar() }
        self.models = models
        self.nBest = max(0, nBest)
        decoder = try SphinxDecoder(models: models)
        try lookUp(Set(extraDictionary.keys))  // one read of the dictionary file for all of them
        for (word, phones) in extraDictionary.sorted(by: { $0.key < $1.key }) {
            try addWord(word, phones: phones)
        }
        try setGrammar(grammar)
    }

    // MARK: Grammar and dictionary

    /// Adds `grammar` as a search kept under `name` (replacing one of that name) and makes it the active one.
    func addGrammar(_ grammar: RecognitionGrammar, named name: String) throws {
        let replaced = namedSearches.removeValue(forKey: name)
        try setGrammar(grammar)
        if let active = activeSearch, active != Self.languageModelSearch { namedSearches[name] = active }
        if let replaced, replaced != activeSearch { forget(replaced) }
    }

    /// Makes the grammar kept under `name` the active one (not during an utterance).
    func useGrammar(named name: String) throws {
        guard utterance == nil else {
            throw SpeechError.utteranceState("cannot switch grammar during an utterance: call endUtterance() first")
        }
        guard let search = namedSearches[name] else {
            throw SpeechError.searchRejected(source: name, detail: "no grammar was added under this name")
        }
        try activate(search, source: name)
    }

    private func forget(_ search: String) {
        decoder.removeSearch(search)
        automata[search] = nil
    }

    func setGrammar(_ grammar: RecognitionGrammar) throws {
        guard utterance == nil else {
            throw SpeechError.utteranceState("cannot switch grammar during an utterance: call endUtterance() first")
        }
        switch grammar {
        case .jsgf(let text, let name):
            try installGrammar(text: text, file: nil, source: name)
        case .jsgfFile(let path):
            try installGrammar(text: try Self.readGrammar(path), file: path, source: path)
        case .languageModel:
            try models.validateLanguageModel()
            try loadWholeDictionary()
            if !languageModelLoaded {
                let path = models.languageModel
                if let problem = decoder.addLanguageModelSearch(name: Self.languageModelSearch, path: path) {
                    throw SpeechError.searchRejected(source: models.languageModel, detail: problem)
                }
                languageModelLoaded = true
            }
            try activate(Self.languageModelSearch, source: models.languageModel)
        case .languageModelFile(let path, let words):
            guard FileManager.default.fileExists(atPath: path) else {
                throw SpeechError.searchRejected(source: path, detail: "no such file")
            }
            // Only the model's words, looked up one by one: reloading the whole dictionary file re-initialises the
            // grammar searches already added, and PocketSphinx 0.8 crashes in fsg_lextree_init doing so.
            try requirePronunciations(words, source: path)
            try addSearch(named: "hark-lm", source: path) { decoder.addLanguageModelSearch(name: $0, path: path) }
        case .wordGraph(let graph, let name, let weight):
            try requirePronunciations(graph.words, source: name)
            try addSearch(named: "hark-graph", source: name) {
                decoder.addGraphSearch(name: $0, graph: SharedArcGraph(graph, transitionWeight: weight))
            }
        }
    }

    /// Looks `words` up in the dictionary file; throws naming those without a pronunciation.
    private func requirePronunciations(_ words: Set<String>, source: String) throws {
        try lookUp(words)
        let missing = words.filter { decoder.pronunciation(of: $0) == nil }
        if !missing.isEmpty { throw SpeechError.wordsNotInDictionary(source: source, words: missing.sorted()) }
    }

    /// Adds a search under a new name (`prefix`-N) with `add` (which returns a problem or nil) and activates it.
    private func addSearch(named prefix: String, source: String, _ add: (String) -> String?) throws {
        grammarSearches += 1
        let search = "\(prefix)-\(grammarSearches)"
        if let problem = add(search) { throw SpeechError.searchRejected(source: source, detail: problem) }
        try activate(search, source: source)
    }

    /// Reads the whole dictionary file into the decoder (a language model may use any word), keeping added words.
    private func loadWholeDictionary() throws {
        guard !wholeDictionaryLoaded else { return }
        if let problem = decoder.loadDictionary(models.dictionary) {
            throw SpeechError.searchRejected(source: models.dictionary, detail: problem)
        }
        wholeDictionaryLoaded = true
        let added = addedWords
        addedWords = []
        for word in added { try addWord(Self.baseWord(word.entry), phones: word.phones) }
    }

    /// Checks a JSGF grammar (text, or the file it was read from) and makes it the active search.
    private func installGrammar(text: String, file: String?, source: String) throws {
        try checkGrammar(text: text, file: file, source: source)
        grammarSearches += 1
        let search = "hark-grammar-\(grammarSearches)"
        if let problem = decoder.addGrammarSearch(name: search, text: file == nil ? text : nil, file: file) {
            throw SpeechError.searchRejected(source: source, detail: problem)
        }
        try activate(search, source: source)
    }

    private static func readGrammar(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SpeechError.grammarUnreadable(path: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpeechError.grammarUnreadable(path: path, reason: "permission denied or not a file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpeechError.grammarUnreadable(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Hark's own syntax check (exact line numbers), then sphinxbase's parse, then the dictionary check:
    /// PocketSphinx refuses a grammar whose words are missing and names only the first one, in its log.
    private func checkGrammar(text: String, file: String?, source: String) throws {
        do {
            _ = try JSGFParser.check(text)
        } catch {
            throw SpeechError.grammarSyntax(source: source, line: error.line, problem: error.message)
        }
        switch decoder.grammarVocabulary(text: file == nil ? text : nil, file: file) {
        case .failure(.syntax(let problem)):
            throw SpeechError.grammarSyntax(source: source, line: nil, problem: problem)
        case .success(let words):
            try lookUp(Set(words.filter { !$0.hasPrefix("<") }))
            let missing = Set(words.filter { !$0.hasPrefix("<") && decoder.pronunciation(of: $0) == nil })
            if !missing.isEmpty {
                throw SpeechError.wordsNotInDictionary(source: source, words: missing.sorted())
            }
        }
    }

    private func activate(_ search: String, source: String) throws {
        guard decoder.activateSearch(search) else {
            throw SpeechError.searchRejected(source: source, detail: "could not switch to its search")
        }
        // Grammar searches are replaced, never renamed in place: replacing the active search frees it under the
        // decoder, unless it is kept under a name. The language model stays loaded once read (it takes a second to
        // load).
        if let previous = activeSearch, previous != search, previous != Self.languageModelSearch,
            !namedSearches.values.contains(previous)
        {
            forget(previous)
        }
        activeSearch = search
        if let known = automata[search] {
            automaton = known
        } else {
            automaton = decoder.activeGrammarAutomaton()
            if let automaton { automata[search] = automaton }
        }
    }

    /// The words of `words` that the dictionary lacks (one read of the dictionary file for all of them).
    func missingWords(_ words: Set<String>) throws -> Set<String> {
        try lookUp(words)
        return words.filter { decoder.pronunciation(of: $0) == nil }
    }

    func inVocabulary(_ word: String) throws -> Bool {
        try lookUp([word])
        return decoder.pronunciation(of: word) != nil
    }

    /// Adds the dictionary file's pronunciations of `words` (with their alternates) that the decoder lacks.
    private func lookUp(_ words: Set<String>) throws {
        guard !wholeDictionaryLoaded else { return }
        let wanted = words.subtracting(lookedUp)
        guard !wanted.isEmpty else { return }
        let entries = try PronunciationFile(path: models.dictionary).entries(of: wanted).filter {
            decoder.pronunciation(of: $0.entry) == nil
        }
        for (index, entry) in entries.enumerated() {
            if let problem = decoder.addWord(entry.entry, phones: entry.phones, update: index == entries.count - 1) {
                throw SpeechError.invalidPronunciation(word: entry.entry, phones: entry.phones, detail: problem)
            }
        }
        lookedUp.formUnion(wanted)
    }

    /// Adds a pronunciation; a word already in the dictionary gets it as an alternate (`word(2)`), unless it has
    /// those phones already. Phones are CMUdict phones (`HH AA R K`), case-insensitive.
    func addWord(_ word: String, phones: String) throws {
        let normalized = phones.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !word.isEmpty, !word.contains(where: \.isWhitespace) else {
            throw SpeechError.invalidPronunciation(word: word, phones: phones, detail: "a word is one token")
        }
        guard !normalized.isEmpty else {
            throw SpeechError.invalidPronunciation(word: word, phones: phones, detail: "no phones")
        }
        try lookUp([word])
        var entry = word
        var alternate = 1
        while let existing = decoder.pronunciation(of: entry) {
            if existing == normalized { return }
            alternate += 1
            entry = "\(word)(\(alternate))"
        }
        if let problem = decoder.addWord(entry, phones: normalized) {
            throw SpeechError.invalidPronunciation(word: word, phones: phones, detail: problem)
        }
        addedWords.append((entry, normalized))
        if let activeSearch {
            // The new pronunciation is another spelling on the graphs' arcs (read back again when next used).
            automata = [:]
            automaton = decoder.activeGrammarAutomaton()
            if let automaton { automata[activeSearch] = automaton }
        }
    }

    // MARK: Decoding

    func transcribe(_ chunk: AudioChunk, rateConfidence: Bool) throws -> Transcript {
        guard !chunk.samples.isEmpty else { throw SpeechError.audioUnusable("the chunk has no samples") }
        try startUtterance(rateConfidence: rateConfidence)
        do {
            _ = try feed(chunk, partial: false)
        } catch {
            cancelUtterance()
            throw error
        }
        return try endUtterance()
    }

    /// Starts an utterance; with `rateConfidence` (and a grammar) the phone loop that rates it decodes alongside, so
    /// that the rating costs nothing after the utterance ends.
    func startUtterance(rateConfidence: Bool) throws {
        guard utterance == nil else {
            throw SpeechError.utteranceState("an utterance is already started: call endUtterance() first")
        }
        utterance = Utterance(ratesConfidence: rateConfidence)
    }

    /// Decodes a chunk; returns the partial hypothesis when `partial` is set.
    func feed(_ chunk: AudioChunk, partial: Bool) throws -> String? {
        guard var current = utterance else {
            throw SpeechError.utteranceState("feed() called without startUtterance()")
        }
        let speech = Self.dithered(try speechSamples(chunk), from: current.samples.count)
        let clock = ContinuousClock()
        let started = clock.now
        if current.startTimestamp == nil, !speech.isEmpty { current.startTimestamp = chunk.timestamp }
        current.samples.append(contentsOf: speech)
        if !current.decoding, current.samples.count >= Self.cepstralMeanSamples {
            current.cepstralMean = decoder.cepstralMean(of: current.samples.prefix(Self.cepstralMeanSamples))
            guard decoder.startUtterance(cepstralMean: current.cepstralMean) else {
                utterance = nil
                throw SpeechError.utteranceState("PocketSphinx could not start an utterance")
            }
            current.decoding = true
            current.phoneLoopDecoding =
                current.ratesConfidence && automaton != nil
                && phoneLoopDecoder()?.startUtterance(cepstralMean: current.cepstralMean) == true
        }
        var failed = false
        while current.decoding, !failed, current.samples.count - current.processed >= Self.blockSamples {
            let block = current.samples[current.processed..<current.processed + Self.blockSamples]
            failed = !decoder.process(block)
            if current.phoneLoopDecoding, let phoneLoop, !phoneLoop.process(block) {
                _ = phoneLoop.endUtterance()
                current.phoneLoopDecoding = false
            }
            current.processed += Self.blockSamples
        }
        let hypothesis = partial && current.decoding ? decoder.hypothesis()?.text : nil
        current.decodeTime += clock.now - started
        utterance = current
        if failed {
            cancelUtterance()
            throw SpeechError.utteranceState("PocketSphinx failed to decode the audio")
        }
        return hypothesis.map(Self.cleanHypothesis)
    }

    /// Abandons the utterance in progress, if any (its audio is dropped, the decoders are ready for the next).
    func cancelUtterance() {
        guard let current = utterance else { return }
        utterance = nil
        if current.decoding { _ = decoder.endUtterance() }
        if current.phoneLoopDecoding { _ = phoneLoop?.endUtterance() }
    }

    func endUtterance() throws -> Transcript {
        guard var current = utterance else {
            throw SpeechError.utteranceState("endUtterance() called without startUtterance()")
        }
        guard !current.samples.isEmpty else {
            cancelUtterance()
            throw SpeechError.audioUnusable("no audio was fed to the utterance")
        }
        utterance = nil
        // Digital silence (nothing above the dither's bit) is nothing said, whatever word the grammar would force onto
        // the dither once noise removal has scaled it up ("bye" for a second of zeros).
        guard current.samples.contains(where: { $0 > 1 || $0 < -1 }) else {
            if current.decoding { _ = decoder.endUtterance() }
            if current.phoneLoopDecoding { _ = phoneLoop?.endUtterance() }
            let nothing = SphinxResult(text: "", score: 0, segments: [], nBest: [])
            return makeTranscript(nothing, confidence: nil, rated: false, utterance: current)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let mean = current.decoding
            ? current.cepstralMean : decoder.cepstralMean(of: current.samples.prefix(Self.cepstralMeanSamples))
        let finished = decode(current.samples, from: current.decoding ? current.processed : nil, cepstralMean: mean)
        // The phone loop: finished where it decoded alongside, decoded now where the utterance was too short to
        // start decoding before its end.
        var loop: [SphinxSegment]?
        if current.phoneLoopDecoding, let phoneLoop {
            loop = decode(current.samples, from: current.processed, cepstralMean: mean, with: phoneLoop)
                ? phoneLoop.segments() : nil
        }
        guard finished else {
            throw SpeechError.utteranceState("PocketSphinx failed to finish the utterance")
        }
        // Ask the lattice for more than `nBest`: partial paths and repeats are dropped afterwards.
        let result = decoder.result(nBest: nBest * 4, posteriors: automaton == nil)
        // With a grammar, rating costs the phone-loop pass; the language model's posteriors come free.
        let rated = current.ratesConfidence || result.posterior != nil
        if rated, !current.phoneLoopDecoding, result.posterior == nil, !result.text.isEmpty {
            loop = phoneLoopSegments(current.samples, cepstralMean: mean)
        }
        let confidence = result.text.isEmpty || !rated ? nil : self.rateConfidence(of: result, phoneLoop: loop)
        current.decodeTime += clock.now - started
        return makeTranscript(result, confidence: confidence, rated: rated, utterance: current)
    }

    /// Decodes `samples` to the end of an utterance: from sample `from` of one already started, or all of them
    /// in a new one (nil) started with `cepstralMean`, by the recognizer's decoder or `other`. Returns false when
    /// PocketSphinx fails.
    private func decode(
        _ samples: [Int16], from start: Int?, cepstralMean: [Float]?, with other: SphinxDecoder? = nil
    ) -> Bool {
        let decoder = other ?? self.decoder
        if start == nil {
            guard decoder.startUtterance(cepstralMean: cepstralMean) else { return false }
        }
        var offset = start ?? 0
        var ok = true
        while ok, offset < samples.count {
            let end = min(samples.count, offset + Self.blockSamples)
            ok = decoder.process(samples[offset..<end])
            offset = end
        }
        return decoder.endUtterance() && ok
    }

    private func makeTranscript(
        _ result: SphinxResult, confidence: Confidence?, rated: Bool, utterance: Utterance
    ) -> Transcript {
        let origin = utterance.startTimestamp ?? 0
        let frameSeconds = 1 / Double(decoder.frameRate)
        func timing(_ index: Int, as word: String) -> WordTiming {
            let segment = result.segments[index]
            return WordTiming(
                word: word, start: origin + Double(segment.startFrame) * frameSeconds,
                end: origin + Double(segment.endFrame + 1) * frameSeconds, confidence: confidence?.segments[index])
        }
        let words = result.segments.indices.compactMap { index -> WordTiming? in
            let word = result.segments[index].word
            return Self.isFiller(word) ? nil : timing(index, as: Self.baseWord(word))
        }
        let fillers = result.segments.indices.compactMap { index -> WordTiming? in
            let segment = result.segments[index]
            guard Self.isFiller(segment.word), !segment.word.hasPrefix("("), segment.frames > 0 else { return nil }
            return timing(index, as: segment.word)
        }
        let text = Self.cleanHypothesis(result.text)
        let duration = utterance.decodeTime.components
        var transcript = Transcript(
            text: text, confidence: text.isEmpty ? 0 : confidence?.utterance ?? 0,
            alternatives: alternatives(best: Hypothesis(text: text, score: Int(result.score)), entries: result.nBest),
            words: words, audioSeconds: Double(utterance.samples.count) / Double(AudioFormat.speech.sampleRate),
            decodeMilliseconds: Double(duration.seconds) * 1000 + Double(duration.attoseconds) / 1e15,
            isConfidenceRated: rated, score: text.isEmpty ? 0 : Int(result.score))
        transcript.fillers = fillers
        return transcript
    }

    // MARK: Confidence

    private static let phoneLoopSearch = "hark-phone-loop"
    /// A second decoder for the phone loop, created on the first confidence rating (its acoustic scoring is cheaper
    /// than the recognizer's, see ``SphinxDecoder/Role/phoneLoop``).
    private var phoneLoop: SphinxDecoder?

    /// The confidence of an utterance and of each segment of its best path.
    private struct Confidence {
        var utterance: Double
        var segments: [Double?]
    }

    /// Confidence: how close the acoustic score of the recognised words comes to that of an unconstrained phone
    /// loop over the same audio (a likelihood ratio per frame), through a logistic curve.
    ///
    /// When the audio is what the grammar says, the words explain it about as well as free phones do; when the
    /// grammar forces a wrong sentence onto the audio, the words' acoustic score falls well below the phone loop's.
    /// PocketSphinx's own lattice posterior (`ps_get_prob`, `-bestpath yes`) was 1.0 for every grammar result,
    /// right or wrong, and the n-best score margin did not separate either. The curve's midpoint and scale were
    /// fitted on eSpeak voices (SpeechBench, 120 clips and 30 out-of-grammar requests, with the phone loop's cheaper
    /// scoring): correct results mostly lie above -0.0016 per frame (93 % rated >= 0.5), out-of-grammar speech
    /// forced onto the grammar below (29/30 rejected). Near misses (light/lights) score as high as correct results.
    /// Kept after noise removal was turned on: SpeechBench then rated 89–92 % of correct results >= 0.5 and rejected
    /// 28–29/30 out-of-grammar requests.
    static let confidenceMidpoint = -0.0016
    static let confidenceScale = 0.0004

    static func logistic(_ ratio: Double) -> Double {
        1 / (1 + exp(-(ratio - confidenceMidpoint) / confidenceScale))
    }

    /// With a grammar, rates the utterance and each word against the phone loop's segments over the same audio; with
    /// the language model, PocketSphinx's lattice posteriors (meaningful there: the lattice holds real competitors,
    /// and its scores are on another scale than the phone loop's). Nil when the phone loop could not run (an internal
    /// failure, not a judgement on the audio).
    private func rateConfidence(of result: SphinxResult, phoneLoop loop: [SphinxSegment]?) -> Confidence? {
        if let posterior = result.posterior {
            return Confidence(utterance: posterior, segments: result.segments.map(\.posterior))
        }
        guard let loop else { return nil }
        func perFrame(_ segments: [SphinxSegment]) -> Double? {
            let frames = segments.reduce(0) { $0 + $1.frames }
            guard frames > 0 else { return nil }
            return segments.reduce(0.0) { $0 + decoder.naturalLog($1.acousticScore) } / Double(frames)
        }
        guard let words = perFrame(result.segments), let phones = perFrame(loop) else { return nil }
        let segments = result.segments.map { segment -> Double? in
            if Self.isFiller(segment.word) {
                return Self.speechInFiller(segment, loop: loop, decoder: decoder).map(Self.logistic)
            }
            // The phone loop's score over the segment's frames, sharing out phones that straddle its edges.
            var loopScore = 0.0
            for phone in loop where phone.endFrame >= segment.startFrame && phone.startFrame <= segment.endFrame {
                let overlap = min(phone.endFrame, segment.endFrame) - max(phone.startFrame, segment.startFrame) + 1
                loopScore += decoder.naturalLog(phone.acousticScore) * Double(overlap) / Double(phone.frames)
            }
            guard segment.frames > 0 else { return nil }
            return Self.logistic((decoder.naturalLog(segment.acousticScore) - loopScore) / Double(segment.frames))
        }
        return Confidence(utterance: Self.logistic(words - phones), segments: segments)
    }

    /// A filler (silence, noise) rated only where the phone loop heard speech inside it: nil when it heard none
    /// (there is nothing to judge: rated over its whole length, silence is measured against whatever phones the loop
    /// fits to breath or noise). A grammar that cannot place a speaker's words lets them pass as silence, and the
    /// silence around them rates the whole filler high. The phone loop's phones that lie mostly inside the filler and are not silence or noise are
    /// the speech, when there is a syllable among them (a vowel: a lone consonant at the edge is a breath, a click or
    /// the next word's onset); the filler's score over the rest is taken to be the phone loop's there, and what
    /// remains of it, per frame of speech, is set against the phone loop's speech.
    private static func speechInFiller(_ filler: SphinxSegment, loop: [SphinxSegment], decoder: SphinxDecoder)
        -> Double?
    {
        var quietScore = 0.0
        var speechScore = 0.0
        var speechFrames = 0
        var syllable = false
        for phone in loop where phone.endFrame >= filler.startFrame && phone.startFrame <= filler.endFrame {
            let overlap = min(phone.endFrame, filler.endFrame) - max(phone.startFrame, filler.startFrame) + 1
            let score = decoder.naturalLog(phone.acousticScore) * Double(overlap) / Double(phone.frames)
            if phone.word == "SIL" || phone.word.hasPrefix("+") || 2 * overlap < phone.frames {
                quietScore += score
            } else {
                speechScore += score
                speechFrames += overlap
                syllable = syllable || vowels.contains(phone.word)
            }
        }
        guard speechFrames > 0, syllable else { return nil }
        return (decoder.naturalLog(filler.acousticScore) - quietScore - speechScore) / Double(speechFrames)
    }

    /// The CMU phone set's vowels, the phone loop's names for them.
    private static let vowels: Set<String> = [
        "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
    ]

    /// The phone-loop decoder, created on first use (nil when it cannot be).
    private func phoneLoopDecoder() -> SphinxDecoder? {
        if phoneLoop == nil {
            guard let created = try? SphinxDecoder(models: models, role: .phoneLoop),
                created.addPhoneLoopSearch(name: Self.phoneLoopSearch) == nil,
                created.activateSearch(Self.phoneLoopSearch)
            else { return nil }
            phoneLoop = created
        }
        return phoneLoop
    }

    /// The phone loop's segments for a whole utterance's audio.
    private func phoneLoopSegments(_ samples: [Int16], cepstralMean: [Float]?) -> [SphinxSegment]? {
        guard let phoneLoop = phoneLoopDecoder(),
            decode(samples, from: nil, cepstralMean: cepstralMean, with: phoneLoop)
        else { return nil }
        return phoneLoop.segments()
    }

    // MARK: Audio and words

    private func speechSamples(_ chunk: AudioChunk) throws -> [Int16] {
        guard chunk.format.sampleRate > 0 else { throw SpeechError.audioUnusable("sample rate is 0") }
        guard chunk.format.channels > 0 else { throw SpeechError.audioUnusable("channel count is 0") }
        guard !chunk.samples.isEmpty else { return [] }
        return chunk.format == .speech ? chunk.samples : converter.toSpeechFormat(chunk).samples
    }

    /// `samples` (the utterance's from index `start` on) with one least significant bit added to a quarter of them,
    /// chosen by position: the tiny noise floor of any real microphone. Without it, stretches of digital silence (a
    /// synthesised or gated recording) give the front end's noise estimate nothing to measure, and PocketSphinx's
    /// noise removal then costs words (VoiceBench, clean recordings padded with zeros: intent+slots 56.2 % without
    /// noise removal, 50.0 % with it, 64.1 % with it and this dither). The same as PocketSphinx's `-dither`, but the
    /// same samples get the same bit however the audio is chunked and whatever was decoded before (its generator
    /// is global and carries on from utterance to utterance). The bit is chosen by SplitMix64's mixing function.
    static func dithered(_ samples: [Int16], from start: Int) -> [Int16] {
        var output = samples
        for index in output.indices where output[index] < Int16.max {
            var mixed = UInt64(start + index) &* 0x9E37_79B9_7F4A_7C15
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            if (mixed ^ (mixed >> 31)) & 3 == 0 { output[index] += 1 }
        }
        return output
    }

    /// The best hypothesis first, then the other distinct n-best entries (with a grammar, only whole sentences of
    /// it), at most `nBest`.
    private func alternatives(best: Hypothesis, entries: [Hypothesis]) -> [Hypothesis] {
        guard nBest > 0, !best.text.isEmpty else { return [] }
        var seen: Set<String> = [best.text]
        var list = [best]
        for entry in entries where list.count < nBest {
            let text = Self.cleanHypothesis(entry.text)
            guard !text.isEmpty, seen.insert(text).inserted else { continue }
            if let automaton, !automaton.accepts(text.split(separator: " ").map(String.init)) { continue }
            list.append(Hypothesis(text: text, score: entry.score))
        }
        return list
    }

    /// Silence, breath and noise tokens, sentence markers, and the `(NULL)` of a grammar's null transitions.
    static func isFiller(_ word: String) -> Bool {
        word.hasPrefix("<") || word.hasPrefix("[") || word.hasPrefix("+") || word.hasPrefix("(")
    }

    /// `light(2)` → `light`.
    static func baseWord(_ word: String) -> String {
        guard word.hasSuffix(")"), let open = word.lastIndex(of: "(") else { return word }
        return String(word[..<open])
    }

    static func cleanHypothesis(_ text: String) -> String {
        text.split(separator: " ").map(String.init).filter { !isFiller($0) }.map(baseWord).joined(separator: " ")
    }
}

/// A pronunciation dictionary file (CMUdict format: `word PH O N E S`, alternates as `word(2)`), read on demand so
/// that the decoder holds only the words its grammars use.
struct PronunciationFile {
    var path: String

    /// The entries of the given words (with their alternates), in file order.
    ///
    /// - Throws: ``SpeechError`` when the file cannot be read.
    func entries(of words: Set<String>) throws -> [(entry: String, phones: String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpeechError.missingModelPath(
                what: "pronunciation dictionary (unreadable)", path: path, package: SpeechModelPaths.debianPackage)
        }
        var found: [(entry: String, phones: String)] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let end = line.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else {
                continue
            }
            let entry = String(decoding: line[line.startIndex..<end], as: UTF8.self)
            guard words.contains(RecognitionEngine.baseWord(entry)) else { continue }
            let phones = String(decoding: line[end...], as: UTF8.self)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !phones.isEmpty { found.append((entry, phones)) }
        }
        return found
    }
}
