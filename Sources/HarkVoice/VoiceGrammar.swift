import HarkSpeech
import HarkUnderstanding

/// How the wake phrase sits in the grammar.
public enum WakePhraseLayout: String, Sendable, CaseIterable {
    /// `public <utterance> = [<wake>] <command>;` — one decode finds both; the wake phrase is optional.
    case optionalPrefix
    /// `public <utterance> = (<wake> <command>) | <command>;` — the same language written as two branches.
    case alternatives
    /// `public <utterance> = <wake> <command>;` — only requests that start with the wake phrase.
    case required
    /// `public <utterance> = <command>;` — no wake phrase in the grammar (a separate detector found it).
    case none
}

/// The JSGF grammar Hark decodes speech with: every installed skill's sentences and the built-in intents
/// (``IntentEngine/recognitionJSGF(grammarName:options:wildcardExpansion:)``), what may be said alone in answer to a
/// question, the wake phrase in front, and each wildcard slot spoken as its skill's ``WildcardVocabulary``.
public struct VoiceGrammar: Sendable {
    /// The grammar's name (and the name of its PocketSphinx search).
    public static let name = "hark"
    /// The JSGF text.
    public let text: String
    /// The grammar as a minimal word graph (what the recognizer searches).
    public var graph: WordGraph {
        get throws { try WordGraph(jsgf: text, name: Self.name) }
    }
    /// Every word the grammar can produce (each needs a pronunciation).
    public let words: Set<String>
    /// The wake phrase as normalised words.
    public let wakeWords: [String]
    /// Wildcard lists without a vocabulary ("skill.list"): their sentences cannot be heard.
    public let unheardWildcards: [String]

    /// Builds the grammar.
    /// - Parameters:
    ///   - engine: the compiled sentences (the Assistant's `intentEngine`).
    ///   - wakePhrase: e.g. "hey hark"; an empty phrase or layout `.none` leaves it out.
    ///   - vocabularies: what each wildcard slot may be heard as; a list without one is `<VOID>`.
    public init(
        engine: IntentEngine, wakePhrase: String, vocabularies: WildcardVocabularies,
        layout: WakePhraseLayout = .optionalPrefix, options: RecognitionGrammarOptions = RecognitionGrammarOptions()
    ) {
        let wakeWords = WildcardVocabulary.normalize(wakePhrase)?.split(separator: " ").map(String.init) ?? []
        var unheard: [String] = []
        var lines = engine.recognitionJSGF(grammarName: Self.name, options: options) { skill, list in
            guard let vocabulary = vocabularies.vocabulary(skill: skill, list: list), !vocabulary.phrases.isEmpty
            else {
                unheard.append("\(skill).\(list)")
                return "<VOID>"
            }
            return vocabulary.limited(to: options.maxListValues).jsgfExpansion
        }.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // One public rule only (PocketSphinx takes an arbitrary one when there are several).
        for index in lines.indices where lines[index].hasPrefix("public <command>") {
            lines[index].removeFirst("public ".count)
        }
        let top: String
        switch (layout, wakeWords.isEmpty) {
        case (.none, _), (_, true): top = "public <utterance> = <command>;"
        case (.optionalPrefix, false): top = "public <utterance> = [<wake>] <command>;"
        case (.alternatives, false): top = "public <utterance> = (<wake> <command>) | <command>;"
        case (.required, false): top = "public <utterance> = <wake> [<command>];"
        }
        var extra = [top]
        if !wakeWords.isEmpty && layout != .none { extra.append("<wake> = \(wakeWords.joined(separator: " "));") }
        let insertAt = (lines.firstIndex { $0.hasPrefix("grammar ") } ?? 0) + 1
        lines.insert(contentsOf: [""] + extra, at: insertAt)
        let text = JSGFPruner.prune(lines.joined(separator: "\n"), unspeakable: []).text
        self.text = text
        self.wakeWords = wakeWords
        self.words = Self.terminals(in: text)
        self.unheardWildcards = unheard.sorted()
    }

    private init(text: String, words: Set<String>, wakeWords: [String], unheardWildcards: [String]) {
        self.text = text
        self.words = words
        self.wakeWords = wakeWords
        self.unheardWildcards = unheardWildcards
    }

    /// The grammar without the alternatives that need an `unspeakable` word (and without `<VOID>`), so the
    /// sentences that need them drop out instead of the whole grammar being refused.
    public func voiding(_ unspeakable: Set<String>) -> VoiceGrammar {
        let pruned = JSGFPruner.prune(text, unspeakable: unspeakable)
        return VoiceGrammar(
            text: pruned.text, words: Self.terminals(in: pruned.text), wakeWords: wakeWords,
            unheardWildcards: unheardWildcards)
    }

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
