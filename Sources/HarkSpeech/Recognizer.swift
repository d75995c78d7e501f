import HarkAudio

/// Speech recognition with PocketSphinx: a JSGF grammar (fast and accurate for commands) or the generic
/// language model (open vocabulary), whole utterances or streamed chunks.
///
/// One decoder per recognizer; create one per grammar set and reuse it (creating one reads the acoustic model,
/// about a third of a second). Audio in any format is converted to 16 kHz mono; streamed chunks in another
/// format are converted one by one, which blurs their edges, so convert a live stream before feeding it.
///
/// Results depend on the utterance's audio only, not on what was decoded before nor on how the audio is cut into
/// chunks: the cepstral mean is estimated from the utterance's first second, a fixed primer puts PocketSphinx's
/// hidden state back before every utterance, and audio reaches PocketSphinx in fixed 100 ms blocks. Partial
/// hypotheses therefore start after one second of audio.
///
/// With a grammar, ``Transcript/confidence`` costs a second, phone-loop pass over the utterance by a second decoder
/// (created on the first rating, about 4 MB; the pass adds about 60 % to the decoding time, and runs alongside a
/// stream): pass `rateConfidence: false` to skip it when the caller does not use the confidence. A stream spans
/// several calls: one stream at a time per recognizer, and no `transcribe` during it.
public actor Recognizer {
    private let engine: RecognitionEngine

    /// Creates a decoder for `grammar`.
    ///
    /// - Parameters:
    ///   - extraDictionary: word → CMUdict phones (`"hark": "HH AA R K"`), added before the grammar is checked.
    ///   - nBest: how many distinct alternatives a ``Transcript`` carries at most.
    /// - Throws: ``SpeechError`` for a missing model path, a decoder that cannot start, a grammar that does not
    ///   parse or uses words missing from the dictionary, or a pronunciation that cannot be added.
    public init(
        models: SpeechModelPaths = .debianDefault, grammar: RecognitionGrammar,
        extraDictionary: [String: String] = [:], nBest: Int = 5
    ) throws {
        engine = try RecognitionEngine(models: models, grammar: grammar, extraDictionary: extraDictionary, nBest: nBest)
    }

    /// Recognises one whole utterance.
    ///
    /// - Parameter rateConfidence: with a grammar, whether to rate ``Transcript/confidence`` (a second, phone-loop
    ///   pass, adding about 60 % to the decoding time). When false, the transcript's confidences are 0 and nil
    ///   and ``Transcript/isConfidenceRated`` is false. The language model's confidence is always rated (it is free).
    /// - Throws: ``SpeechError`` when the chunk is empty or its rate or channel count is 0. Silence or noise is
    ///   not an error: it gives a transcript with text "".
    public func transcribe(_ chunk: AudioChunk, rateConfidence: Bool = true) throws -> Transcript {
        try engine.transcribe(chunk, rateConfidence: rateConfidence)
    }

    /// Starts a streamed utterance.
    ///
    /// - Parameter rateConfidence: with a grammar, whether to rate ``Transcript/confidence``; the phone loop that
    ///   rates it then decodes each block alongside the grammar, so that the rating adds nothing after the end.
    public func startUtterance(rateConfidence: Bool = true) throws {
        try engine.startUtterance(rateConfidence: rateConfidence)
    }

    /// Decodes the next chunk of a streamed utterance and returns the partial hypothesis so far (nil if none).
    /// An empty chunk only returns the hypothesis.
    public func feed(_ chunk: AudioChunk) throws -> String? { try engine.feed(chunk, partial: true) }

    /// Ends a streamed utterance and returns its transcript: the same as ``transcribe(_:rateConfidence:)`` of its
    /// audio would give.
    public func endUtterance() throws -> Transcript { try engine.endUtterance() }

    /// Abandons a streamed utterance (nothing happens when none is open).
    public func cancelUtterance() { engine.cancelUtterance() }

    /// Switches to another grammar (not during an utterance). A replaced grammar is freed; the language model stays
    /// loaded once used.
    public func setGrammar(_ grammar: RecognitionGrammar) throws { try engine.setGrammar(grammar) }

    /// Adds a grammar kept under `name` (replacing one of that name) and makes it the active one: several kept
    /// grammars share the decoder's acoustic model and dictionary, and ``useGrammar(named:)`` switches between them
    /// at once (a new grammar takes seconds to compile).
    public func addGrammar(_ grammar: RecognitionGrammar, named name: String) throws {
        try engine.addGrammar(grammar, named: name)
    }

    /// Makes the grammar kept under `name` the active one (not during an utterance).
    public func useGrammar(named name: String) throws { try engine.useGrammar(named: name) }

    /// Whether the pronunciation dictionary has `word` (exact spelling, lowercase for CMUdict).
    ///
    /// - Throws: ``SpeechError`` when the dictionary file cannot be read (words are read from it on demand).
    public func inVocabulary(_ word: String) throws -> Bool { try engine.inVocabulary(word) }

    /// The words of `words` the pronunciation dictionary lacks (reads the dictionary file once for all of them).
    public func missingWords(_ words: Set<String>) throws -> Set<String> { try engine.missingWords(words) }

    /// Adds a pronunciation (CMUdict phones, e.g. `"HH AA R K"`); a known word gets it as an alternate.
    public func addWord(_ word: String, phones: String) throws { try engine.addWord(word, phones: phones) }
}
