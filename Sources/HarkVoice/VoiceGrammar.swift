import HarkSpeech
import HarkUnderstanding

/// How the wake phrase sits in the grammar.
///
/// An optional wake phrase (`[<wake>] <command>`) was measured and dropped: a short optional word after it ("the")
/// took the wake phrase's place in 3 of 4 eSpeak voices, and requests without it were heard as woken.
public enum WakePhraseLayout: String, Sendable, CaseIterable {
    /// `public <utterance> = <wake> [<command>];` — the wake phrase first (Hark idle), the request may follow.
    case required
    /// `public <utterance> = <command>;` — no wake phrase (a conversation is open).
    case none
}

/// The grammar Hark decodes speech with: every installed skill's sentences and the built-in intents
/// (``IntentEngine/recognitionJSGF(grammarName:options:wildcardExpansion:)``), what may be said alone in answer to a
/// question, the wake phrase, and each wildcard slot spoken as its skill's ``WildcardVocabulary``; as JSGF text and
/// as the minimal ``WordGraph`` the recognizer searches.
public struct VoiceGrammar: Sendable {
    /// The grammar's name (and the name of its PocketSphinx search).
    public static let name = "hark"
    /// The JSGF text (`<VOID>` marks what cannot be said: a wildcard without vocabulary).
    public let text: String
    /// The grammar as a minimal word graph, without the sentences that need an excluded word.
    public let graph: WordGraph
    /// The wake phrase as normalised words.
    public let wakeWords: [String]
    /// Wildcard lists without a vocabulary ("skill.list"): their sentences cannot be heard.
    public let unheardWildcards: [String]

    /// Every word the grammar can produce (each needs a pronunciation).
    public var words: Set<String> { graph.words }

    /// Builds the grammar.
    /// - Parameters:
    ///   - engine: the compiled sentences (the Assistant's `intentEngine`).
    ///   - wakePhrase: e.g. "hey hark"; an empty phrase or layout `.none` leaves it out.
    ///   - vocabularies: what each wildcard slot may be heard as; a list without one is `<VOID>`.
    /// - Throws: ``SpeechError`` when the sentences compile to an invalid grammar.
    public init(
        engine: IntentEngine, wakePhrase: String, vocabularies: WildcardVocabularies,
        layout: WakePhraseLayout = .required, options: RecognitionGrammarOptions = RecognitionGrammarOptions()
    ) throws {
        let wakeWords = WildcardVocabulary.normalize(wakePhrase)?.split(separator: " ").map(String.init) ?? []
        let unheard: [String]
        (text, unheard) = Self.jsgf(
            engine: engine, wakeWords: wakeWords, vocabularies: vocabularies, layout: layout, options: options)
        graph = try WordGraph(jsgf: text, name: Self.name)
        self.wakeWords = wakeWords
        unheardWildcards = unheard.sorted()
    }

    /// Whether a person can be heard saying `text`: its words as the matcher reads them (digits spelled out,
    /// contractions expanded) are a sentence of the grammar, after the wake phrase where the layout requires one.
    /// A sentence outside it (its template or list value cut by the caps, a place missing from a vocabulary) can only
    /// be heard as something else.
    public func canHear(_ text: String, engine: IntentEngine) -> Bool {
        let words = engine.match(text).words
        return graph.accepts(words) || (!wakeWords.isEmpty && graph.accepts(wakeWords + words))
    }

    /// The grammar's JSGF text, and the wildcard lists without a vocabulary ("skill.list").
    public static func jsgf(
        engine: IntentEngine, wakeWords: [String], vocabularies: WildcardVocabularies, layout: WakePhraseLayout,
        options: RecognitionGrammarOptions
    ) -> (text: String, unheardWildcards: [String]) {
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
        var top = ["public <utterance> = <command>;"]
        if layout == .required && !wakeWords.isEmpty {
            top = ["public <utterance> = <wake> [<command>];", "<wake> = \(wakeWords.joined(separator: " "));"]
        }
        let insertAt = (lines.firstIndex { $0.hasPrefix("grammar ") } ?? 0) + 1
        lines.insert(contentsOf: [""] + top, at: insertAt)
        return (lines.joined(separator: "\n"), unheard)
    }

    private init(text: String, graph: WordGraph, wakeWords: [String], unheardWildcards: [String]) {
        self.text = text
        self.graph = graph
        self.wakeWords = wakeWords
        self.unheardWildcards = unheardWildcards
    }

    /// The grammar without the sentences that need an `unspeakable` word (one without a pronunciation), so they
    /// drop out instead of the whole grammar being refused.
    public func excluding(_ unspeakable: Set<String>) throws -> VoiceGrammar {
        guard !unspeakable.isEmpty else { return self }
        return VoiceGrammar(
            text: text, graph: try WordGraph(jsgf: text, name: Self.name, excluding: unspeakable),
            wakeWords: wakeWords, unheardWildcards: unheardWildcards)
    }
}
