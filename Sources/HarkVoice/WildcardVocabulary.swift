import Foundation

/// The phrases one wildcard slot (a shopping item, a dish, a place) may be heard as.
///
/// A wildcard takes any words when Hark reads text, but the recognizer must know what may be said. A skill gives
/// each wildcard list a file `vocabulary/LIST.txt` in its folder:
///
///     # comment
///     %before (a | two | some) [(bottle | bottles) [of]]   JSGF words that may precede each phrase
///     %repeat [and]                                        several phrases, joined by this (empty: in a row)
///     peanut butter                                        one phrase per line
///
/// Phrases are lower-cased; hyphens and slashes become spaces; a phrase with digits or symbols is an error.
public struct WildcardVocabulary: Sendable, Equatable {
    /// Distinct phrases, in file order (most common first).
    public private(set) var phrases: [String]
    /// A JSGF expansion that may come before each phrase (nil: nothing).
    public var before: String?
    /// When set, the slot may hold several phrases joined by this JSGF expansion ("" for none, "[and]").
    public var repeatJoiner: String?

    /// A vocabulary of these phrases (normalised; those with digits or symbols are dropped).
    public init(phrases: some Sequence<String>, before: String? = nil, repeatJoiner: String? = nil) {
        var seen = Set<String>()
        self.phrases = phrases.compactMap(Self.normalize).filter { seen.insert($0).inserted }
        self.before = before
        self.repeatJoiner = repeatJoiner
    }

    /// The vocabulary with its first `count` phrases only (nil: all).
    public func limited(to count: Int?) -> WildcardVocabulary {
        guard let count, phrases.count > count else { return self }
        return WildcardVocabulary(phrases: phrases.prefix(count), before: before, repeatJoiner: repeatJoiner)
    }

    /// Every word the slot can produce: the phrases' and the `%before` and `%repeat` words.
    public var words: Set<String> {
        var words = Set(phrases.flatMap { $0.split(separator: " ").map(String.init) })
        for expansion in [before, repeatJoiner].compactMap(\.self) {
            words.formUnion(expansion.split(whereSeparator: { "()[]|*+ ".contains($0) }).map(String.init))
        }
        return words
    }

    /// The slot as a JSGF expansion: `[before] (phrase | …)`, with a `%repeat` slot's second phrase optional after
    /// the joiner (`… [[and] [before] (phrase | …)]`: two at most, as a loop let any audio pass for a run of
    /// phrases); `<VOID>` when there are none.
    public var jsgfExpansion: String {
        guard !phrases.isEmpty else { return "<VOID>" }
        var one = "(" + phrases.joined(separator: " | ") + ")"
        if let before, !before.isEmpty { one = "[\(before)] " + one }
        guard let repeatJoiner else { return one }
        return one + " [" + (repeatJoiner.isEmpty ? "" : repeatJoiner + " ") + one + "]"
    }

    /// Reads a vocabulary file (format above). Throws ``VoiceError`` naming the file and line.
    public static func read(file path: String) throws -> WildcardVocabulary {
        guard let data = FileManager.default.contents(atPath: path) else { throw VoiceError.unreadableFile(path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VoiceError.malformedVocabulary(path, line: 1, "not UTF-8 text")
        }
        var phrases: [String] = []
        var before: String?
        var joiner: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("%") {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                guard Self.isExpansion(argument) else {
                    throw VoiceError.malformedVocabulary(
                        path, line: index + 1, "'\(argument)' is not a JSGF expansion of lower-case words")
                }
                switch parts[0] {
                case "%before": before = argument
                case "%repeat": joiner = argument
                default:
                    throw VoiceError.malformedVocabulary(
                        path, line: index + 1, "unknown directive '\(parts[0])' (known: %before, %repeat)")
                }
                continue
            }
            guard let phrase = normalize(line) else {
                throw VoiceError.malformedVocabulary(
                    path, line: index + 1, "'\(line)' is not a phrase of words (no digits or symbols)")
            }
            phrases.append(phrase)
        }
        return WildcardVocabulary(phrases: phrases, before: before, repeatJoiner: joiner)
    }

    /// Lower case, hyphens and slashes as spaces, no punctuation; nil when the phrase has digits or symbols.
    static func normalize(_ phrase: String) -> String? {
        var words: [String] = []
        for raw in phrase.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" })
        {
            let word = raw.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?\"()"))
            guard !word.isEmpty else { continue }
            guard word.allSatisfy({ ("a"..."z").contains($0) || $0 == "'" }) else { return nil }
            words.append(word)
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// Lower-case words, spaces and the JSGF operators `( ) [ ] |` only, brackets balanced.
    static func isExpansion(_ text: String) -> Bool {
        var depth = 0
        for character in text {
            switch character {
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth < 0 { return false }
            case "|", " ", "'": break
            default: if !("a"..."z").contains(character) { return false }
            }
        }
        return depth == 0
    }
}

/// The wildcard vocabularies of the installed skills, by skill id and list name.
public struct WildcardVocabularies: Sendable, Equatable {
    /// skill id → list name → vocabulary.
    public var lists: [String: [String: WildcardVocabulary]]

    public init(lists: [String: [String: WildcardVocabulary]] = [:]) { self.lists = lists }

    /// The vocabulary of one list, nil when the skill gives none.
    public func vocabulary(skill: String, list: String) -> WildcardVocabulary? { lists[skill]?[list] }

    /// Every word of every vocabulary.
    public var words: Set<String> {
        lists.values.reduce(into: Set<String>()) { words, byList in
            for vocabulary in byList.values { words.formUnion(vocabulary.words) }
        }
    }

    /// Reads `vocabulary/*.txt` in each skill's folder (a folder without one adds nothing).
    public static func load(skills: [(id: String, folder: String)]) throws -> WildcardVocabularies {
        var lists: [String: [String: WildcardVocabulary]] = [:]
        for (id, folder) in skills {
            let directory = URL(fileURLWithPath: folder).appendingPathComponent("vocabulary")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".txt") {
                let path = directory.appendingPathComponent(name).path
                lists[id, default: [:]][String(name.dropLast(4))] = try WildcardVocabulary.read(file: path)
            }
        }
        return WildcardVocabularies(lists: lists)
    }
}
