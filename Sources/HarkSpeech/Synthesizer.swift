import HarkAudio

/// A voice of eSpeak NG: a language with an optional variant (`en-us`, `en-us+f2`), a rate and a pitch.
public struct Voice: Sendable, Codable, Equatable {
    /// Language code, optionally followed by `+variant` (see ``Synthesizer/listVoices()`` and
    /// ``Synthesizer/listVariants()``).
    public var name: String = "en-us"
    /// Speaking rate in words per minute, 80...450.
    public var rate: Int = 175
    /// Base pitch, 0...100 (50 is normal).
    public var pitch: Int = 50

    public init(name: String = "en-us", rate: Int = 175, pitch: Int = 50) {
        self.name = name
        self.rate = rate
        self.pitch = pitch
    }
}

/// Speech synthesis with eSpeak NG. eSpeak keeps process-wide state, so there is one synthesizer: ``shared``.
///
/// eSpeak's waveform generator carries state from one call to the next (pitch flutter, phase), so the same text
/// can come out a few samples different each time; re-initialising eSpeak to avoid it hangs in synchronous mode.
public actor Synthesizer {
    /// The one owner of eSpeak NG in this process.
    public static let shared = Synthesizer()

    private let engine: ESpeakEngine?
    private let initializationError: SpeechError?
    private let converter = AudioConverter()

    private init() {
        do {
            engine = try ESpeakEngine()
            initializationError = nil
        } catch {
            engine = nil
            initializationError = error as? SpeechError ?? .synthesisFailed("\(error)")
        }
    }

    private func ready() throws -> ESpeakEngine {
        guard let engine else { throw initializationError ?? .synthesisFailed("eSpeak NG is not initialised") }
        return engine
    }

    /// eSpeak's output rate (22 050 Hz), or 0 if eSpeak NG could not initialise.
    public var engineRate: Int { engine?.sampleRate ?? 0 }

    /// Speaks `text` at the engine rate, mono. With `ssml`, markup such as `<break time="500ms"/>` is obeyed.
    ///
    /// - Throws: ``SpeechError`` for an unknown voice or variant, a rate or pitch out of range, or a failure of eSpeak.
    public func synthesize(_ text: String, voice: Voice = Voice(), ssml: Bool = false) throws -> AudioChunk {
        let engine = try ready()
        try engine.load(voice)
        let samples = try engine.synthesize(text, ssml: ssml)
        return AudioChunk(samples: samples, format: AudioFormat(sampleRate: engine.sampleRate, channels: 1))
    }

    /// Speaks `text` as 16 kHz mono, ready for the ``Recognizer``.
    public func synthesizeForRecognition(_ text: String, voice: Voice = Voice(), ssml: Bool = false) throws
        -> AudioChunk
    {
        converter.toSpeechFormat(try synthesize(text, voice: voice, ssml: ssml))
    }

    /// eSpeak's ASCII phoneme mnemonics for a word in US English (`hark` → `h'A@k`): material for pronouncing
    /// words that the recognizer's dictionary lacks.
    public func phonemes(for word: String) throws -> String {
        let engine = try ready()
        try engine.load(Voice())
        let phonemes = engine.phonemes(for: word)
        guard !phonemes.isEmpty else { throw SpeechError.synthesisFailed("eSpeak NG gave no phonemes for '\(word)'") }
        return phonemes
    }

    /// Language codes of the installed voices (`en-us`, `en-gb`, `de`, ...), sorted; empty if eSpeak is unavailable.
    public func listVoices() -> [String] { engine?.voices() ?? [] }

    /// Variant names (`f2`, `m3`, `klatt`, ...) that can follow a language after `+`, sorted.
    public func listVariants() -> [String] { engine?.variants() ?? [] }
}
