import Foundation
import HarkAssistant
import HarkAudio
import HarkSpeech
import HarkUnderstanding

/// What the recognizer heard in one utterance, ready for the Assistant.
public struct VoiceTranscript: Sendable, Codable, Equatable {
    /// The request, wake phrase removed ("" when nothing usable was heard, or the wake phrase was required and
    /// missing).
    public var text: String
    /// True when the utterance started with the wake phrase (heard with at least
    /// ``VoiceRecognizerOptions/minimumWakeConfidence``).
    public var heardWakePhrase: Bool
    /// The lower confidence of the wake phrase's words, when the decoder put the wake phrase first.
    public var wakeConfidence: Double?
    /// 0…1: how sure the recognizer is of `text` (PocketSphinx's posterior, lowered when the n-best readings
    /// disagree about the intent).
    public var confidence: Double
    /// Other readings (n-best), best first, wake phrase removed, `text` not repeated.
    public var alternatives: [String]
    /// Milliseconds spent decoding (both passes when a wildcard was decoded again).
    public var decodeMilliseconds: Double
    /// Length of the utterance in seconds.
    public var audioSeconds: Double
    /// What the text was before a second pass replaced a wildcard's words (nil without a second pass).
    public var firstPassText: String?
    /// When set, the reading is uncertain: confirm it ("Did you mean …?") before acting on it.
    public var doubt: RecognitionDoubt?

    public init(
        text: String, heardWakePhrase: Bool, wakeConfidence: Double? = nil, confidence: Double, alternatives: [String],
        decodeMilliseconds: Double, audioSeconds: Double, firstPassText: String? = nil, doubt: RecognitionDoubt? = nil
    ) {
        self.text = text
        self.heardWakePhrase = heardWakePhrase
        self.wakeConfidence = wakeConfidence
        self.confidence = confidence
        self.alternatives = alternatives
        self.decodeMilliseconds = decodeMilliseconds
        self.audioSeconds = audioSeconds
        self.firstPassText = firstPassText
        self.doubt = doubt
    }
}

/// Settings of the ``VoiceRecognizer``.
public struct VoiceRecognizerOptions: Sendable {
    /// How wildcard slots (shopping items) are decoded.
    public var wildcardStrategy: WildcardStrategy = .vocabulary
    /// How many n-best readings to ask PocketSphinx for. 0 by default: over the skills' grammar, PocketSphinx's
    /// lattice and n-best search took minutes per utterance (290 s against 1.9 s for the decode itself).
    public var nBest: Int = 0
    /// Below this recognizer confidence a reading is doubted (asked back: "Did you mean …?"). Chosen from
    /// VoiceBench's trade-off table (it prints, for thresholds 0–0.7, the wrong readings still acted on without a
    /// question and the right ones asked back): on its 128 recordings and the 64 held-out ones, clean and at 10 dB SNR
    /// (159 wrong readings that mean an intent, 177 right ones), 0.2 let 107 wrong readings through silently and
    /// asked back 19 right ones; 0.5 lets 63 through and asks back 57; 0.7 lets 30 through and asks back 93. A
    /// question costs one "yes"; a wrong action has to be noticed and undone.
    public var minimumConfidence: Double = 0.5
    /// A wake phrase heard with less confidence than this (the geometric mean of its words' phone-loop confidences)
    /// does not count: the wake grammar forces the wake phrase onto any speech, and the confidence tells a real one
    /// from a forced one — not cleanly. With noise removal on, forced ones that passed the check below rated 0.04,
    /// 0.046, 0.071, 0.19 and 0.21 (VoiceBench and eSpeak probes), real ones 0.056 and then 0.17–0.89.
    /// 0.01 → 0.1 (VoiceBench, 32 clips each): clean false alarms 2 → 1, detections 31 → 30 (the 0.056 one); at
    /// 10 dB SNR 26 of 32 detected either way, no false alarm. `RecognitionTests.aForcedWakePhraseDoesNotWakeHark`.
    /// 0.1 → 0.15 on real voices (RealVoiceBench: "computer" and "jarvis" said alone by real people, 150 each, against
    /// 390 recordings of other speech per word): detected 295 → 294 of 300, false alarms 76 → 63 (0.2: 293 / 51, 0.3:
    /// 292 / 33, 0.5: 291 / 21); and the request grammar grown by the per-skill list budget forced "hey hark italy
    /// soup" onto the test's request at 0.1007.
    public var minimumWakeConfidence: Double = 0.15
    /// From this wake confidence on, the wake phrase counts without the check that the wake grammar explains the
    /// audio better than the request grammar (the path scores disagreed on a clear "hey hark" scored 0.85).
    public var certainWakeConfidence: Double = 0.5
    /// Whether a slot whose list the grammar holds only part of (``RecognitionGrammarOptions/maxListValues``) is
    /// decoded again over its time span with a small grammar of every value of its list (and the words on either
    /// side), when the first pass matched an intent. The first pass finds where the slot is; the second hears which
    /// value it is, at the cost of one short decode after the end-point; a value beyond the cap (one the first pass
    /// could not hear) replaces the first pass's. VoiceBench (128 recordings, no wake clips): intent+slots right
    /// 39.1 → 45.3 % clean, 21.9 % at 10 dB SNR either way; peak memory 407 → 449 MB (a third decoder and its span
    /// grammars), p99 latency after the end-point 158 → 226 ms clean, p50 unchanged.
    public var decodesCappedListsAgain = true
    /// Extra pronunciations, word → CMU phones (Hark's own words: ``HarkModelFiles/pronunciations()``).
    public var extraDictionary: [String: String] = [:]
    /// What the grammar keeps of the skills' sentences and lists.
    public var grammar = RecognitionGrammarOptions()
    /// Whether to decode a second time with only the intents the first pass's n-best readings mean, with
    /// ``refinementGrammar`` (more of their sentences and list values than the first pass's grammar can hold).
    /// Off by default: in VoiceBench (32 recordings) it gave no more right answers than the first pass with 40 list
    /// values, and with every list value its grammars took the peak memory to 880 MB and p99 latency to 20 s.
    public var refinesIntents = false
    /// What the second pass keeps of the candidate intents' sentences and lists (its ``RecognitionGrammarOptions/
    /// onlyIntents`` is set per utterance).
    public var refinementGrammar: RecognitionGrammarOptions = {
        var options = RecognitionGrammarOptions()
        options.maxListValues = nil
        options.maxSentencesPerIntent = nil
        options.bareAnswers = false
        return options
    }()
    /// When set, decode with a trigram language model trained on this many sentences drawn at random from the
    /// skills' grammar built with ``languageModelGrammar`` (every list value), instead of with the word graph (which
    /// is still built for ``VoiceRecognizer/grammar``, so loading takes longer: a benchmark option).
    /// Off (nil) by default: in VoiceBench (128 recordings, 100,000 sentences) it decoded twice as fast as the graph
    /// but got 28.9 % intent+slots right clean and 12.5 % at 10 dB SNR against the graph's 39.1 % and 21.9 %.
    public var languageModelSentences: Int? = nil
    /// What the language model's training grammar keeps of the skills' sentences and lists.
    public var languageModelGrammar: RecognitionGrammarOptions = {
        var options = RecognitionGrammarOptions()
        options.maxListValues = nil
        options.maxSentencesPerBlock = nil
        return options
    }()

    public init() {}
}

/// How the words of a wildcard slot are recognised.
public enum WildcardStrategy: String, Sendable, CaseIterable, Codable {
    /// The grammar holds a vocabulary of products and foods; one pass.
    case vocabulary
    /// The first pass uses the vocabulary to find the slot; its time span is decoded again with the generic
    /// language model, whose words replace the slot's.
    case secondPass
    /// Like `secondPass`, but the generic model's words replace the slot's only when the first pass was unsure
    /// of them (low confidence) or the second reading is also a known phrase.
    case combined
}

/// Speech to request text for the voice loop: PocketSphinx decoding with a grammar built from every skill's
/// sentences (``VoiceGrammar``), the wake phrase in front, wildcards from the skills' ``WildcardVocabularies``, and
/// pronunciations from eSpeak NG for words the dictionary lacks (``PronunciationFiller``).
///
/// Build it once (loading the models and adding pronunciations takes about a second) and call
/// ``recognize(_:requireWake:)`` per endpointed utterance.
public actor VoiceRecognizer {
    /// The engine the grammar was built from (also used to judge the n-best readings).
    public private(set) var engine: IntentEngine
    /// The grammar in use, built from the engine's sentences.
    public private(set) var grammar: VoiceGrammar
    /// Pronunciations added from eSpeak NG, and words that could not be given one.
    public private(set) var pronunciations: PronunciationReport
    /// The settings.
    public nonisolated let options: VoiceRecognizerOptions
    /// The phrases wildcard slots are heard as.
    public nonisolated let vocabularies: WildcardVocabularies
    /// The wake phrase as words.
    public nonisolated let wakeWords: [String]

    /// Decodes with the wake phrase required in front (Hark idle).
    private let wakeRecognizer: Recognizer
    /// Decodes requests without the wake phrase (a conversation is open).
    private let requestRecognizer: Recognizer
    private let models: SpeechModelPaths
    private var openRecognizer: Recognizer?
    /// The second pass's decoder, its word graphs by candidate-intent set, and the set now searched.
    private var refineRecognizer: Recognizer?
    private var refineGraphs: [String: WordGraph] = [:]
    private var refineSearch: String?
    /// The decoder of the capped-list second pass, the capped lists by skill and slot, its span grammars by key, and
    /// the key of the one set.
    private var listRecognizer: Recognizer?
    private var cappedLists: [CappedListKey: CappedList] = [:]
    private var listGraphs: [String: WordGraph] = [:]
    private var listSearch: String?
    private var listUnpronounceable: Set<String> = []
    private static let keptSpanGraphs = 4

    private struct CappedListKey: Hashable {
        var skill: String
        var slot: String
    }

    /// A list the grammar holds only the first values of, as the second pass needs it.
    private struct CappedList {
        var name: String
        /// Every value, as a JSGF expansion.
        var expansion: String
        /// The values the grammar left out, as words.
        var beyondCap: [[String]]
    }

    /// Loads the acoustic model and a grammar of `engine`'s sentences.
    /// - Parameters:
    ///   - vocabularies: what wildcard slots may be heard as; the default is none (wildcard sentences then cannot
    ///     be heard): pass `WildcardVocabularies.load(skills:)` of the installed skills.
    public init(
        engine: IntentEngine, models: SpeechModelPaths = .debianDefault, wakePhrase: String = "hey hark",
        vocabularies: WildcardVocabularies = WildcardVocabularies(),
        options: VoiceRecognizerOptions = VoiceRecognizerOptions()
    ) async throws {
        self.engine = engine
        self.models = models
        self.options = options
        self.vocabularies = vocabularies
        wakeWords = WildcardVocabulary.normalize(wakePhrase)?.split(separator: " ").map(String.init) ?? []
        // Start with a one-word grammar: the full one can only be set once every word has a pronunciation.
        wakeRecognizer = try Self.boot(models: models, options: options)
        requestRecognizer = try Self.boot(models: models, options: options)
        (grammar, pronunciations) = try await Self.install(
            engine: engine, vocabularies: vocabularies, wakeWords: wakeWords, options: options.grammar,
            into: (wakeRecognizer, requestRecognizer))
        if options.decodesCappedListsAgain { _ = try await cappedListRecognizer() }
        if let sentences = options.languageModelSentences {
            try await Self.installLanguageModels(
                engine: engine, vocabularies: vocabularies, wakeWords: wakeWords, sentences: sentences,
                options: options.languageModelGrammar, into: (wakeRecognizer, requestRecognizer))
        }
    }

    /// Trains trigram models on sentences drawn from the grammar (with the wake phrase, and without) and makes them
    /// the recognizers' searches.
    private static func installLanguageModels(
        engine: IntentEngine, vocabularies: WildcardVocabularies, wakeWords: [String], sentences: Int,
        options: RecognitionGrammarOptions, into recognizers: (wake: Recognizer, request: Recognizer)
    ) async throws {
        var random = SplitMix64(seed: 42)
        for (layout, recognizer) in [(WakePhraseLayout.required, recognizers.wake), (.none, recognizers.request)] {
            let text = VoiceGrammar.jsgf(
                engine: engine, wakeWords: wakeWords, vocabularies: vocabularies, layout: layout, options: options
            ).text
            let parsed = try JSGFSampler(jsgf: text, name: VoiceGrammar.name)
            let report = try await PronunciationFiller.fill(parsed.words, into: recognizer)
            let sampler = parsed.excluding(Set(report.unpronounceable.keys))
            let words = sampler.words
            let model = NGramModel(
                sentences: try sampler.sentences(count: sentences, using: &random), extraWords: words)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hark-\(getpid())-\(layout.rawValue).lm").path
            try model.arpa.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await recognizer.setGrammar(.languageModelFile(file, words: words))
        }
    }

    /// A recognizer for everything `assistant` understands: its skills' sentences, their `vocabulary/` files and
    /// Hark's own pronunciations (`Models/hark.dict`, unless `options` brings its own `extraDictionary`).
    public init(
        assistant: Assistant, models: SpeechModelPaths = .debianDefault, wakePhrase: String = "hey hark",
        options: VoiceRecognizerOptions = VoiceRecognizerOptions()
    ) async throws {
        var options = options
        if options.extraDictionary.isEmpty { options.extraDictionary = try HarkModelFiles.pronunciations() }
        let skills = await assistant.installedSkills.map { (id: $0.id, folder: $0.package.folder) }
        try await self.init(
            engine: assistant.intentEngine, models: models, wakePhrase: wakePhrase,
            vocabularies: try WildcardVocabularies.load(skills: skills), options: options)
    }

    private static func boot(models: SpeechModelPaths, options: VoiceRecognizerOptions) throws -> Recognizer {
        try Recognizer(
            models: models, grammar: .jsgf(bootGrammar, name: "boot"), extraDictionary: options.extraDictionary,
            nBest: options.nBest)
    }

    static let bootGrammar = "#JSGF V1.0;\ngrammar boot;\npublic <boot> = hark;\n"

    /// Rebuilds the language model after the installed skills changed.
    public func update(engine: IntentEngine) async throws {
        (grammar, pronunciations) = try await Self.install(
            engine: engine, vocabularies: vocabularies, wakeWords: wakeWords, options: options.grammar,
            into: (wakeRecognizer, requestRecognizer))
        awaitedIntent = nil
        answersIntent = nil
        self.engine = engine
        if options.decodesCappedListsAgain {
            listRecognizer = nil
            listGraphs = [:]
            listSearch = nil
            _ = try await cappedListRecognizer()
        }
    }

    /// Builds the grammar (with the wake phrase required, and without it), gives its words pronunciations and makes
    /// it the recognizers' searches. Sentences with a word that has no pronunciation are left out. A list's value
    /// alone ("the kitchen") is left out too: it only means something as an answer (``expectAnswer(to:)``), and
    /// anywhere else its short paths soaked up commands ("add milk" heard as "milk", "i'm done what's next" as
    /// "box"). VoiceBench (128 recordings, no wake clips): intent+slots right 45.3 → 50.8 % clean, 23.4 → 24.2 % at
    /// 10 dB SNR without them.
    private static func install(
        engine: IntentEngine, vocabularies: WildcardVocabularies, wakeWords: [String],
        options: RecognitionGrammarOptions, into recognizers: (wake: Recognizer, request: Recognizer)
    ) async throws -> (VoiceGrammar, PronunciationReport) {
        let wakePhrase = wakeWords.joined(separator: " ")
        var commands = options
        commands.bareAnswers = false
        // "yes" and "no" only answer a question (``expectAnswer(to:)``) unless the grammars never switch.
        if options.bareAnswers { commands.exceptIntents = Assistant.answerIntents }
        let wake = try VoiceGrammar(
            engine: engine, wakePhrase: wakePhrase, vocabularies: vocabularies, layout: .required, options: commands)
        let request = try VoiceGrammar(
            engine: engine, wakePhrase: wakePhrase, vocabularies: vocabularies, layout: .none, options: commands)
        let report = try await PronunciationFiller.fill(wake.words, into: recognizers.wake)
        for (word, phones) in report.added.sorted(by: { $0.key < $1.key }) {
            try await recognizers.request.addWord(word, phones: phones.joined(separator: " "))
        }
        let unspeakable = Set(report.unpronounceable.keys)
        let usable = try wake.excluding(unspeakable)
        try await recognizers.wake.setGrammar(.wordGraph(usable.graph, name: VoiceGrammar.name))
        try await recognizers.request.addGrammar(
            .wordGraph(try request.excluding(unspeakable).graph, name: VoiceGrammar.name), named: Self.commandsGrammar)
        return (usable, report)
    }

    private static let commandsGrammar = "commands"
    private static let answersGrammar = "answers"

    /// The intent ("skill/intent") whose slot the assistant waits for, set by ``expectAnswer(to:)``.
    public private(set) var awaitedIntent: String?
    /// The intent the request recognizer's answers grammar was built for.
    private var answersIntent: String?

    /// Tells the recognizer that the assistant waits for a slot of `intent` ("skill/intent"), for an answer in a
    /// conversation with a skill ("skill/*": a confirmation, "anything else?"), or for nothing (nil). While it waits,
    /// requests without the wake phrase are decoded with a grammar of that intent's (or skill's) sentences, for a slot
    /// its lists' values alone ("the kitchen" after "Which room?"), and Hark's own intents (yes, no, stop, cancel,
    /// help…) — the answers a person gives then — instead of every skill's commands (which have no "yes" and
    /// "no": they only mean something as answers). The grammar is built on the first question of an intent or skill
    /// and kept until another asks (VoiceBench, release build: 317 ms for the shopping list's AddItem, 322 ms for the
    /// whole shopping skill, 143 ms for the recipes skill; `VoiceLoop` does it while the question is played). Not
    /// during an utterance. Nothing changes when ``RecognitionGrammarOptions/bareAnswers`` is off.
    public func expectAnswer(to intent: String?) async throws {
        guard options.grammar.bareAnswers, intent != awaitedIntent else { return }
        guard stream == nil else {
            throw VoiceError.utteranceState("expectAnswer(to:) called while an utterance is being decoded")
        }
        if let intent, intent == answersIntent {
            try await requestRecognizer.useGrammar(named: Self.answersGrammar)
        } else if let intent {
            var answers = options.grammar
            answers.onlyIntents = [intent, Assistant.builtinSkillID + "/*"]
            answers.bareAnswers = !intent.hasSuffix("/*")
            let grammar = try VoiceGrammar(
                engine: engine, wakePhrase: "", vocabularies: vocabularies, layout: .none, options: answers)
            // Its words are the full grammar's: they have their pronunciations already.
            let graph = try grammar.excluding(Set(pronunciations.unpronounceable.keys)).graph
            answersIntent = nil
            try await requestRecognizer.addGrammar(
                .wordGraph(graph, name: VoiceGrammar.name + "-answers"), named: Self.answersGrammar)
            answersIntent = intent
        } else {
            try await requestRecognizer.useGrammar(named: Self.commandsGrammar)
        }
        awaitedIntent = intent
    }

    /// Decodes one endpointed utterance (16 kHz mono).
    /// - Parameter requireWake: only a request that starts with the wake phrase counts; without it the
    ///   transcript's text is "".
    public func recognize(_ utterance: AudioChunk, requireWake: Bool) async throws -> VoiceTranscript {
        let started = ContinuousClock.now
        guard !utterance.samples.isEmpty else { return Self.nothingHeard }
        let transcript = try await (requireWake ? wakeRecognizer : requestRecognizer).transcribe(utterance)
        return try await conclude(
            transcript, unwoken: nil, utterance: utterance, requireWake: requireWake, started: started)
    }

    /// The transcript of no audio.
    private static let nothingHeard = VoiceTranscript(
        text: "", heardWakePhrase: false, confidence: 0, alternatives: [], decodeMilliseconds: 0, audioSeconds: 0)

    /// An utterance being decoded while it is spoken.
    private struct Stream {
        var requireWake: Bool
        var samples: [Int16] = []
        var timestamp: Double?
        /// Decode time so far (the stream's calls, not the time between them).
        var decodeTime: Duration = .zero
    }

    private var stream: Stream?

    /// Starts decoding an utterance while it is spoken (``feed(_:)`` its audio as it comes, then
    /// ``endUtterance()``): the result is the one ``recognize(_:requireWake:)`` gives for the whole audio, but almost
    /// all of the decoding is done by the time speech ends. With `requireWake`, the request grammar decodes alongside
    /// (its score is what the wake phrase is checked against). An utterance still open is abandoned.
    public func startUtterance(requireWake: Bool) async throws {
        await cancelUtterance()
        let clock = ContinuousClock()
        let started = clock.now
        if requireWake {
            try await wakeRecognizer.startUtterance()
            do {
                try await requestRecognizer.startUtterance(rateConfidence: false)
            } catch {
                await wakeRecognizer.cancelUtterance()
                throw error
            }
        } else {
            try await requestRecognizer.startUtterance()
        }
        stream = Stream(requireWake: requireWake, decodeTime: clock.now - started)
    }

    /// Decodes the next chunk (16 kHz mono) of the utterance started with ``startUtterance(requireWake:)``.
    public func feed(_ chunk: AudioChunk) async throws {
        guard var current = stream else {
            throw VoiceError.utteranceState("feed() called without startUtterance(requireWake:)")
        }
        guard !chunk.samples.isEmpty else { return }
        let clock = ContinuousClock()
        let started = clock.now
        if current.timestamp == nil { current.timestamp = chunk.timestamp }
        current.samples += chunk.samples
        do {
            if current.requireWake {
                // The two decoders are separate actors: they decode the chunk on both cores at once.
                async let woken = wakeRecognizer.feed(chunk)
                async let unwoken = requestRecognizer.feed(chunk)
                _ = try await (woken, unwoken)
            } else {
                _ = try await requestRecognizer.feed(chunk)
            }
        } catch {
            await cancelUtterance()
            throw error
        }
        current.decodeTime += clock.now - started
        stream = current
    }

    /// Ends the utterance started with ``startUtterance(requireWake:)`` and returns what was heard.
    public func endUtterance() async throws -> VoiceTranscript {
        guard let current = stream else {
            throw VoiceError.utteranceState("endUtterance() called without startUtterance(requireWake:)")
        }
        stream = nil
        let started = ContinuousClock.now - current.decodeTime
        let utterance = AudioChunk(samples: current.samples, format: .speech, timestamp: current.timestamp ?? 0)
        guard !current.samples.isEmpty else {
            await wakeRecognizer.cancelUtterance()
            await requestRecognizer.cancelUtterance()
            return Self.nothingHeard
        }
        if current.requireWake {
            async let woken = wakeRecognizer.endUtterance()
            async let unwoken = requestRecognizer.endUtterance()
            let (transcript, request) = try await (woken, unwoken)
            return try await conclude(
                transcript, unwoken: request, utterance: utterance, requireWake: true, started: started)
        }
        let transcript = try await requestRecognizer.endUtterance()
        return try await conclude(transcript, unwoken: nil, utterance: utterance, requireWake: false, started: started)
    }

    /// Abandons the utterance in progress, if any.
    public func cancelUtterance() async {
        guard stream != nil else { return }
        stream = nil
        await wakeRecognizer.cancelUtterance()
        await requestRecognizer.cancelUtterance()
    }

    /// From the decoder's transcript to the ``VoiceTranscript``: the wake phrase checked and split off, the second
    /// passes where configured, the reading judged.
    /// - Parameter unwoken: the request grammar's unrated transcript of the same audio, when already decoded (a
    ///   stream); otherwise it is decoded here if the wake phrase needs the comparison.
    private func conclude(
        _ decoded: Transcript, unwoken: Transcript?, utterance: AudioChunk, requireWake: Bool,
        started: ContinuousClock.Instant
    ) async throws -> VoiceTranscript {
        var transcript = decoded
        let audioSeconds = Double(utterance.samples.count) / Double(max(1, utterance.format.sampleRate))
        var (text, heardWake) = stripWake(transcript.text)
        var wakeConfidence: Double?
        if heardWake {
            let wakeTimings = transcript.words.prefix(wakeWords.count)
            // The geometric mean of the words' confidences: the phone loop rates single words erratically (a real
            // "hark" from eSpeak scored 0.08–0.43, a forced one 4e-6), the phrase as a whole separates better.
            let logSum = wakeTimings.map { log(max(1e-12, $0.confidence ?? 0)) }.reduce(0, +)
            wakeConfidence = exp(logSum / Double(max(1, wakeTimings.count)))
            if (wakeConfidence ?? 0) < options.minimumWakeConfidence {
                heardWake = false
                text = ""
            } else if requireWake && (wakeConfidence ?? 0) < options.certainWakeConfidence {
                // The wake grammar forces "hey hark" onto whatever was said. Did it explain the audio better than
                // the request grammar, which has no wake phrase? (Same audio, so the path scores compare.)
                let request: Transcript
                if let unwoken {
                    request = unwoken
                } else {
                    request = try await requestRecognizer.transcribe(utterance, rateConfidence: false)
                }
                if !request.text.isEmpty && request.score > transcript.score {
                    heardWake = false
                    text = ""
                }
            }
        }
        var readings: [String] = []
        for alternative in [transcript.text] + transcript.alternatives.map(\.text) {
            let reading = stripWake(alternative).text
            if !reading.isEmpty && !readings.contains(reading) { readings.append(reading) }
        }
        if requireWake && !heardWake {
            return VoiceTranscript(
                text: "", heardWakePhrase: false, wakeConfidence: wakeConfidence, confidence: transcript.confidence,
                alternatives: [], decodeMilliseconds: Self.milliseconds(since: started), audioSeconds: audioSeconds)
        }
        var firstPass: String?
        if options.refinesIntents, !requireWake || heardWake,
            let refined = try await refine(
                heardWake ? Self.afterWake(utterance, transcript: transcript, wakeWords: wakeWords.count) : utterance,
                readings: readings)
        {
            if refined.transcript.text != text { firstPass = text }
            transcript = refined.transcript
            text = refined.transcript.text
            readings = []
            for alternative in [transcript.text] + transcript.alternatives.map(\.text)
            where !alternative.isEmpty && !readings.contains(alternative) {
                readings.append(alternative)
            }
        }
        if options.decodesCappedListsAgain, !text.isEmpty,
            let relistened = try await decodeCappedListsAgain(text: text, transcript: transcript, utterance: utterance)
        {
            firstPass = firstPass ?? text
            text = relistened.text
            transcript.confidence = relistened.confidence
            // The first pass's readings put other values into the slot: the second pass settled it.
            readings = [text]
        }
        if options.wildcardStrategy != .vocabulary, !text.isEmpty,
            let replaced = try await decodeWildcardAgain(text: text, transcript: transcript, utterance: utterance)
        {
            firstPass = firstPass ?? text
            text = replaced
        }
        let judge = RecognitionJudge(engine: engine, minimumConfidence: options.minimumConfidence)
        let verdict = judge.judge(text: text, readings: readings, confidence: transcript.confidence)
        return VoiceTranscript(
            text: text, heardWakePhrase: heardWake, wakeConfidence: wakeConfidence, confidence: verdict.confidence,
            alternatives: readings.filter { $0 != text }, decodeMilliseconds: Self.milliseconds(since: started),
            audioSeconds: audioSeconds, firstPassText: firstPass, doubt: verdict.doubt)
    }

    /// The audio after the wake phrase's words (as the first pass timed them).
    static func afterWake(_ utterance: AudioChunk, transcript: Transcript, wakeWords: Int) -> AudioChunk {
        let spoken = transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        guard wakeWords > 0, spoken.count >= wakeWords else { return utterance }
        let rate = Double(utterance.format.sampleRate)
        let from = min(utterance.samples.count, max(0, Int((spoken[wakeWords - 1].end - utterance.timestamp) * rate)))
        return AudioChunk(
            samples: Array(utterance.samples[from...]), format: utterance.format,
            timestamp: utterance.timestamp + Double(from) / rate)
    }

    /// The second pass: the utterance decoded with only the intents that the first pass's `readings` mean, with
    /// ``VoiceRecognizerOptions/refinementGrammar``. Nil when no reading means an intent or the second pass hears
    /// nothing.
    private func refine(_ utterance: AudioChunk, readings: [String]) async throws
        -> (transcript: Transcript, intents: Set<String>)?
    {
        let intents = Set(readings.compactMap { engine.match($0).best.map { "\($0.skill)/\($0.intent)" } })
        guard !intents.isEmpty else { return nil }
        let key = intents.sorted().joined(separator: ",")
        let recognizer = try refinementRecognizer()
        if refineSearch != key {
            let graph: WordGraph
            if let cached = refineGraphs[key] {
                graph = cached
            } else {
                var grammarOptions = options.refinementGrammar
                grammarOptions.onlyIntents = intents
                let grammar = try VoiceGrammar(
                    engine: engine, wakePhrase: "", vocabularies: vocabularies, layout: .none, options: grammarOptions)
                let report = try await PronunciationFiller.fill(grammar.words, into: recognizer)
                graph = try grammar.excluding(Set(report.unpronounceable.keys)).graph
                refineGraphs[key] = graph
            }
            try await recognizer.setGrammar(.wordGraph(graph, name: VoiceGrammar.name + "-refine"))
            refineSearch = key
        }
        let transcript = try await recognizer.transcribe(utterance)
        guard !transcript.text.isEmpty else { return nil }
        return (transcript, intents)
    }

    private func refinementRecognizer() throws -> Recognizer {
        if let refineRecognizer { return refineRecognizer }
        let recognizer = try Self.boot(models: models, options: options)
        refineRecognizer = recognizer
        return recognizer
    }

    /// The capped-list second pass (``VoiceRecognizerOptions/decodesCappedListsAgain``): each slot of the matched
    /// intent whose list the grammar cut is decoded again over its span, as `[word before] (every value) [word
    /// after]`. Returns the text with the slots' words replaced and, as its confidence, that of the least certain
    /// word of the values heard again (the first pass's confidence rated the words it forced onto the slot), or nil
    /// when nothing changed.
    private func decodeCappedListsAgain(text: String, transcript: Transcript, utterance: AudioChunk) async throws
        -> (text: String, confidence: Double)?
    {
        guard !cappedLists.isEmpty, let best = engine.match(text).best else { return nil }
        let timed = transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        var words = text.split(separator: " ").map(String.init)
        var confidence = transcript.confidence
        var changed = false
        for (slot, raw) in best.rawSlots.sorted(by: { $0.key < $1.key }) {
            guard let values = cappedLists[CappedListKey(skill: best.skill, slot: slot)],
                let slotWords = WildcardVocabulary.normalize(raw)?.split(separator: " ").map(String.init),
                let range = Self.lastRange(of: slotWords, in: timed.map(\.word)),
                let inText = Self.lastRange(of: slotWords, in: words)
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
                values.beyondCap.contains(where: { Self.lastRange(of: $0, in: heardValue) != nil })
            else { continue }
            words.replaceSubrange(inText, with: heardValue)
            // How well the value heard fits its audio: its least certain word.
            let fit = heardWords.map { $0.confidence ?? 0 }.min() ?? 0
            confidence = min(changed ? confidence : 1, fit)
            changed = true
        }
        return changed ? (words.joined(separator: " "), confidence) : nil
    }

    /// `list` as the second pass needs it, when the grammar holds only the first `cap` of its values (nil when it
    /// holds them all, or the list is not one of values or a wildcard with a vocabulary).
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

    /// Decodes a span with a small grammar (cached by `key`) on the second-pass decoder.
    private func decodeSpan(_ span: AudioChunk, jsgf: String, key: String) async throws -> Transcript? {
        let recognizer = try await cappedListRecognizer()
        if listSearch != key {
            let graph: WordGraph
            if let cached = listGraphs[key] {
                graph = cached
            } else {
                // The lists' words were given pronunciations when the recognizer was made (adding words to a
                // decoder rebuilds its active search: 21 s for a list of dishes after the ingredients' span).
                graph = try WordGraph(jsgf: jsgf, name: "span", excluding: listUnpronounceable)
                // A few graphs are kept (a list's graph with the words around it; the ingredients' takes 0.3 s to
                // build): keeping every one grew the peak memory by 100 MB over VoiceBench's 256 clips.
                if listGraphs.count >= Self.keptSpanGraphs { listGraphs = [:] }
                listGraphs[key] = graph
            }
            try await recognizer.setGrammar(.wordGraph(graph, name: VoiceGrammar.name + "-span"))
            listSearch = key
        }
        let heard = try await recognizer.transcribe(span)
        return heard.text.isEmpty ? nil : heard
    }

    /// The second pass's decoder, with pronunciations for every word of every capped list, which are gathered here,
    /// and of the grammar (a span's grammar holds the words on either side of the slot) (made on first use, and again
    /// after ``update(engine:)``).
    private func cappedListRecognizer() async throws -> Recognizer {
        if let listRecognizer { return listRecognizer }
        let recognizer = try Self.boot(models: models, options: options)
        var words = grammar.words
        cappedLists = [:]
        if let cap = options.grammar.maxListValues {
            for skill in engine.skillIDs {
                for (slot, list) in engine.slotLists(skill: skill) {
                    let limit = list.isWildcard
                        ? cap
                        : engine.recognitionValueLimit(skill: skill, list: list.list, options: options.grammar)
                    guard let limit, let capped = cappedList(list, skill: skill, cap: limit) else { continue }
                    cappedLists[CappedListKey(skill: skill, slot: slot)] = capped
                    words.formUnion(
                        capped.expansion.split(whereSeparator: { "()[]|*+ ".contains($0) }).map(String.init))
                }
            }
        }
        listUnpronounceable = Set(try await PronunciationFiller.fill(words, into: recognizer).unpronounceable.keys)
        listRecognizer = recognizer
        return recognizer
    }

    /// Splits the wake phrase off the front of a decoded text.
    func stripWake(_ decoded: String) -> (text: String, heardWake: Bool) {
        let words = decoded.split(separator: " ").map(String.init)
        let wake = wakeWords
        guard !wake.isEmpty, words.count >= wake.count, Array(words.prefix(wake.count)) == wake else {
            return (words.joined(separator: " "), false)
        }
        return (words.dropFirst(wake.count).joined(separator: " "), true)
    }

    /// The second pass: the wildcard slot's words, found in the first pass's word timings, decoded again over
    /// their time span with the generic language model. Returns the text with the slot's words replaced, or nil.
    private func decodeWildcardAgain(text: String, transcript: Transcript, utterance: AudioChunk) async throws
        -> String?
    {
        let match = engine.match(text)
        guard let best = match.best else { return nil }
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
        let timed = transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        let spoken = timed.map(\.word)
        guard let start = Self.lastRange(of: slotWords, in: spoken) else { return nil }
        let first = timed[start.lowerBound]
        let last = timed[start.upperBound - 1]
        let sure = timed[start].map { $0.confidence ?? 0 }.min() ?? 0
        if options.wildcardStrategy == .combined && sure >= 0.5 { return nil }
        let rate = Double(utterance.format.sampleRate)
        let from = max(0, Int((first.start - utterance.timestamp - 0.1) * rate))
        let to = min(utterance.samples.count, Int((last.end - utterance.timestamp + 0.15) * rate))
        guard to - from > Int(0.15 * rate) else { return nil }
        let span = AudioChunk(samples: Array(utterance.samples[from..<to]), format: utterance.format)
        let open = try openModelRecognizer()
        let heard = try await open.transcribe(span).text
        let heardWords = heard.split(separator: " ").map(String.init)
        guard !heardWords.isEmpty else { return nil }
        if options.wildcardStrategy == .combined, !knownPhrase(heardWords.joined(separator: " ")),
            sure >= 0.2
        {
            return nil
        }
        var words = text.split(separator: " ").map(String.init)
        guard let range = Self.lastRange(of: slotWords, in: words) else { return nil }
        words.replaceSubrange(range, with: heardWords)
        return words.joined(separator: " ")
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

    /// The last place `needle` occurs in `haystack` as a contiguous run.
    static func lastRange(of needle: [String], in haystack: [String]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1)
        where Array(haystack[start..<(start + needle.count)]) == needle {
            return start..<(start + needle.count)
        }
        return nil
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
