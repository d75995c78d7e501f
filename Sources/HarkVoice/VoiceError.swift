/// A problem of the voice pipeline's data: a vocabulary or dictionary file that cannot be used. The description
/// is one line naming the file.
public struct VoiceError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case unreadableFile(String)
        case malformedFile(String, String)
        case malformedDictionary(String, Int)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func unreadableFile(_ path: String) -> VoiceError { VoiceError(.unreadableFile(path)) }
    static func malformedFile(_ path: String, _ problem: String) -> VoiceError {
        VoiceError(.malformedFile(path, problem))
    }
    static func malformedDictionary(_ path: String, line: Int) -> VoiceError {
        VoiceError(.malformedDictionary(path, line))
    }

    public var description: String {
        switch kind {
        case .unreadableFile(let path): return "\(path): cannot read the file"
        case .malformedFile(let path, let problem): return "\(path): not valid YAML: \(problem)"
        case .malformedDictionary(let path, let line):
            return "\(path):\(line): expected 'word PHONES' with CMU phones (AA AE AH … ZH)"
        }
    }
}
