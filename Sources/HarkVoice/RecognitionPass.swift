import HarkAudio
import HarkSpeech
import HarkUnderstanding

/// What a pass after the first decoding is given: the reading so far and the audio it came from.
public struct RecognitionPassInput: Sendable {
    /// The request text so far (the wake phrase removed).
    public var text: String
    /// The transcript the text came from (word timings and confidences; the wake phrase's words first when it was
    /// said).
    public var transcript: Transcript
    /// The readings so far (n-best), best first, the wake phrase removed.
    public var readings: [String]
    /// The utterance's audio.
    public var utterance: AudioChunk
    /// How many of the transcript's first words are the wake phrase (0 when it was not said).
    public var wakeWordCount: Int

    /// The audio after the wake phrase's words, as the first pass timed them (the whole utterance without them).
    public var requestAudio: AudioChunk {
        let spoken = transcript.words.filter { !$0.word.hasPrefix("<") && !$0.word.hasPrefix("[") }
        guard wakeWordCount > 0, spoken.count >= wakeWordCount else { return utterance }
        let rate = Double(utterance.format.sampleRate)
        let from = min(
            utterance.samples.count, max(0, Int((spoken[wakeWordCount - 1].end - utterance.timestamp) * rate)))
        return AudioChunk(
            samples: Array(utterance.samples[from...]), format: utterance.format,
            timestamp: utterance.timestamp + Double(from) / rate)
    }
}

/// What a pass changed in the reading.
public struct RecognitionRevision: Sendable {
    /// The request text now.
    public var text: String
    /// A transcript that replaces the one before (a pass that decoded the whole utterance again).
    public var transcript: Transcript?
    /// The reading's confidence now (nil: it stands).
    public var confidence: Double?
    /// The readings now (nil: they stand).
    public var readings: [String]?

    public init(text: String, transcript: Transcript? = nil, confidence: Double? = nil, readings: [String]? = nil) {
        self.text = text
        self.transcript = transcript
        self.confidence = confidence
        self.readings = readings
    }
}

/// A pass after the first decoding (``VoiceRecognizer``): it may hear part of the utterance again and revise the
/// reading. Passes run in order, each on what the one before left; one that returns nil changes nothing.
/// Hark's own are ``CappedListPass`` and ``WildcardPass``; ``VoiceRecognizer/insertPass(_:at:)`` adds others.
public protocol RecognitionPass: Sendable {
    /// The reading revised, or nil to leave it as it is.
    func revise(_ input: RecognitionPassInput, engine: IntentEngine) async throws -> RecognitionRevision?
    /// The skills changed (``VoiceRecognizer/update(engine:)``): whatever was built from the old ones goes.
    /// - Parameter grammar: the first pass's new grammar.
    func update(engine: IntentEngine, grammar: VoiceGrammar) async throws
}

/// A word list's last occurrence as a contiguous run.
func lastRange(of needle: [String], in haystack: [String]) -> Range<Int>? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    for start in stride(from: haystack.count - needle.count, through: 0, by: -1)
    where Array(haystack[start..<(start + needle.count)]) == needle {
        return start..<(start + needle.count)
    }
    return nil
}
