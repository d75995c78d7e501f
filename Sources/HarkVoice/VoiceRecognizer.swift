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
    /// The wake phrase's words' confidence rated as one (or that of the silence the decoder put before them, where
    /// it rates lower: speech taken for silence), when the decoder put the wake phrase first.
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
    /// 0…1: how sure the recognizer is of the words that spell the slot values, rated as one word (nil when the
    /// reading has no slot value, or its words are not the decoder's own).
    public var valueConfidence: Double?

    public init(
        text: String, heardWakePhrase: Bool, wakeConfidence: Double? = nil, confidence: Double, alternatives: [String],
        decodeMilliseconds: Double, audioSeconds: Double, firstPassText: String? = nil, doubt: RecognitionDoubt? = nil,
        valueConfidence: Double? = nil
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
        self.valueConfidence = valueConfidence
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
    /// Below this confidence of the words that spell the slot values (``VoiceTranscript/valueConfidence``) a
    /// reading is doubted: the utterance may fit the grammar well while the words Hark would act on fit the sound
    /// far worse than the rest. The same standard as the utterance's (``minimumConfidence``), not a figure fitted to
    /// the dev recordings. RealVoiceBench's trade-off over the 200 barista dev clips, wrong readings acted on / right
    /// ones asked back: with every built-in skill, clean, at transition weight 0.25: off 8 / 0, 0.5 → 7 / 0 (a
    /// cappuccino order heard as a recipe search, its values rated 0.08), 0.93 → 2 / 2, 0.99 → 1 / 14; barista alone
    /// 6 / 0 up to 0.7. At weight 0.5, clean and at 24…6 dB (1,600 readings a configuration): barista alone off
    /// 192 / 0, 0.5 → 181 / 2, 0.9 → 156 / 26, 0.97 → 104 / 87. Higher thresholds trade about one right reading
    /// asked back for each wrong one caught in noise.
    public var minimumValueConfidence: Double = 0.5
    /// A wake phrase heard with less confidence than this (its words' phone-loop confidences rated as one word,
    /// `phraseConfidence`) does not count: the wake grammar forces the wake phrase onto any speech,
    /// and the confidence, a logistic of the phrase's per-frame likelihood ratio against a free phone loop, tells a
    /// real one from a forced one. 0.5 is where the phrase is as likely said as not. Real people's "computer" and
    /// "jarvis" rate at least 0.5 in 291 of 300 recordings; forced wake phrases in eSpeak's requests rate 0–0.001.
    /// Between 0.15 and 0.5 a second test used to decide, whether the wake grammar's path scored better than the
    /// request grammar's on the same audio; it decided the same for real voices as 0.5 alone does (RealVoiceBench:
    /// "computer" 144 of 150 detected with 2 false alarms at 0.15 with the comparison, 145 with 2 at 0.5 without;
    /// "jarvis" 147 with 3 either way), but it leaned on the grammar's transition weights and let synthetic voices
    /// whose "hey hark" rates 0.2–0.5 (eSpeak's en-us+f2, en+m3) be woken or not by the request grammar's short
    /// sentences. Without it a stream decodes one grammar while Hark is idle instead of two.
    /// What the decoder put before the wake phrase (silence, noise) must rate at least as much, where the phone loop
    /// heard a syllable in it: the wake grammar lets words before a forced wake phrase pass as silence ("can i" of
    /// "can i have a …", "have a" heard as "jarvis" at 0.95). RealVoiceBench: "jarvis" 147 of 150 detected with 3
    /// false alarms → 147 with 0; "computer" 145 with 2 either way.
    public var minimumWakeConfidence: Double = 0.5
    /// Whether a slot whose list the grammar holds only part of (``RecognitionGrammarOptions/maxListValues``) is
    /// decoded again over its time span with a small grammar of every value of its list (and the words on either
    /// side), when the first pass matched an intent. The first pass finds where the slot is; the second hears which
    /// value it is, at the cost of one short decode after the end-point; a value beyond the cap (one the first pass
    /// could not hear) replaces the first pass's. VoiceBench (128 recordings, no wake clips): intent+slots right
    /// 39.1 → 45.3 % clean, 21.9 % at 10 dB SNR either way; peak memory 407 → 449 MB (a third decoder and its span
    /// grammars), p99 latency after the end-point 158 → 226 ms clean, p50 unchanged.
    public var decodesCappedListsAgain = true
    /// The power the speech grammar's transition probabilities are raised to (``SharedArcGraph``): 1 splits each
    /// state's probability evenly over its choices, 0 makes the grammar a constraint only. The even split charged a
    /// coffee order for every choice through its big lists (36 milks, 18 sweeteners), and next to the built-in
    /// skills short sentences of theirs won ("i like an salmon"). RealVoiceBench (200 barista dev clips), barista
    /// next to every built-in skill, clean: 1 → 83.5 % accepted, 0.5 → 86.5 %, 0.25 → 90.5 % (wrong acted on 5.0 →
    /// 4.0 %); barista alone 96.5 % throughout. 0.25 waited for a wake check that does not compare the two
    /// grammars' path scores (``minimumWakeConfidence``): that comparison preferred the request grammar's short
    /// sentences at 0.25 ("the hall our eight" for eSpeak's "hey hark" alone). 0 is not taken: the flat grammar
    /// lets paths of many short words win ("hey hark, turn on the kitchen light" decoded as "we got the an oz of two
    /// eggs and one eggs", or reaching no end of a sentence at all), and the word insertion penalty that would hold
    /// them back cost the real voices more (`-wip` 0.1: 87.5 %).
    public var transitionWeight = 0.25
    /// Extra pronunciations, word → CMU phones (Hark's own words: ``HarkModelFiles/pronunciations()``).
    public var extraDictionary: [String: String] = [:]
    /// What the grammar keeps of the skills' sentences and lists.
    public var grammar = RecognitionGrammarOptions()
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
    /// Whether the wake phrase the decoder put first counts.
    private let wakeCheck: WakeCheck
    /// The passes after the first decoding, in order.
    private var passes: [any RecognitionPass] = []

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
            weight: options.transitionWeight, into: (wakeRecognizer, requestRecognizer))
        wakeCheck = WakeCheck(wakeWords: wakeWords, minimumConfidence: options.minimumWakeConfidence)
        if options.decodesCappedListsAgain {
            passes.append(
                try await CappedListPass(
                    engine: engine, grammar: grammar, models: models, vocabularies: vocabularies, options: options))
        }
        if options.wildcardStrategy != .vocabulary {
            passes.append(WildcardPass(models: models, strategy: options.wildcardStrategy, vocabularies: vocabularies))
        }
    }

    /// Adds a pass after the first decoding, at `index` among Hark's own (0: before them all).
    public func insertPass(_ pass: any RecognitionPass, at index: Int = 0) {
        passes.insert(pass, at: min(max(0, index), passes.count))
    }

    /// Gives `words` pronunciations (the dictionary's, Hark's own, or eSpeak NG's) in the first pass's decoder for
    /// `layout`, for a search set with ``setFirstPassSearch(_:layout:)``.
    public func fillPronunciations(_ words: Set<String>, layout: WakePhraseLayout) async throws -> PronunciationReport {
        try await PronunciationFiller.fill(words, into: layout == .required ? wakeRecognizer : requestRecognizer)
    }

    /// Decodes the first pass for `layout` (`.required`: Hark idle; `.none`: in a conversation) with `search`
    /// instead of the skills' word graph — an alternative a benchmark measures (its words need pronunciations:
    /// ``fillPronunciations(_:layout:)``).
    public func setFirstPassSearch(_ search: RecognitionGrammar, layout: WakePhraseLayout) async throws {
        try await (layout == .required ? wakeRecognizer : requestRecognizer).setGrammar(search)
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

    static func boot(models: SpeechModelPaths, options: VoiceRecognizerOptions) throws -> Recognizer {
        try Recognizer(
            models: models, grammar: .jsgf(bootGrammar, name: "boot"), extraDictionary: options.extraDictionary,
            nBest: options.nBest)
    }

    static let bootGrammar = "#JSGF V1.0;\ngrammar boot;\npublic <boot> = hark;\n"

    /// Rebuilds the language model after the installed skills changed.
    public func update(engine: IntentEngine) async throws {
        (grammar, pronunciations) = try await Self.install(
            engine: engine, vocabularies: vocabularies, wakeWords: wakeWords, options: options.grammar,
            weight: options.transitionWeight, into: (wakeRecognizer, requestRecognizer))
        awaitedIntent = nil
        answersIntent = nil
        self.engine = engine
        for pass in passes { try await pass.update(engine: engine, grammar: grammar) }
    }

    /// Builds the grammar (with the wake phrase required, and without it), gives its words pronunciations and makes
    /// it the recognizers' searches. Sentences with a word that has no pronunciation are left out. A list's value
    /// alone ("the kitchen") is left out too: it only means something as an answer (``expectAnswer(to:)``), and
    /// anywhere else its short paths soaked up commands ("add milk" heard as "milk", "i'm done what's next" as
    /// "box"). VoiceBench (128 recordings, no wake clips): intent+slots right 45.3 → 50.8 % clean, 23.4 → 24.2 % at
    /// 10 dB SNR without them.
    private static func install(
        engine: IntentEngine, vocabularies: WildcardVocabularies, wakeWords: [String],
        options: RecognitionGrammarOptions, weight: Double, into recognizers: (wake: Recognizer, request: Recognizer)
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
        try await recognizers.wake.setGrammar(
            .wordGraph(usable.graph, name: VoiceGrammar.name, transitionWeight: weight))
        try await recognizers.request.addGrammar(
            .wordGraph(try request.excluding(unspeakable).graph, name: VoiceGrammar.name, transitionWeight: weight),
            named: Self.commandsGrammar)
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
                .wordGraph(graph, name: VoiceGrammar.name + "-answers", transitionWeight: options.transitionWeight),
                named: Self.answersGrammar)
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
        return try await conclude(transcript, utterance: utterance, requireWake: requireWake, started: started)
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
    /// all of the decoding is done by the time speech ends. An utterance still open is abandoned.
    public func startUtterance(requireWake: Bool) async throws {
        await cancelUtterance()
        let clock = ContinuousClock()
        let started = clock.now
        try await (requireWake ? wakeRecognizer : requestRecognizer).startUtterance()
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
            _ = try await (current.requireWake ? wakeRecognizer : requestRecognizer).feed(chunk)
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
        let transcript = try await (current.requireWake ? wakeRecognizer : requestRecognizer).endUtterance()
        return try await conclude(
            transcript, utterance: utterance, requireWake: current.requireWake, started: started)
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
    private func conclude(
        _ decoded: Transcript, utterance: AudioChunk, requireWake: Bool, started: ContinuousClock.Instant
    ) async throws -> VoiceTranscript {
        var transcript = decoded
        let audioSeconds = Double(utterance.samples.count) / Double(max(1, utterance.format.sampleRate))
        let verdict = wakeCheck.judge(transcript, requireWake: requireWake)
        var text = verdict.text
        var readings: [String] = []
        for alternative in [transcript.text] + transcript.alternatives.map(\.text) {
            let reading = wakeCheck.split(alternative).text
            if !reading.isEmpty && !readings.contains(reading) { readings.append(reading) }
        }
        if requireWake && !verdict.heardWake {
            return VoiceTranscript(
                text: "", heardWakePhrase: false, wakeConfidence: verdict.confidence,
                confidence: transcript.confidence, alternatives: [],
                decodeMilliseconds: Self.milliseconds(since: started), audioSeconds: audioSeconds)
        }
        var firstPass: String?
        for pass in passes {
            let input = RecognitionPassInput(
                text: text, transcript: transcript, readings: readings, utterance: utterance,
                wakeWordCount: verdict.confidence != nil ? wakeWords.count : 0)
            guard let revision = try await pass.revise(input, engine: engine) else { continue }
            if revision.text != text { firstPass = firstPass ?? text }
            text = revision.text
            if let replaced = revision.transcript { transcript = replaced }
            if let confidence = revision.confidence { transcript.confidence = confidence }
            if let revised = revision.readings { readings = revised }
        }
        let judge = RecognitionJudge(
            engine: engine, minimumConfidence: options.minimumConfidence,
            minimumValueConfidence: options.minimumValueConfidence)
        let matched = engine.match(text)
        let valueConfidence = valueConfidence(
            of: matched, words: transcript.words.dropFirst(verdict.confidence != nil ? wakeWords.count : 0))
        let judged = judge.judge(
            text: text, matched: matched, readings: readings, confidence: transcript.confidence,
            valueConfidence: valueConfidence)
        return VoiceTranscript(
            text: text, heardWakePhrase: verdict.heardWake, wakeConfidence: verdict.confidence,
            confidence: judged.confidence, alternatives: readings.filter { $0 != text },
            decodeMilliseconds: Self.milliseconds(since: started), audioSeconds: audioSeconds, firstPassText: firstPass,
            doubt: judged.doubt, valueConfidence: valueConfidence)
    }

    /// The confidence of the words in `words` (the decoder's, wake phrase removed) that spell the slot values of
    /// the reading's best match (`matched`), rated as one word; nil when the match has no slot value, or a value's
    /// words are not among the decoder's (a later pass rewrote them).
    private func valueConfidence(of matched: MatchResult, words: ArraySlice<WordTiming>) -> Double? {
        guard let best = matched.best, !best.rawSlots.isEmpty else { return nil }
        let spoken = words.map(\.word)
        var valueWords: [WordTiming] = []
        for raw in best.rawSlots.values {
            let value = raw.split(separator: " ").map(String.init)
            guard !value.isEmpty,
                let start = spoken.indices.first(where: { spoken[$0...].starts(with: value) })
            else { return nil }
            valueWords += words.dropFirst(start).prefix(value.count)
        }
        return valueWords.phraseConfidence
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
