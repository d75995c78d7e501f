/// An error from speech recognition or synthesis, with a one-line message that names the file, word, voice or
/// path at fault and the problem.
///
/// Match on ``code`` to tell kinds apart; the cases themselves stay private so that new ones can be added.
public struct SpeechError: Error, CustomStringConvertible, Equatable {
    /// The kind of a ``SpeechError``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A model folder or file is missing.
        public static let missingModelPath = Code("missingModelPath")
        /// PocketSphinx could not create a decoder from the models.
        public static let decoderInitFailed = Code("decoderInitFailed")
        /// A JSGF grammar has a syntax or structure error.
        public static let grammarSyntax = Code("grammarSyntax")
        /// A grammar file could not be read.
        public static let grammarUnreadable = Code("grammarUnreadable")
        /// A grammar uses words that the pronunciation dictionary does not have.
        public static let wordNotInDictionary = Code("wordNotInDictionary")
        /// PocketSphinx refused a grammar or language model that passed Hark's own checks.
        public static let searchRejected = Code("searchRejected")
        /// A pronunciation could not be added to the dictionary.
        public static let invalidPronunciation = Code("invalidPronunciation")
        /// eSpeak NG has no such voice or variant.
        public static let unknownVoice = Code("unknownVoice")
        /// A voice's rate or pitch is out of range.
        public static let invalidVoiceSetting = Code("invalidVoiceSetting")
        /// eSpeak NG failed to initialise or to synthesise.
        public static let synthesisFailed = Code("synthesisFailed")
        /// Audio with no samples, or a sample rate or channel count of zero.
        public static let audioUnusable = Code("audioUnusable")
        /// A streaming call out of order (feeding without starting an utterance, switching grammar mid-utterance).
        public static let utteranceState = Code("utteranceState")

        public var description: String { name }
    }

    private enum Internal: Equatable {
        case missingModelPath(what: String, path: String, package: String)
        case decoderInitFailed(detail: String)
        case grammarSyntax(source: String, line: Int?, problem: String)
        case grammarUnreadable(path: String, reason: String)
        case wordsNotInDictionary(source: String, words: [String])
        case searchRejected(source: String, detail: String)
        case invalidPronunciation(word: String, phones: String, detail: String)
        case unknownVoice(name: String, reason: String)
        case invalidVoiceSetting(setting: String, value: Int, range: ClosedRange<Int>)
        case synthesisFailed(detail: String)
        case audioUnusable(reason: String)
        case utteranceState(detail: String)
    }

    private let value: Internal
    private init(_ value: Internal) { self.value = value }

    static func missingModelPath(what: String, path: String, package: String) -> SpeechError {
        SpeechError(.missingModelPath(what: what, path: path, package: package))
    }
    static func decoderInitFailed(_ detail: String) -> SpeechError { SpeechError(.decoderInitFailed(detail: detail)) }
    static func grammarSyntax(source: String, line: Int?, problem: String) -> SpeechError {
        SpeechError(.grammarSyntax(source: source, line: line, problem: problem))
    }
    static func grammarUnreadable(path: String, reason: String) -> SpeechError {
        SpeechError(.grammarUnreadable(path: path, reason: reason))
    }
    static func wordsNotInDictionary(source: String, words: [String]) -> SpeechError {
        SpeechError(.wordsNotInDictionary(source: source, words: words))
    }
    static func searchRejected(source: String, detail: String) -> SpeechError {
        SpeechError(.searchRejected(source: source, detail: detail))
    }
    static func invalidPronunciation(word: String, phones: String, detail: String) -> SpeechError {
        SpeechError(.invalidPronunciation(word: word, phones: phones, detail: detail))
    }
    static func unknownVoice(_ name: String, reason: String) -> SpeechError {
        SpeechError(.unknownVoice(name: name, reason: reason))
    }
    static func invalidVoiceSetting(_ setting: String, value: Int, range: ClosedRange<Int>) -> SpeechError {
        SpeechError(.invalidVoiceSetting(setting: setting, value: value, range: range))
    }
    static func synthesisFailed(_ detail: String) -> SpeechError { SpeechError(.synthesisFailed(detail: detail)) }
    static func audioUnusable(_ reason: String) -> SpeechError { SpeechError(.audioUnusable(reason: reason)) }
    static func utteranceState(_ detail: String) -> SpeechError { SpeechError(.utteranceState(detail: detail)) }

    /// What kind of error this is.
    public var code: Code {
        switch value {
        case .missingModelPath: .missingModelPath
        case .decoderInitFailed: .decoderInitFailed
        case .grammarSyntax: .grammarSyntax
        case .grammarUnreadable: .grammarUnreadable
        case .wordsNotInDictionary: .wordNotInDictionary
        case .searchRejected: .searchRejected
        case .invalidPronunciation: .invalidPronunciation
        case .unknownVoice: .unknownVoice
        case .invalidVoiceSetting: .invalidVoiceSetting
        case .synthesisFailed: .synthesisFailed
        case .audioUnusable: .audioUnusable
        case .utteranceState: .utteranceState
        }
    }

    /// The grammar line at fault, for grammar syntax errors that know it.
    public var line: Int? {
        if case .grammarSyntax(_, let line, _) = value { return line }
        return nil
    }

    /// The words missing from the dictionary, for ``Code/wordNotInDictionary``; empty otherwise.
    public var missingWords: [String] {
        if case .wordsNotInDictionary(_, let words) = value { return words }
        return []
    }

    /// The file or folder at fault, for ``Code/missingModelPath`` and ``Code/grammarUnreadable``.
    public var path: String? {
        switch value {
        case .missingModelPath(_, let path, _), .grammarUnreadable(let path, _): path
        default: nil
        }
    }

    public var description: String {
        switch value {
        case .missingModelPath(let what, let path, let package):
            "\(path): \(what) not found (the Debian package \(package) provides the default English model)"
        case .decoderInitFailed(let detail):
            "PocketSphinx could not create a decoder: \(detail)"
        case .grammarSyntax(let source, let line, let problem):
            if let line { "\(source): grammar syntax error at line \(line): \(problem)" }
            else { "\(source): grammar syntax error: \(problem)" }
        case .grammarUnreadable(let path, let reason):
            "\(path): cannot read grammar: \(reason)"
        case .wordsNotInDictionary(let source, let words):
            "\(source): \(words.count == 1 ? "word" : "words") not in the pronunciation dictionary: "
                + words.joined(separator: ", ") + " (add pronunciations with extraDictionary or addWord)"
        case .searchRejected(let source, let detail):
            "\(source): PocketSphinx refused it: \(detail)"
        case .invalidPronunciation(let word, let phones, let detail):
            "cannot add '\(word)' with phones '\(phones)': \(detail)"
        case .unknownVoice(let name, let reason):
            "unknown voice '\(name)': \(reason)"
        case .invalidVoiceSetting(let setting, let value, let range):
            "voice \(setting) \(value) is out of range \(range.lowerBound)...\(range.upperBound)"
        case .synthesisFailed(let detail):
            "speech synthesis failed: \(detail)"
        case .audioUnusable(let reason):
            "audio unusable for recognition: \(reason)"
        case .utteranceState(let detail):
            detail
        }
    }
}
