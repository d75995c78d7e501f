import Foundation

/// What the matcher knows besides the text: the satellite's area and other key/values, and "now" for dates.
public struct MatchContext: Sendable {
    /// Context values, e.g. `["area": "Living Room"]`; `requires_context`/`excludes_context` test them.
    public var values: [String: String]
    /// The moment relative dates ("tomorrow", "friday") are read against.
    public var now: Date
    /// The calendar (and time zone) that decides days and weeks.
    public var calendar: Calendar

    /// Creates a context. The default calendar is Gregorian in the current time zone.
    public init(_ values: [String: String] = [:], now: Date = Date(), calendar: Calendar? = nil) {
        self.values = values
        self.now = now
        self.calendar =
            calendar
            ?? {
                var gregorian = Calendar(identifier: .gregorian)
                gregorian.timeZone = TimeZone.current
                return gregorian
            }()
    }
}

/// One intent that matched (or nearly matched) a text.
public struct IntentMatch: Sendable, Hashable {
    /// The skill id.
    public let skill: String
    /// The intent name.
    public let intent: String
    /// Slot name → canonical value (fixed `slots:` and context-copied slots included).
    public let slots: [String: SlotValue]
    /// Slot name → the words as written or recognised (digits as typed), for slots filled from the text.
    public let rawSlots: [String: String]
    /// 0…1: the share of the words explained, weighted (literal 1.0, skip word 0.95, list value 0.9, typed value
    /// 0.85, wildcard 0.5, or 0 when its words read as a clause: ``PhraseShape``). Full matches only reach 1.0 when
    /// every word is a literal of the template.
    /// Near misses score lower (unexplained words count 0, missing template words count against).
    public let score: Double
    /// True when the whole text fits the template; false for a near miss.
    public let isComplete: Bool
    /// The words the template explained, in order (fillers left out).
    public let matchedText: String
    /// Words of the text the template did not explain (near misses only).
    public let unmatchedWords: [String]
    /// Filler words that were skipped.
    public let skippedWords: [String]
    /// Template words or slots that the text lacked (near misses only), e.g. `lights` or `{name}`.
    public let missingParts: [String]
    /// Slots whose words were not a known value (near misses only): slot → the words said.
    public let unresolvedSlots: [String: String]
    /// The sentence template that matched.
    public let template: TemplateText
    /// The slots filled by a wildcard (any words) rather than a list or a type.
    public var wildcardSlots: Set<String> = []
    /// How many of the text's words are the template's own words (not slot values, skip words or words left over).
    public var literalWords = 0
}

/// The answer to one `match` call.
public struct MatchResult: Sendable {
    /// The text as given.
    public let text: String
    /// The normalised words the matcher saw.
    public let words: [String]
    /// The best complete match, if any.
    public let best: IntentMatch?
    /// Other intents that matched completely (best first) or, without a complete match, other near misses.
    public let alternatives: [IntentMatch]
    /// Without a complete match: the near miss that explained the most, for "I understood … but not …".
    public let nearest: IntentMatch?

    /// True when the best match and the first alternative have the same score (a "did you mean" moment).
    public var isAmbiguous: Bool {
        guard let best, let first = alternatives.first else { return false }
        return first.isComplete && first.score == best.score
    }
}

/// Tunables of the engine.
public struct EngineOptions: Sendable {
    /// Fillers every skill tolerates anywhere in a sentence.
    public var defaultSkipWords: [String]
    /// How many alternatives a result lists at most.
    public var maxAlternatives: Int
    /// Texts with more words than this never match (they are not commands).
    public var maxWords: Int

    /// The defaults: skip words "please", "kindly", "can you", "could you", "would you", "will you", "hey hark",
    /// "um", "uh", "er", "for me" and the articles and possessives "the", "a", "an", "my", "our".
    ///
    /// The speech grammar lets "the", "my" and "our" stand before any slot and the polite phrases before any
    /// sentence (``RecognitionGrammarOptions``): every skill has to understand what the recognizer can hear, or the
    /// right words are thrown away ("can i have the light roast twelve ounce coffee" against a template that says
    /// "a"). People say them in typed requests too. A skip word never takes a word that a template's literal needs
    /// (literals score higher), so "a" in "[a | an] {size}" and "my" in "my shopping list" stay literals.
    public init(
        defaultSkipWords: [String] = [
            "please", "kindly", "can you", "could you", "would you", "will you", "hey hark", "um", "uh", "er",
            "for me", "the", "a", "an", "my", "our",
        ],
        maxAlternatives: Int = 5,
        maxWords: Int = 100
    ) {
        self.defaultSkipWords = defaultSkipWords
        self.maxAlternatives = maxAlternatives
        self.maxWords = maxWords
    }
}

/// Hark's intent matcher: all skills' templates compiled once into an immutable graph, matched by dynamic
/// programming over word positions.
///
/// Ranking: a higher score wins; equal scores are ordered by skill id, then intent name, then the sentence's order
/// in its file. `alternatives` keep one entry per intent.
public final class IntentEngine: Sendable {
    let compiled: CompiledTemplates
    /// The options the engine was built with.
    public let options: EngineOptions

    /// Compiles `skills`. Throws `TemplateError` for any malformed or unresolvable template.
    public init(skills: [SkillTemplates], options: EngineOptions = EngineOptions()) throws {
        var seen = Set<String>()
        for skill in skills where !seen.insert(skill.skill).inserted {
            throw TemplateError.shape(
                "skill id '\(skill.skill)' is used twice",
                at: SourceLocation(file: skill.file, line: 1, column: 1)
            )
        }
        self.options = options
        self.compiled = try CompiledTemplates(skills: skills, defaultSkipWords: options.defaultSkipWords)
    }

    /// Number of compiled sentence templates.
    public var sentenceCount: Int { compiled.sentences.count }
    /// Number of intents over all skills.
    public var intentCount: Int { compiled.intents.count }
    /// Number of graph nodes (a size measure).
    public var nodeCount: Int { compiled.edgeStart.count - 1 }

    /// True when some skill's sentences, lists or skip words use `word` (normalised, lower case), or it is a number.
    public func knows(_ word: String) -> Bool {
        compiled.wordIds[word] != nil || Double(word) != nil || NumberWords.unitValues[word] != nil
            || NumberWords.tenValues[word] != nil || NumberWords.scaleValues[word] != nil
            || NumberWords.ordinalValues[word] != nil
    }

    /// Matches `text` against every skill's sentences.
    public func match(_ text: String, context: MatchContext = MatchContext()) -> MatchResult {
        let normalized = TextNormalizer.normalize(text)
        let words = normalized.words
        guard !words.isEmpty, words.count <= options.maxWords else {
            return MatchResult(text: text, words: words, best: nil, alternatives: [], nearest: nil)
        }
        var session = MatchSession(compiled: compiled, text: normalized, context: context)
        let complete = session.completeMatches()
        let ranked = rankByIntent(complete)
        if let best = ranked.first {
            return MatchResult(
                text: text,
                words: words,
                best: best,
                alternatives: Array(ranked.dropFirst().prefix(options.maxAlternatives)),
                nearest: nil
            )
        }
        let near = rankByIntent(session.nearMatches())
        return MatchResult(
            text: text,
            words: words,
            best: nil,
            alternatives: Array(near.dropFirst().prefix(options.maxAlternatives)),
            nearest: near.first
        )
    }

    /// How the best of one intent's sentences explains `text` (a near miss: unmatched words, missing parts, the
    /// slots it could read), or nil when the intent is unknown or nothing of it aligns. The statistical fallback
    /// reads slots with it: the lists and built-in types of the intent's own sentences.
    public func nearest(
        _ text: String, skill: String, intent: String, context: MatchContext = MatchContext()
    ) -> IntentMatch? {
        guard let index = compiled.intents.indices.first(where: {
            compiled.intents[$0].name == intent && compiled.resolved[Int(compiled.intents[$0].skill)].templates.skill == skill
        }) else { return nil }
        let normalized = TextNormalizer.normalize(text)
        guard !normalized.words.isEmpty else { return nil }
        var session = MatchSession(compiled: compiled, text: normalized, context: context)
        return session.nearMatch(intent: Int32(index))
    }

    /// Sorts by score, then skill id, intent name and sentence order; keeps the best entry per intent.
    private func rankByIntent(_ candidates: [(IntentMatch, Int32)]) -> [IntentMatch] {
        let sorted = candidates.sorted { lhs, rhs in
            if lhs.0.score != rhs.0.score { return lhs.0.score > rhs.0.score }
            if lhs.0.skill != rhs.0.skill { return lhs.0.skill < rhs.0.skill }
            if lhs.0.intent != rhs.0.intent { return lhs.0.intent < rhs.0.intent }
            return lhs.1 < rhs.1
        }
        var seen = Set<[String]>()
        return sorted.compactMap { seen.insert([$0.0.skill, $0.0.intent]).inserted ? $0.0 : nil }
    }
}

extension IntentEngine {
    /// The request a match stands for, said plainly: its template with the first wording of each choice, optional
    /// words left out, and the slots it read in their own words — "turn off the lights in the bedroom" for a
    /// near miss of "(turn | switch) off [the] lights [in [the] {area}]" — for "Did you mean …?". `spoken` replaces the
    /// match's own slot words (a slot left out is left out of the sentence).
    public func plainSentence(for match: IntentMatch, spoken: [String: String]? = nil) -> String {
        let said = spoken ?? match.rawSlots
        guard let skill = compiled.resolved.first(where: { $0.templates.skill == match.skill }),
            let sentence = skill.sentences.first(where: { $0.template == match.template })
        else { return match.matchedText }
        var words: [String] = []
        func filled(_ expression: TemplateExpression, depth: Int) -> Bool {
            guard depth < 8 else { return false }
            switch expression {
            case .words, .empty: return false
            case .slot(let reference): return said[reference.slotName] != nil
            case .rule(let reference): return skill.rules[reference.name].map { filled($0, depth: depth + 1) } ?? false
            case .sequence(let items), .alternatives(let items): return items.contains { filled($0, depth: depth) }
            }
        }
        func walk(_ expression: TemplateExpression, depth: Int) {
            guard depth < 8 else { return }
            switch expression {
            case .words(let literal): words.append(contentsOf: literal)
            case .empty: break
            case .slot(let reference): if let value = said[reference.slotName] { words.append(value) }
            case .rule(let reference): if let rule = skill.rules[reference.name] { walk(rule, depth: depth + 1) }
            case .sequence(let items): for item in items { walk(item, depth: depth) }
            case .alternatives(let items):
                if let withSlot = items.first(where: { filled($0, depth: depth) }) {
                    walk(withSlot, depth: depth)
                } else if !items.contains(.empty), let first = items.first {
                    walk(first, depth: depth)
                }
            }
        }
        walk(sentence.expression, depth: 0)
        return words.isEmpty ? match.matchedText : words.joined(separator: " ")
    }
}
