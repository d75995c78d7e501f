import Foundation

/// The phrase that wakes Hark ("hey hark" by default, `wake_phrase` in the configuration), as the words the
/// recognizer must hear.
public struct WakePhrase: Sendable, Equatable, CustomStringConvertible {
    /// Lowercase words, punctuation removed (`"Hey, Hark!"` → `["hey", "hark"]`).
    public let words: [String]

    /// Normalises `phrase`; throws ``WakePhraseError`` when no word is left.
    public init(_ phrase: String) throws(WakePhraseError) {
        let words = Self.normalisedWords(phrase)
        guard !words.isEmpty else { throw WakePhraseError(phrase: phrase) }
        self.words = words
    }

    /// The phrase as words separated by spaces.
    public var description: String { words.joined(separator: " ") }

    /// The rest of `text` after the wake phrase, or nil when `text` does not start with it
    /// (`"hey hark, add milk"` → `"add milk"`; `"hey hark"` → `""`).
    public func request(in text: String) -> String? {
        let said = Self.normalisedWords(text)
        guard said.count >= words.count, Array(said.prefix(words.count)) == words else { return nil }
        return said.dropFirst(words.count).joined(separator: " ")
    }

    /// `text` spoken after the wake phrase, with a comma for the pause eSpeak makes there.
    public func spoken(before request: String) -> String {
        request.isEmpty ? description : "\(description), \(request)"
    }

    static func normalisedWords(_ text: String) -> [String] {
        let kept = text.lowercased().map { (character: Character) -> Character in
            character.isLetter || character.isNumber || character == "'" ? character : " "
        }
        return String(kept).split(separator: " ").map(String.init)
    }
}

/// A wake phrase with no word in it.
public struct WakePhraseError: Error, CustomStringConvertible, Equatable {
    /// The phrase as configured.
    public let phrase: String

    public var description: String { "wake_phrase: '\(phrase)' has no word in it" }
}
