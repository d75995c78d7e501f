/// What the recognizer listens for.
public enum RecognitionGrammar: Sendable, Equatable {
    /// A JSGF grammar given as text; `name` names its PocketSphinx search and labels its errors.
    case jsgf(String, name: String = "grammar")
    /// A JSGF grammar file (its errors name the file).
    case jsgfFile(String)
    /// The generic language model of ``SpeechModelPaths/languageModel`` (open vocabulary, slow, inaccurate).
    case languageModel
    /// A language model file (ARPA text or binary), e.g. a trigram model trained on the skills' sentences, and
    /// its words (each must have a pronunciation; only they can be heard).
    case languageModelFile(String, words: Set<String>)
    /// A word graph (e.g. ``WordGraph/init(jsgf:name:)``: a JSGF grammar made minimal); `name` labels its errors;
    /// its transitions' probabilities are raised to the power `transitionWeight` (``SharedArcGraph``).
    case wordGraph(WordGraph, name: String = "graph", transitionWeight: Double = 1)
}

/// One recognised word with its place in the audio.
public struct WordTiming: Sendable, Codable, Equatable {
    /// The word as spelled in the dictionary (without an alternate-pronunciation suffix like `(2)`).
    public var word: String
    /// Seconds from the start of the stream (the first chunk's timestamp plus the frame offset).
    public var start: Double
    /// Seconds from the start of the stream at the end of the word.
    public var end: Double
    /// How sure the recognizer is of this word, 0...1: the utterance's measure (see ``Transcript/confidence``)
    /// over the word's frames only (noisier), or the word's lattice posterior with the language model; nil when
    /// it could not be rated.
    public var confidence: Double?

    public init(word: String, start: Double, end: Double, confidence: Double? = nil) {
        self.word = word
        self.start = start
        self.end = end
        self.confidence = confidence
    }
}

/// One entry of an n-best list.
public struct Hypothesis: Sendable, Codable, Equatable {
    /// The words, space-separated.
    public var text: String
    /// PocketSphinx path score (log domain, higher is better; comparable only within one utterance).
    public var score: Int

    public init(text: String, score: Int) {
        self.text = text
        self.score = score
    }
}

/// The result of recognising one utterance.
public struct Transcript: Sendable, Codable, Equatable {
    /// The recognised words, space-separated; "" when nothing was recognised.
    public var text: String
    /// How sure the recognizer is, 0...1 (0 when nothing was recognised). With a grammar: the acoustic score of
    /// the words against that of free phones over the same audio, low for speech the grammar does not contain
    /// (forced onto it), high for correct results but also for near misses such as "light" heard as "lights".
    /// With the language model: PocketSphinx's lattice posterior of the best path. 0 when not rated (see
    /// ``isConfidenceRated``).
    public var confidence: Double
    /// Whether ``confidence`` and the words' confidences were rated; false only when the caller asked a grammar
    /// recognizer not to (`rateConfidence: false`), and then they are 0 and nil.
    public var isConfidenceRated: Bool
    /// Distinct n-best hypotheses, best first (may include the best itself), at most the recognizer's `nBest`.
    public var alternatives: [Hypothesis]
    /// The recognised words with their times.
    public var words: [WordTiming]
    /// What the decoder heard between and around the words that is not a word, with times and confidences: silence
    /// (`<sil>`, `<s>`, `</s>`) and noise (`[NOISE]`, `[SPEECH]`). A filler is rated only where the phone loop heard
    /// a syllable in it (its confidence is low where speech was taken for silence), and its confidence is nil where
    /// it heard none.
    public var fillers: [WordTiming] = []
    /// Seconds of 16 kHz audio decoded.
    public var audioSeconds: Double
    /// Wall-clock milliseconds spent decoding (feeding, finishing and reading the result).
    public var decodeMilliseconds: Double
    /// PocketSphinx's path score of the best hypothesis (log domain, higher is better; 0 when nothing was
    /// recognised). Comparable between searches over the same audio: which grammar explains it better.
    public var score: Int

    public init(
        text: String, confidence: Double, alternatives: [Hypothesis], words: [WordTiming], audioSeconds: Double,
        decodeMilliseconds: Double, isConfidenceRated: Bool = true, score: Int = 0
    ) {
        self.score = score
        self.text = text
        self.confidence = confidence
        self.alternatives = alternatives
        self.words = words
        self.audioSeconds = audioSeconds
        self.decodeMilliseconds = decodeMilliseconds
        self.isConfidenceRated = isConfidenceRated
    }
}
