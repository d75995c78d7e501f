import HarkSpeech

/// What ``PronunciationFiller`` did for a grammar's words.
public struct PronunciationReport: Sendable, Equatable, Codable {
    /// Words that were missing from the dictionary and got a pronunciation from eSpeak NG: word → CMU phones.
    public var added: [String: [String]]
    /// Words that could not be given a pronunciation (eSpeak gave nothing usable): word → why.
    public var unpronounceable: [String: String]

    public init(added: [String: [String]] = [:], unpronounceable: [String: String] = [:]) {
        self.added = added
        self.unpronounceable = unpronounceable
    }
}

/// Gives every word of a grammar a pronunciation: words the dictionary lacks get eSpeak NG's phonemes (US
/// English) mapped to the CMU phone set (``EspeakPhonemeMapping``) and are added to the recognizer.
public enum PronunciationFiller {
    /// Adds pronunciations for the words of `words` that `recognizer` does not know.
    public static func fill(_ words: Set<String>, into recognizer: Recognizer) async throws -> PronunciationReport {
        var report = PronunciationReport()
        for word in try await recognizer.missingWords(words).sorted() {
            switch try await pronunciation(of: word) {
            case .success(let phones):
                try await recognizer.addWord(word, phones: phones.joined(separator: " "))
                report.added[word] = phones
            case .failure(let problem):
                report.unpronounceable[word] = problem.reason
            }
        }
        return report
    }

    /// Why a word has no pronunciation.
    public struct Problem: Error, Sendable {
        public var reason: String
    }

    /// CMU phones for `word` from eSpeak NG, or why there are none.
    public static func pronunciation(of word: String) async throws -> Result<[String], Problem> {
        let mnemonics = try await Synthesizer.shared.phonemes(for: word)
        let mapped = EspeakPhonemeMapping.cmuPhones(fromEspeak: mnemonics)
        if !mapped.unmapped.isEmpty {
            return .failure(Problem(reason: "eSpeak phonemes '\(mnemonics)' have no CMU match for \(mapped.unmapped)"))
        }
        if mapped.phones.isEmpty { return .failure(Problem(reason: "eSpeak gave no phonemes")) }
        return .success(mapped.phones)
    }
}
