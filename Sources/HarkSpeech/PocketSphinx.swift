// The only file that calls PocketSphinx / sphinxbase (0.8+5prealpha, the old `ps_decoder_t` API).
import CPocketSphinx
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A message that sphinxbase logged.
struct SphinxLogMessage: Sendable {
    /// sphinxbase's `err_lvl_t`: 0 debug, 1 info, 2 info continued, 3 warning, 4 error, 5 fatal.
    var level: Int32
    var text: String

    var isProblem: Bool { level >= Int32(ERR_WARN.rawValue) }

    /// The message without sphinxbase's `ERROR: "file.c", line 12: ` prefix and trailing newline.
    var problem: String {
        var body = Substring(text)
        if let range = body.range(of: #"^[A-Z]+: "[^"]*", line [0-9]+: "#, options: .regularExpression) {
            body = body[range.upperBound...]
        }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Owns sphinxbase's process-wide log: drops every message except those logged by the thread inside
/// ``capture(_:)``, which collects them so that errors reach the user in a ``SpeechError``.
///
/// sphinxbase has one global log callback. Hark installs it once (before the first decoder) and never writes a log
/// file, which is why `-logfn` is not passed: `ps_init` would `fopen`/`fclose` a shared `FILE` on every decoder, a
/// race between recognizers created concurrently. (`err_set_logfp(NULL)` silences only the default callback.)
final class SphinxLog: @unchecked Sendable {
    static let shared = SphinxLog()

    /// Serialises captured operations (decoder creation, grammar and dictionary changes).
    private let operationLock = NSLock()
    /// Protects `owner` and `messages`.
    private let stateLock = NSLock()
    private var owner: pthread_t?
    private var messages: [SphinxLogMessage] = []

    private init() {
        // cmd_ln_parse_r prints the whole configuration to the log file handle (stderr by default) unless -logfn
        // is given; the callback below does not see that, so close the handle.
        err_set_logfp(nil)
        hark_ps_route_log { level, message in
            guard let message else { return }
            SphinxLog.shared.receive(SphinxLogMessage(level: level, text: String(cString: message)))
        }
    }

    private func receive(_ message: SphinxLogMessage) {
        stateLock.lock()
        defer { stateLock.unlock() }
        if let owner, pthread_equal(owner, pthread_self()) != 0 { messages.append(message) }
    }

    /// Runs `body` and returns its result with the messages sphinxbase logged from this thread meanwhile.
    func capture<T>(_ body: () -> T) -> (result: T, messages: [SphinxLogMessage]) {
        operationLock.lock()
        defer { operationLock.unlock() }
        stateLock.withLock {
            owner = pthread_self()
            messages = []
        }
        let result = body()
        let collected = stateLock.withLock {
            owner = nil
            return messages
        }
        return (result, collected)
    }
}

/// A segment of the best path: a word, filler or silence (a phone, for the phone loop).
struct SphinxSegment {
    var word: String
    var startFrame: Int
    var endFrame: Int
    /// Acoustic score (sphinxbase log base, scaled), 0 or negative.
    var acousticScore: Int32
    /// Posterior probability from the lattice, when asked for (language-model decoding).
    var posterior: Double?

    var frames: Int { endFrame - startFrame + 1 }
}

/// What a finished utterance decoded to.
struct SphinxResult {
    /// The best hypothesis, "" when there is none (a grammar that could not be completed, silence).
    var text: String
    var score: Int32
    var segments: [SphinxSegment]
    var nBest: [Hypothesis]
    /// Posterior probability of the best path from the lattice, when asked for.
    var posterior: Double?
}

/// One PocketSphinx decoder with its configuration. Not thread-safe: owned by one ``Recognizer``.
final class SphinxDecoder {
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    /// strdup'd argv strings; sphinxbase keeps pointers into them, so they live as long as the config.
    private let arguments: [UnsafeMutablePointer<CChar>?]
    private let logMath: OpaquePointer
    /// Frames per second of the front end (`-frate`, 100).
    let frameRate: Int
    /// A second front end with the decoder's parameters, for estimating an utterance's cepstral mean.
    private let estimator: OpaquePointer

    /// What a decoder is for; the two differ in their acoustic scoring.
    enum Role {
        /// Grammars and the language model: the words.
        case words
        /// The phone loop that rates a grammar result's confidence (``RecognitionEngine``): a reference score, where
        /// an approximate acoustic scoring is good enough.
        case phoneLoop
    }

    init(models: SpeechModelPaths, role: Role = .words) throws {
        _ = SphinxLog.shared  // route logging before anything can log
        // -allphone_ci: the phone loop that rates confidence uses context-independent phones (with triphones and
        // no phonetic language model it took seconds per utterance).
        // -dict /dev/null: the decoder starts with the fillers only; grammar words are read from the dictionary file
        // when a grammar needs them (the whole CMUdict in the decoder took 21 MB and 150 ms to load).
        // -wbeam 1e-48: measured on SpeechBench (120 eSpeak clips), sentences right went from 85.8 % to 90.8 % and
        // word errors from 9.3 % to 3.6 %: the default word beam (7e-29) pruned the right sentence of long commands
        // (empty results, "will it rain today" heard as "good night").
        // -remove_noise yes (the default), the samples dithered (`RecognitionEngine.dithered`). VoiceBench (256
        // clips framed as the microphone loop frames them, with pre-roll): intent+slots right 56.2 → 64.1 % clean,
        // 24.2 → 28.1 % at 10 dB SNR; on its held-out sentences (64 recordings) 48.4 % clean either way, 39.1 →
        // 43.8 % at 10 dB, fewer word errors in both. It costs on recordings cut tight around the words, where the
        // noise estimate can only track the quietest speech: SpeechBench (120 such clips) 95.8 → 92.5 % right.
        // -compallsen yes: PocketSphinx scales each frame's senone scores by the best one it computed, and without
        // it a grammar decoder computes only the senones of its active words, the phone loop only its phones'. A word
        // forced onto the audio was then measured against the best of the grammar's own guesses, not against the
        // audio, so the confidence (a likelihood ratio against the phone loop) and the wake check's comparison of two
        // decoders' path scores compared numbers on different scales. Both decoders now score every senone.
        // RealVoiceBench, wake_phrase computer: 145 of 150 detected with 56 false alarms in 390 clips of other speech
        // (39 of them "jarvis" heard as "computer", rated 0.9) → 144 of 150 with 2; jarvis 147 of 150 with 9 → 3.
        // Confidences rate higher on the whole (the CI phone loop now pays for every senone it does not model):
        // barista next to every built-in skill, clean, 87.0 % accepted, 8.0 % asked back, 4.0 % wrong → 87.5, 6.0,
        // 5.5 %. About 15 % more decoding time.
        let common = [
            "-hmm", models.acousticModel, "-dict", "/dev/null", "-bestpath", "yes", "-allphone_ci", "yes",
            "-remove_noise", "yes", "-wbeam", "1e-48", "-compallsen", "yes",
        ]
        // -ds 2 -topn 2 for the phone loop: its pass evaluates every phone's Gaussians in every frame (the grammar
        // pass only those of the phones it has active), which made it 44 % of the decoding time; frame downsampling
        // and two Gaussians per codebook halve it. It only makes the reference score a little lower;
        // `confidenceMidpoint` was fitted with it. (The grammar pass keeps the full scoring: -ds 2 and -topn 2 there
        // cost sentences.)
        let options = common + (role == .words ? [] : ["-ds", "2", "-topn", "2"])
        let arguments = (["hark"] + options).map { strdup($0) }
        var argv = arguments
        let (created, messages) = SphinxLog.shared.capture { () -> (OpaquePointer?, OpaquePointer?) in
            let config = argv.withUnsafeMutableBufferPointer {
                cmd_ln_parse_r(nil, ps_args(), Int32($0.count), $0.baseAddress, 1)
            }
            guard let config else { return (nil, nil) }
            return (config, ps_init(config))
        }
        guard let config = created.0, let decoder = created.1 else {
            if let config = created.0 { cmd_ln_free_r(config) }
            arguments.forEach { free($0) }
            let detail = messages.filter(\.isProblem).last?.problem ?? "ps_init returned no decoder"
            throw SpeechError.decoderInitFailed(detail)
        }
        self.decoder = decoder
        self.config = config
        self.arguments = arguments
        self.logMath = ps_get_logmath(decoder)
        self.frameRate = cmd_ln_int_r(config, "-frate")

        // The model's feat.params asks for batch CMN, which needs the whole utterance; streaming uses live CMN,
        // whose mean is set per utterance by `startUtterance(cepstralMean:)`.
        ps_get_feat(decoder)?.pointee.cmn = CMN_LIVE
        guard let estimator = fe_init_auto_r(config) else {  // retains the config (measured: refcount +1)
            ps_free(decoder)
            cmd_ln_free_r(config)
            arguments.forEach { free($0) }
            throw SpeechError.decoderInitFailed("cannot create a front end for the cepstral mean")
        }
        self.estimator = estimator
    }

    deinit {
        fe_free(estimator)
        ps_free(decoder)
        cmd_ln_free_r(config)
        arguments.forEach { free($0) }
    }

    // MARK: Dictionary

    /// The phones of `word`, or nil when the dictionary does not have it.
    func pronunciation(of word: String) -> String? {
        guard let phones = ps_lookup_word(decoder, word) else { return nil }
        defer { free(phones) }
        return String(cString: phones)
    }

    /// Adds a word (or an alternate pronunciation `word(2)`); nil on success, else sphinxbase's complaint.
    /// `update: false` defers rebuilding the searches to the next word added with `update: true`.
    func addWord(_ word: String, phones: String, update: Bool = true) -> String? {
        let (status, messages) = SphinxLog.shared.capture { ps_add_word(decoder, word, phones, update ? 1 : 0) }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).last?.problem ?? "ps_add_word failed"
    }

    /// Replaces the decoder's dictionary with a whole dictionary file (the language model needs every word);
    /// nil on success, else sphinxbase's complaint.
    func loadDictionary(_ path: String) -> String? {
        let (status, messages) = SphinxLog.shared.capture { ps_load_dict(decoder, path, nil, nil) }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).last?.problem ?? "ps_load_dict failed"
    }

    // MARK: Searches

    /// Parses a JSGF grammar (text or file) as PocketSphinx will and returns the words of the rule it decodes.
    func grammarVocabulary(text: String? = nil, file: String? = nil) -> Result<[String], GrammarProblem> {
        let (outcome, messages) = SphinxLog.shared.capture { () -> Result<[String], GrammarProblem> in
            let grammar: OpaquePointer?
            if let text { grammar = jsgf_parse_string(text, nil) } else { grammar = jsgf_parse_file(file, nil) }
            guard let grammar else { return .failure(.syntax("")) }
            defer { jsgf_grammar_free(grammar) }
            guard let rule = jsgf_get_public_rule(grammar) else { return .failure(.syntax("no public rule")) }
            guard let fsg = jsgf_build_fsg(grammar, rule, logMath, 1.0) else {
                return .failure(.syntax("cannot build a finite-state grammar from it"))
            }
            defer { fsg_model_free(fsg) }
            let words = (0..<Int(fsg.pointee.n_word)).compactMap { index in
                fsg.pointee.vocab[index].map { String(cString: $0) }
            }
            return .success(words)
        }
        let problems = messages.filter(\.isProblem).map(\.problem)
        switch outcome {
        case .failure(.syntax(let detail)):
            return .failure(.syntax(detail.isEmpty ? (problems.first ?? "sphinxbase could not parse it") : detail))
        case .success where !problems.isEmpty:
            // jsgf_build_fsg logs an undefined rule but still returns a (wrong) grammar.
            return .failure(.syntax(problems.joined(separator: "; ")))
        default:
            return outcome
        }
    }

    /// Why sphinxbase refused a grammar.
    enum GrammarProblem: Error {
        case syntax(String)
    }

    /// Adds (or replaces) a JSGF search; nil on success, else sphinxbase's complaint.
    func addGrammarSearch(name: String, text: String? = nil, file: String? = nil) -> String? {
        let (status, messages) = SphinxLog.shared.capture {
            if let text { ps_set_jsgf_string(decoder, name, text) } else { ps_set_jsgf_file(decoder, name, file) }
        }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).map(\.problem).joined(separator: "; ").nonEmpty ?? "ps_set_jsgf failed"
    }

    /// Adds (or replaces) a search over a word graph whose repeated bundles of transitions are shared
    /// (``SharedArcGraph``); nil on success.
    func addGraphSearch(name: String, graph: SharedArcGraph) -> String? {
        let languageWeight = cmd_ln_float_r(config, "-lw")
        guard let fsg = fsg_model_init(name, logMath, Float(languageWeight), Int32(graph.stateCount)) else {
            return "fsg_model_init failed"
        }
        defer { fsg_model_free(fsg) }  // the search keeps its own reference
        fsg.pointee.start_state = 0
        fsg.pointee.final_state = Int32(graph.finalState)
        func logProbability(_ probability: Double) -> Int32 {
            Int32(Double(logmath_log(logMath, probability)) * languageWeight)
        }
        for arc in graph.wordArcs {
            let word = fsg_model_word_add(fsg, arc.word)
            fsg_model_trans_add(fsg, Int32(arc.from), Int32(arc.to), logProbability(arc.probability), word)
        }
        for arc in graph.nullArcs {
            _ = fsg_model_null_trans_add(fsg, Int32(arc.from), Int32(arc.to), logProbability(arc.probability))
        }
        let (status, messages) = SphinxLog.shared.capture { ps_set_fsg(decoder, name, fsg) }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).map(\.problem).joined(separator: "; ").nonEmpty ?? "ps_set_fsg failed"
    }

    /// Loads a language model as a search; nil on success, else sphinxbase's complaint.
    func addLanguageModelSearch(name: String, path: String) -> String? {
        let (status, messages) = SphinxLog.shared.capture { ps_set_lm_file(decoder, name, path) }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).map(\.problem).joined(separator: "; ").nonEmpty ?? "ps_set_lm_file failed"
    }

    /// Makes the named search the active one.
    func activateSearch(_ name: String) -> Bool { ps_set_search(decoder, name) >= 0 }

    /// Frees a search that is not active.
    func removeSearch(_ name: String) { _ = ps_unset_search(decoder, name) }

    // MARK: Decoding

    /// Starts an utterance with the given cepstral mean (``cepstralMean(of:)`` of its beginning).
    ///
    /// PocketSphinx's live CMN starts from the model's prior mean and carries its estimate from one utterance to
    /// the next, so the same audio decodes differently depending on what came before, and the first utterance
    /// after start-up (a CLI run) decodes badly when the input level differs from the training data's. Estimating
    /// the mean from the utterance itself makes every result depend on its own audio only.
    func startUtterance(cepstralMean mean: [Float]?) -> Bool {
        guard startStream(mean: mean), ps_start_utt(decoder) >= 0 else { return false }
        let processed = Self.primer.withUnsafeBufferPointer {
            ps_process_raw(decoder, $0.baseAddress, $0.count, 0, 0)
        }
        guard ps_end_utt(decoder) >= 0, processed >= 0 else { return false }
        return startStream(mean: mean) && ps_start_utt(decoder) >= 0
    }

    /// A new stream (frame numbers restart at 0, the front end's noise estimate is fresh) with the given mean.
    private func startStream(mean: [Float]?) -> Bool {
        guard ps_start_stream(decoder) >= 0 else { return false }
        if let mean, let cmn = ps_get_feat(decoder)?.pointee.cmn_struct, mean.count == Int(cmn.pointee.veclen) {
            mean.withUnsafeBufferPointer { cmn_live_set(cmn, $0.baseAddress) }
        }
        return true
    }

    /// 0.2 s of fixed pseudo-random noise decoded before every utterance. PocketSphinx carries state from the end
    /// of one utterance into the next below the searches (the phone loop, whose search resets itself completely,
    /// still gave different scores for the same audio after different utterances), not reachable through the API;
    /// it changes scores and sometimes words. Decoding the same primer first puts the decoder in the same state
    /// every time. Measured: 0.1 s was not enough, 0.2 s and 0.3 s were.
    private static let primer: [Int16] = {
        var state: UInt32 = 12_345
        return (0..<3_200).map { _ in
            state = state &* 1_103_515_245 &+ 12_345
            return Int16(Int((state >> 16) % 2_001) - 1_000)
        }
    }()

    /// Mean cepstrum of the frames the front end keeps (its voice-activity filter drops silence), skipping
    /// frames with negative energy as live CMN does; nil when there is no such frame.
    func cepstralMean(of samples: ArraySlice<Int16>) -> [Float]? {
        let width = Int(fe_get_output_size(estimator))
        let rows = 64
        let cepstra = UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * width)
        defer { cepstra.deallocate() }
        var rowPointers = (0..<rows).map { Optional(cepstra.baseAddress! + $0 * width) }
        var sum = [Double](repeating: 0, count: width)
        var counted = 0
        func accumulate(_ frames: Int) {
            for frame in 0..<frames where cepstra[frame * width] >= 0 {
                for index in 0..<width { sum[index] += Double(cepstra[frame * width + index]) }
                counted += 1
            }
        }
        fe_start_stream(estimator)  // fresh noise statistics: the estimate depends on this audio only
        guard fe_start_utt(estimator) >= 0 else { return nil }
        samples.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            var remaining = buffer.count
            while remaining > 0 {
                var frames = Int32(rows)
                let before = remaining
                let status = rowPointers.withUnsafeMutableBufferPointer { pointers in
                    fe_process_frames(estimator, &cursor, &remaining, pointers.baseAddress, &frames, nil)
                }
                guard status >= 0 else { break }
                accumulate(Int(frames))
                if frames == 0, remaining == before { break }
            }
        }
        var lastFrames: Int32 = 0
        _ = fe_end_utt(estimator, cepstra.baseAddress, &lastFrames)
        accumulate(Int(lastFrames))
        guard counted > 0 else { return nil }
        return sum.map { Float($0 / Double(counted)) }
    }

    /// Decodes 16 kHz mono samples.
    func process(_ samples: ArraySlice<Int16>) -> Bool {
        samples.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            return ps_process_raw(decoder, base, buffer.count, 0, 0) >= 0
        }
    }

    /// The best hypothesis so far (partial during an utterance); nil when there is none.
    func hypothesis() -> (text: String, score: Int32)? {
        var score: Int32 = 0
        guard let text = ps_get_hyp(decoder, &score) else { return nil }
        let string = String(cString: text)
        return string.isEmpty ? nil : (string, score)
    }

    func endUtterance() -> Bool { ps_end_utt(decoder) >= 0 }

    /// Reads the result of the utterance just ended, with lattice posteriors when `posteriors` is set.
    func result(nBest limit: Int, posteriors: Bool) -> SphinxResult {
        guard let best = hypothesis() else { return SphinxResult(text: "", score: 0, segments: [], nBest: []) }
        // ps_get_prob runs the lattice posterior computation that the segment posteriors then read.
        let posterior = posteriors ? logmath_exp(logMath, ps_get_prob(decoder)) : nil
        return SphinxResult(
            text: best.text, score: best.score, segments: segments(posteriors: posteriors), nBest: nBest(limit: limit),
            posterior: posterior)
    }

    /// The segments (words, fillers, silences; phones for the phone loop) of the best path.
    func segments(posteriors: Bool = false) -> [SphinxSegment] {
        var segments: [SphinxSegment] = []
        var segment = ps_seg_iter(decoder)
        while let current = segment {
            var start: Int32 = 0
            var end: Int32 = 0
            ps_seg_frames(current, &start, &end)
            var acoustic: Int32 = 0
            var language: Int32 = 0
            var backoff: Int32 = 0
            let logPosterior = ps_seg_prob(current, &acoustic, &language, &backoff)
            if let word = ps_seg_word(current) {
                segments.append(
                    SphinxSegment(
                        word: String(cString: word), startFrame: Int(start), endFrame: Int(end),
                        acousticScore: acoustic, posterior: posteriors ? logmath_exp(logMath, logPosterior) : nil))
            }
            segment = ps_seg_next(current)
        }
        return segments
    }

    /// Converts a score difference in sphinxbase's log base to natural log.
    func naturalLog(_ score: Int32) -> Double { logmath_log_to_ln(logMath, score) }

    /// The word automaton of the active search when it is a grammar (nil for a language model).
    func activeGrammarAutomaton() -> WordAutomaton? {
        guard let name = ps_get_search(decoder), let fsg = ps_get_fsg(decoder, name) else { return nil }
        let stateCount = Int(fsg.pointee.n_state)
        var arcs: [[WordAutomaton.Arc]] = Array(repeating: [], count: stateCount)
        for state in 0..<stateCount {
            var iterator = fsg_model_arcs(fsg, Int32(state))
            while let current = iterator {
                if let link = fsg_arciter_get(current) {
                    let wordID = Int(link.pointee.wid)
                    let word = wordID >= 0 ? fsg.pointee.vocab[wordID].map { String(cString: $0) } : nil
                    arcs[state].append(WordAutomaton.Arc(target: Int(link.pointee.to_state), word: word))
                }
                iterator = fsg_arciter_next(current)
            }
        }
        return WordAutomaton(
            start: Int(fsg.pointee.start_state), final: Int(fsg.pointee.final_state), arcs: arcs)
    }

    /// Adds an unconstrained phone-loop search (no phonetic language model); nil on success.
    func addPhoneLoopSearch(name: String) -> String? {
        let (status, messages) = SphinxLog.shared.capture { ps_set_allphone_file(decoder, name, nil) }
        guard status < 0 else { return nil }
        return messages.filter(\.isProblem).map(\.problem).joined(separator: "; ").nonEmpty ?? "ps_set_allphone failed"
    }

    /// Distinct n-best hypotheses from the lattice (A* search), best first.
    private func nBest(limit: Int) -> [Hypothesis] {
        guard limit > 0 else { return [] }
        var seen: Set<String> = []
        var list: [Hypothesis] = []
        var iterator = ps_nbest(decoder)
        // The lattice repeats word sequences (other segmentations, fillers): bound the walk, not just the output.
        var steps = 0
        while let current = iterator, list.count < limit, steps < limit * 50 {
            steps += 1
            var score: Int32 = 0
            if let text = ps_nbest_hyp(current, &score) {
                let string = String(cString: text)
                if !string.isEmpty, seen.insert(string).inserted {
                    list.append(Hypothesis(text: string, score: Int(score)))
                }
            }
            iterator = ps_nbest_next(current)
        }
        if let iterator { ps_nbest_free(iterator) }
        return list
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
