import HarkUnderstanding

/// How the wake phrase sits in the grammar.
public enum WakePhraseLayout: String, Sendable, CaseIterable {
    /// `public <utterance> = [<wake>] <command>;` — one decode finds both; the wake phrase is optional.
    case optionalPrefix
    /// `public <utterance> = (<wake> <command>) | <command>;` — the same language written as two branches.
    case alternatives
    /// `public <utterance> = <command>;` — no wake phrase in the grammar (a separate detector found it).
    case none
}

/// The JSGF grammar Hark decodes speech with: every installed skill's sentences and the built-in intents
/// (from ``IntentEngine/jsgf(grammarName:wildcardExpansion:)``), the wake phrase in front, and wildcard slots
/// spoken as a ``WildcardVocabulary``.
public struct VoiceGrammar: Sendable {
    /// The grammar's name (and the name of its PocketSphinx search).
    public static let name = "hark"
    /// The JSGF text.
    public let text: String
    /// Every word the grammar can produce (each needs a pronunciation).
    public let words: Set<String>
    /// The wake phrase as normalised words.
    public let wakeWords: [String]

    /// Builds the grammar.
    /// - Parameters:
    ///   - engine: the compiled sentences (the Assistant's `intentEngine`).
    ///   - wakePhrase: e.g. "hey hark"; an empty phrase or layout `.none` leaves it out.
    ///   - wildcard: phrases a wildcard slot may be; nil leaves wildcard sentences unspeakable (`<VOID>`).
    public init(
        engine: IntentEngine, wakePhrase: String, wildcard: WildcardVocabulary?,
        layout: WakePhraseLayout = .optionalPrefix
    ) {
        let wakeWords = WildcardVocabulary.normalize(wakePhrase)?.split(separator: " ").map(String.init) ?? []
        let expansion = (wildcard?.phrases.isEmpty ?? true) ? "<VOID>" : "<wildcard_phrases>"
        var lines = engine.jsgf(grammarName: Self.name, wildcardExpansion: expansion)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // One public rule only (PocketSphinx takes an arbitrary one when there are several).
        for index in lines.indices where lines[index].hasPrefix("public <command>") {
            lines[index].removeFirst("public ".count)
        }
        let top: String
        switch (layout, wakeWords.isEmpty) {
        case (.none, _), (_, true): top = "public <utterance> = <command>;"
        case (.optionalPrefix, false): top = "public <utterance> = [<wake>] <command>;"
        case (.alternatives, false): top = "public <utterance> = (<wake> <command>) | <command>;"
        }
        var extra = [top]
        if !wakeWords.isEmpty && layout != .none { extra.append("<wake> = \(wakeWords.joined(separator: " "));") }
        if let wildcard, !wildcard.phrases.isEmpty {
            // Several items ("milk, eggs and bread"), each with its own amount ("and a pint of milk").
            extra.append("<wildcard_phrases> = <wildcard_item> ([and] [<wildcard_amount>] <wildcard_item>)*;")
            extra.append("<wildcard_amount> = (a | an | some | \(Self.smallNumbers.joined(separator: " | "))) "
                + "[(\(Self.units.joined(separator: " | "))) [of]];")
            extra.append("<wildcard_item> = (\(wildcard.phrases.joined(separator: " | ")));")
        }
        let insertAt = (lines.firstIndex { $0.hasPrefix("grammar ") } ?? 0) + 1
        lines.insert(contentsOf: [""] + extra, at: insertAt)
        let text = lines.joined(separator: "\n")
        self.text = text
        self.wakeWords = wakeWords
        self.words = Self.terminals(in: text)
    }

    private init(text: String, words: Set<String>, wakeWords: [String]) {
        self.text = text
        self.words = words
        self.wakeWords = wakeWords
    }

    /// The grammar with `unspeakable` words replaced by `<VOID>`, so the sentences that need them drop out
    /// instead of the whole grammar being refused.
    public func voiding(_ unspeakable: Set<String>) -> VoiceGrammar {
        guard !unspeakable.isEmpty else { return self }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.hasPrefix("#"), !line.hasPrefix("grammar "), let equals = line.firstIndex(of: "=") else {
                return String(line)
            }
            var body = ""
            var token = ""
            var inReference = false
            func flush() {
                body += unspeakable.contains(token) ? "<VOID>" : token
                token = ""
            }
            for character in line[line.index(after: equals)...] {
                if character == "<" { inReference = true }
                if inReference || "()[]|*+;".contains(character) || character.isWhitespace {
                    flush()
                    body.append(character)
                    if character == ">" { inReference = false }
                } else {
                    token.append(character)
                }
            }
            flush()
            return String(line[...equals]) + body
        }
        let voided = lines.joined(separator: "\n")
        return VoiceGrammar(text: voided, words: words.subtracting(unspeakable), wakeWords: wakeWords)
    }

    /// Number words an item's amount may start with.
    static let smallNumbers = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "twenty", "a dozen", "half a dozen",
    ]
    /// Container and measure words between an amount and an item.
    static let units = [
        "bottle", "bottles", "can", "cans", "tin", "tins", "jar", "jars", "pack", "packs", "packet", "packets",
        "box", "boxes", "bag", "bags", "loaf", "loaves", "bunch", "bunches", "carton", "cartons", "tub", "tubs",
        "pint", "pints", "litre", "litres", "kilo", "kilos", "gram", "grams", "pound", "pounds", "dozen",
    ]

    /// The terminal words of a JSGF text: everything outside rule references, comments and syntax.
    static func terminals(in grammar: String) -> Set<String> {
        var words = Set<String>()
        for line in grammar.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("grammar ") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var token = ""
            var inReference = false
            for character in line[line.index(after: equals)...] {
                if character == "<" { inReference = true }
                if inReference {
                    if character == ">" { inReference = false }
                    continue
                }
                if "()[]|*+;".contains(character) || character.isWhitespace {
                    if !token.isEmpty { words.insert(token) }
                    token = ""
                } else {
                    token.append(character)
                }
            }
            if !token.isEmpty { words.insert(token) }
        }
        return words
    }
}
