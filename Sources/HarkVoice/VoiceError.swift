/// A problem of the voice pipeline: a vocabulary or dictionary file that cannot be used (the description is one line
/// naming the file), or a streamed utterance used out of order.
public struct VoiceError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case unreadableFile(String)
        case malformedDictionary(String, Int)
        case malformedVocabulary(String, Int, String)
        case utteranceState(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func unreadableFile(_ path: String) -> VoiceError { VoiceError(.unreadableFile(path)) }
    static func malformedDictionary(_ path: String, line: Int) -> VoiceError {
        VoiceError(.malformedDictionary(path, line))
    }

    static func malformedVocabulary(_ path: String, line: Int, _ problem: String) -> VoiceError {
        VoiceError(.malformedVocabulary(path, line, problem))
    }

    static func utteranceState(_ detail: String) -> VoiceError { VoiceError(.utteranceState(detail)) }

    public var description: String {
        switch kind {
        case .unreadableFile(let path): return "\(path): cannot read the file"
        case .malformedDictionary(let path, let line):
            return "\(path):\(line): expected 'word PHONES' with CMU phones (AA AE AH … ZH)"
        case .malformedVocabulary(let path, let line, let problem): return "\(path):\(line): \(problem)"
        case .utteranceState(let detail): return detail
        }
    }
}
