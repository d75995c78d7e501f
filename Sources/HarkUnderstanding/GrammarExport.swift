/// Spoken word forms of the built-in types, within sane bounds, for grammars.
enum SpokenForms {
    /// 0–100, the hundreds up to nine hundred, "a hundred" and "one thousand".
    static let numbers: [String] = {
        var forms = (0...100).map { NumberWords.spellInteger(Int64($0)) }
        forms += (2...9).map { NumberWords.spellInteger(Int64($0 * 100)) }
        forms += ["a hundred", "one thousand", "a thousand"]
        return forms
    }()

    static let hours: [String] = (1...23).map { NumberWords.spellInteger(Int64($0)) }
    static let minutes: [String] =
        (1...9).map { "oh " + NumberWords.units[$0] }
        + (10...59).map { NumberWords.spellInteger(Int64($0)) }
    static let durationUnits = [
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
        "weeks",
    ]
    static let ordinals: [String] = (1...31).map { NumberWords.spellOrdinal($0) }
}

/// Writes a JSGF grammar for the compiled sentences and collects its words.
struct JSGFWriter {
    /// How wildcard slots are written.
    enum WildcardMode {
        /// Every wildcard refers to `<wildcard>`, defined by this expansion.
        case shared(String)
        /// Each wildcard list refers to `<wildcard_SKILL_LIST>`, defined by the function.
        case perList((_ skill: String, _ list: String) -> String)
    }

    let compiled: CompiledTemplates
    let wildcards: WildcardMode
    /// Settings of a grammar for a speech recognizer (nil: the full grammar).
    let recognition: RecognitionGrammarOptions?
    /// Per skill (by index), the skip words written before each of its slot references (recognition grammars only).
    private let articlesBeforeSlots: [[String]]
    private var rules: [(String, String)] = []
    private var definedRules = Set<String>()
    /// Wildcard rules referenced so far: rule name → (skill, list).
    private var wildcardRules: [String: (skill: String, list: String)] = [:]
    /// References to the lists sentences use, in first-use order (for bare answers).
    private var listReferences: [String] = []

    init(compiled: CompiledTemplates, wildcards: WildcardMode, recognition: RecognitionGrammarOptions? = nil) {
        self.compiled = compiled
        self.wildcards = wildcards
        self.recognition = recognition
        // The options' articles that the skill's own `skip_words` name, before that skill's slots only. The engine's
        // defaults let every skill understand them, but they are not put into the grammar: before every slot of a skill
        // whose people do not say them, they only widen the search (RealVoiceBench, barista alone: 80.5 % accepted
        // without, 78.5 % with; see ``RecognitionGrammarOptions/articlesBeforeSlots``).
        articlesBeforeSlots = compiled.resolved.map { skill in
            let declared = Set(skill.templates.skipWords.map { TextNormalizer.words($0) }.filter { $0.count == 1 }.map { $0[0] })
            return (recognition?.articlesBeforeSlots ?? []).intersection(declared).sorted()
        }
    }

    /// The words (terminals) of a grammar written by this writer: everything but rule references and syntax.
    static func words(inGrammar grammar: String) -> Set<String> {
        var words = Set<String>()
        for line in grammar.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("grammar ") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let body = line[line.index(after: equals)...]
            var token = ""
            var inReference = false
            for character in body {
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

    static func ruleName(_ parts: String...) -> String {
        parts.joined(separator: "_").unicodeScalars.map {
            ($0.properties.isAlphabetic || ($0.value >= 48 && $0.value <= 57)) && $0.isASCII ? String($0) : "_"
        }.joined()
    }

    private func phrase(_ text: String) -> String {
        text.split(separator: " ").joined(separator: " ")
    }

    private mutating func choice(_ options: [String]) -> String {
        var seen = Set<String>()
        let unique = options.filter { !$0.isEmpty && seen.insert($0).inserted }.map { phrase($0) }
        return unique.count == 1 ? unique[0] : "(" + unique.joined(separator: " | ") + ")"
    }

    /// True the first time a rule name is seen: the caller then writes its body with `addRule`.
    private mutating func isNewRule(_ name: String) -> Bool { definedRules.insert(name).inserted }

    private mutating func addRule(_ name: String, _ body: String) -> String {
        rules.append((name, body))
        return "<\(name)>"
    }

    mutating func grammar(name: String) -> String {
        var intentRefs: [String] = []
        for (skillIndex, skill) in compiled.resolved.enumerated() {
            for (intentIndex, intent) in skill.templates.intents.enumerated() {
                let ruleName = Self.ruleName("intent", skill.templates.skill, intent.name)
                var alternatives: [String] = []
                if let only = recognition?.onlyIntents,
                    !only.contains("\(skill.templates.skill)/\(intent.name)"), !only.contains("\(skill.templates.skill)/*")
                {
                    continue
                }
                if recognition?.exceptIntents.contains("\(skill.templates.skill)/\(intent.name)") == true { continue }
                var sentences = skill.sentences.filter { $0.intentIndex == intentIndex }
                if let limit = recognition?.maxSentencesPerBlock {
                    sentences = sentences.filter { $0.sentenceIndex < limit }
                }
                if let limit = recognition?.maxSentencesPerIntent { sentences = Array(sentences.prefix(limit)) }
                for sentence in sentences {
                    alternatives.append(expression(sentence.expression, skill: skill, skillIndex: skillIndex))
                }
                let body = alternatives.map { "(\($0))" }.joined(separator: " | ")
                rules.append((ruleName, body.isEmpty ? "<VOID>" : body))
                intentRefs.append("<\(ruleName)>")
            }
        }
        if recognition?.bareAnswers == true {
            let answers = listReferences.filter { $0 != "<VOID>" }
            if !answers.isEmpty {
                rules.append(("answer", "(" + answers.joined(separator: " | ") + ")"))
                intentRefs.append("<answer>")
            }
        }
        var skipPhrases = Set<String>()
        for phrases in compiled.skipPhrases {
            for phrase in phrases { skipPhrases.insert(phrase.map { compiled.words[Int($0)] }.joined(separator: " ")) }
        }
        for phrase in compiled.allSkipPhrases {
            skipPhrases.insert(phrase.map { compiled.words[Int($0)] }.joined(separator: " "))
        }
        if let recognition { skipPhrases = skipPhrases.filter { recognition.skipPhrases.contains($0) } }
        let skip = skipPhrases.isEmpty ? "" : choice(skipPhrases.sorted())
        var lines = ["#JSGF V1.0;", "", "grammar \(Self.ruleName(name));", ""]
        let command = intentRefs.isEmpty ? "<VOID>" : "(" + intentRefs.joined(separator: " | ") + ")"
        if skip.isEmpty {
            lines.append("public <command> = \(command);")
        } else {
            lines.append("<skip> = \(skip);")
            let trailing = recognition?.skipPhrasesAfter ?? true
            lines.append("public <command> = [<skip>] \(command)\(trailing ? " [<skip>]" : "");")
        }
        switch wildcards {
        case .shared(let expansion):
            if rules.contains(where: { $0.1.contains("<wildcard>") }) { lines.append("<wildcard> = \(expansion);") }
        case .perList(let expansion):
            for (name, list) in wildcardRules.sorted(by: { $0.key < $1.key }) {
                lines.append("<\(name)> = \(expansion(list.skill, list.list));")
            }
        }
        for (ruleName, body) in rules { lines.append("<\(ruleName)> = \(body);") }
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func expression(_ expression: TemplateExpression, skill: ResolvedSkill, skillIndex: Int) -> String
    {
        switch expression {
        case .empty: return "<NULL>"
        case .words(let words): return phrase(words.joined(separator: " "))
        case .sequence(let items):
            return items.map { self.expression($0, skill: skill, skillIndex: skillIndex) }.joined(separator: " ")
        case .alternatives(let items):
            let nonEmpty = items.filter { $0 != .empty }
            let inner = nonEmpty.map { self.expression($0, skill: skill, skillIndex: skillIndex) }
            let joined = inner.count == 1 ? inner[0] : inner.joined(separator: " | ")
            return nonEmpty.count < items.count ? "[\(joined)]" : "(\(joined))"
        case .rule(let reference):
            let name = Self.ruleName("rule", skill.templates.skill, reference.name)
            guard isNewRule(name) else { return "<\(name)>" }
            return addRule(name, self.expression(skill.rules[reference.name]!, skill: skill, skillIndex: skillIndex))
        case .slot(let reference):
            let rule = listRule(reference.listName, skill: skill)
            if !listReferences.contains(rule) { listReferences.append(rule) }
            // The matcher skips "the", "my"… anywhere; the recognizer hears them where they are said most.
            let articles = articlesBeforeSlots[skillIndex]
            return articles.isEmpty ? rule : "[\(articles.joined(separator: " | "))] \(rule)"
        }
    }

    private mutating func listRule(_ listName: String, skill: ResolvedSkill) -> String {
        guard let list = skill.list(named: listName) else { return "<VOID>" }
        switch list.kind {
        case .wildcard:
            guard case .perList = wildcards else { return "<wildcard>" }
            let name = Self.ruleName("wildcard", skill.templates.skill, listName)
            wildcardRules[name] = (skill.templates.skill, listName)
            return "<\(name)>"
        case .builtin(let type):
            return builtinRule(type)
        case .values:
            let name = Self.ruleName("list", skill.templates.skill, listName)
            guard isNewRule(name) else { return "<\(name)>" }
            var values = skill.valueSpellings[listName] ?? []
            if let limit = recognition?.valueLimits(skill)[listName], values.count > limit {
                values = Array(values.prefix(limit))
            }
            let spellings = values.flatMap { $0 }.map { $0.joined(separator: " ") }
            let single = spellings.isEmpty ? "<VOID>" : choice(spellings)
            // Several values end with "and" ("chicken, rice and garlic": the commas are pauses): values run together
            // without it ("leek rice") let a recognizer hear an extra value in any sound before the last.
            return addRule(name, list.multiple && !spellings.isEmpty ? "\(single) [\(single)* and \(single)]" : single)
        case .range(let range):
            let name = Self.ruleName("range", skill.templates.skill, listName)
            guard isNewRule(name) else { return "<\(name)>" }
            let count = range.step > 0 ? Int(((range.to - range.from) / range.step).rounded(.down)) + 1 : Int.max
            let numbers: String
            if count <= 2000 {
                numbers = choice((0..<count).map { NumberWords.spell(range.from + Double($0) * range.step) })
            } else {
                numbers = builtinRule(.number)
            }
            switch range.type {
            case .percentage: return addRule(name, "\(numbers) [percent]")
            case .temperature: return addRule(name, "\(numbers) [degrees] [celsius | fahrenheit]")
            default: return addRule(name, numbers)
            }
        }
    }

    private mutating func builtinRule(_ type: BuiltinSlotType) -> String {
        let name = "builtin_\(type.rawValue)"
        guard isNewRule(name) else { return "<\(name)>" }
        let body: String
        do {
            switch type {
            case .number:
                body =
                    "[minus] " + choice(SpokenForms.numbers) + " [(point " + choice(Array(NumberWords.units[0...9]))
                    + ") | (and a half)]"
            case .percentage: body = builtinRule(.number) + " [percent]"
            case .temperature: body = builtinRule(.number) + " [degrees] [celsius | fahrenheit]"
            case .duration:
                let amount = "(" + builtinRule(.number) + " | a | an)"
                // A second part only in a smaller unit, as the matcher reads durations ("two hours and five minutes";
                // "a minute and a half thirty hours" is no duration): the units go singular, plural, smallest first.
                let byUnit = stride(from: 0, to: SpokenForms.durationUnits.count, by: 2).map {
                    Array(SpokenForms.durationUnits[$0..<min($0 + 2, SpokenForms.durationUnits.count)])
                }
                var parts: [String] = []
                for (index, forms) in byUnit.enumerated() {
                    var part = "\(amount) \(choice(forms)) [and a half]"
                    if index > 0 { part += " [[and] \(amount) \(choice(byUnit[..<index].flatMap(\.self)))]" }
                    parts.append("(" + part + ")")
                }
                body = parts.joined(separator: " | ") + " | (half (a | an) \(choice(SpokenForms.durationUnits)))"
            case .time:
                let hour = choice(SpokenForms.hours)
                let minute = choice(SpokenForms.minutes)
                let meridiem = "[am | pm | (in the (morning | afternoon | evening)) | (at night)]"
                body =
                    "(\(hour) [o'clock | \(minute)] \(meridiem)) | noon | midday | midnight | "
                    + "((half | [a] quarter | \(minute) [minutes]) (past | to) \(hour) \(meridiem))"
            case .date:
                let weekdays = choice(DateReader.weekdays)
                let months = choice(DateReader.months)
                let ordinals = choice(SpokenForms.ordinals)
                body =
                    "[on] (today | tonight | tomorrow | yesterday | ([the] day after tomorrow) | "
                    + "([this | next | coming] \(weekdays)) | ([this | next | the] weekend) | ((this | next) week) | "
                    + "(in " + builtinRule(.number) + " (days | weeks)) | (the \(ordinals) [of \(months)]) | "
                    + "(\(months) [the] \(ordinals)))"
            }
        }
        return addRule(name, body)
    }
}

/// What a grammar for speech recognition keeps of the sentences (``IntentEngine/recognitionJSGF``).
public struct RecognitionGrammarOptions: Sendable {
    /// A skill's value lists share a budget of this many values per list (nil: every value). Lists with fewer
    /// values than their share keep them all and leave the rest to the longer ones, which keep their first values
    /// up to one common length (``valueLimits(_:)``). PocketSphinx's grammar search slowed from 0.03 to several times
    /// real time as the skills' grammar grew, and its accuracy fell below a third, when every list was whole; 15 per
    /// list was chosen then (VoiceBench). A budget per skill, rather than a cut of every list at 15, keeps a small
    /// skill whole — the barista skill's 36 milk amounts and 18 sugar amounts next to lists of 3 to 10 (77 values,
    /// budget 90): cut at 15, "cream", "soy milk" and "almond milk" (a third of its milk orders) could not be heard
    /// (RealVoiceBench, barista alone, clean: 80.5 → 96.5 % accepted; next to every built-in skill 69.0 → 82.5 %),
    /// while a skill's grammar stays within the same bound as before. Wildcard vocabularies keep their first values up
    /// to this number.
    public var maxListValues: Int? = 15
    /// Each intent keeps its first templates only (a skill lists its most common phrasings first); nil: all.
    /// A cap per intent kept only the first data block of an intent with several (smart home `TurnOn` by name,
    /// not "turn on the kitchen lights"): ``maxSentencesPerBlock`` caps each block instead.
    public var maxSentencesPerIntent: Int? = nil
    /// Each data block of an intent (a group of sentences with the same fixed slots) keeps its first templates
    /// only; applied before ``maxSentencesPerIntent``. nil (the default): all. A sentence left out can only be heard
    /// wrong: with 3 per block the grammar held 8 of VoiceBench's 16 test sentences, with all 11, and intent+slots
    /// right went from 30.5 % to 39.1 % clean and 17.2 % to 21.9 % at 10 dB SNR (128 recordings, 4 voices; held-out
    /// sentences 27 % → 37 % clean), for a larger search (RTF 0.17 → 0.23, resident memory after loading 237 → 374 MB,
    /// loading 10 s in release).
    public var maxSentencesPerBlock: Int? = nil
    /// Only these intents ("skill/intent", or "skill/*" for all of a skill's) are written; nil: every intent.
    public var onlyIntents: Set<String>? = nil
    /// These intents ("skill/intent") are left out, after ``onlyIntents``.
    public var exceptIntents: Set<String> = []
    /// Every list a sentence uses may also be said alone: the answer to "Which room?".
    public var bareAnswers = true
    /// Skip words heard before a slot ("turn on the kitchen light" for "turn on {name}"), before the slots of a skill
    /// whose own `skip_words` name them. RealVoiceBench, the barista skill (which names none) next to every built-in
    /// skill, clean: 82.5 % accepted with them before every skill's slots, 83.5 % with them before the smart home's
    /// only (the skill that names them), and 232 MB peak memory instead of 260.
    public var articlesBeforeSlots: Set<String> = ["the", "my", "our"]
    /// Whether the skip phrases may also follow a sentence ("… for me", "… could you"), not only precede it. Off:
    /// trailing skip phrases soaked up noise and the ends of other sentences ("lights on" heard as "light will
    /// you"); in VoiceBench (32 recordings) intent right at 10 dB SNR went from 34 % to 44 % without them.
    public var skipPhrasesAfter = false
    /// The skip phrases kept (at the start and end of a sentence). Short function words ("the", "my", "so") are
    /// left out: optional at the start, they competed with the wake phrase and won.
    public var skipPhrases: Set<String> = [
        "please", "can you", "could you", "would you", "will you", "kindly", "for me",
    ]

    public init() {}
}

extension RecognitionGrammarOptions {
    /// How many values each of `skill`'s value lists keeps in a recognition grammar, by list name; a list not named
    /// keeps every value. The lists share ``maxListValues`` × their number: the budget is filled from the shortest list
    /// up, and the lists that do not fit keep their first values up to the longest length the budget allows.
    func valueLimits(_ skill: ResolvedSkill) -> [String: Int] {
        guard let share = maxListValues else { return [:] }
        let sizes = skill.valueSpellings.mapValues(\.count).sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        var budget = share * sizes.count
        var limits: [String: Int] = [:]
        for (index, (_, size)) in sizes.enumerated() {
            let level = budget / (sizes.count - index)
            if size > level {
                // This list and every longer one are cut to the same length.
                for (longer, _) in sizes[index...] { limits[longer] = level }
                break
            }
            budget -= size
        }
        return limits
    }
}

extension IntentEngine {
    /// How many values `list` of `skill` keeps in a recognition grammar built with `options` (nil: all of them).
    public func recognitionValueLimit(skill: String, list: String, options: RecognitionGrammarOptions) -> Int? {
        guard let index = compiled.skills.firstIndex(of: skill) else { return nil }
        return options.valueLimits(compiled.resolved[index])[list]
    }

    /// A JSGF grammar of every sentence: `public <command>` is `[<skip>] (<intent_…> | …) [<skip>]`.
    ///
    /// Words are the normalised forms the matcher uses (digits spelled out, contractions expanded). Lists expand
    /// to their spoken forms, ranges to every value spelled out (up to 2,000 values), built-in types to spoken forms
    /// within bounds (numbers 0–100 plus hundreds). Wildcards refer to `<wildcard>`, defined as
    /// `wildcardExpansion` (by default `<VOID>`, so wildcard sentences need the caller's expansion to be spoken).
    public func jsgf(grammarName: String, wildcardExpansion: String = "<VOID>") -> String {
        var writer = JSGFWriter(compiled: compiled, wildcards: .shared(wildcardExpansion))
        return writer.grammar(name: grammarName)
    }

    /// A JSGF grammar for a speech recognizer: each wildcard list is `<wildcard_SKILL_LIST>`, defined by
    /// `wildcardExpansion(skill, list)` (a vocabulary, or `<VOID>`), and `options` keep it small enough for
    /// PocketSphinx (which copies a rule at every reference and slows down sharply with the automaton's size).
    public func recognitionJSGF(
        grammarName: String, options: RecognitionGrammarOptions = RecognitionGrammarOptions(),
        wildcardExpansion: (_ skill: String, _ list: String) -> String
    ) -> String {
        withoutActuallyEscaping(wildcardExpansion) { expansion in
            var writer = JSGFWriter(compiled: compiled, wildcards: .perList(expansion), recognition: options)
            return writer.grammar(name: grammarName)
        }
    }

    /// Every word the grammar can produce (the words a pronunciation dictionary must cover).
    public func vocabulary() -> Set<String> {
        JSGFWriter.words(inGrammar: jsgf(grammarName: "vocabulary"))
    }
}

/// The list a skill's slot takes its values from, as a second recognition pass needs it.
public struct SlotListSpelling: Sendable, Equatable {
    /// The list's name (`{list:slot}` in a template; usually the slot's own name).
    public let list: String
    /// Each value's spoken forms, in the list's order (nil for a wildcard, a range or a built-in type).
    public let spokenValues: [[String]]?
    /// Whether the list is a wildcard (its spoken forms come from a vocabulary).
    public let isWildcard: Bool
    /// Whether several values may be said in one slot ("chicken and rice").
    public let multiple: Bool
}

extension IntentEngine {
    /// The skills' ids, in the order they were compiled.
    public var skillIDs: [String] { compiled.skills }

    /// The list behind each slot of `skill`'s sentences and rules, by slot name.
    public func slotLists(skill: String) -> [String: SlotListSpelling] {
        guard let index = compiled.skills.firstIndex(of: skill) else { return [:] }
        let resolved = compiled.resolved[index]
        var listNames: [String: String] = [:]
        let note: (SlotReference) -> Void = { reference in
            if listNames[reference.slotName] == nil { listNames[reference.slotName] = reference.listName }
        }
        for sentence in resolved.sentences { sentence.expression.forEachSlot(note) }
        for name in resolved.rules.keys.sorted() { resolved.rules[name]!.forEachSlot(note) }
        return listNames.compactMapValues { Self.spelling(list: $0, in: resolved) }
    }

    private static func spelling(list listName: String, in resolved: ResolvedSkill) -> SlotListSpelling? {
        guard let list = resolved.list(named: listName) else { return nil }
        var spoken: [[String]]?
        if case .values = list.kind {
            spoken = (resolved.valueSpellings[listName] ?? []).map { $0.map { $0.joined(separator: " ") } }
        }
        if case .wildcard = list.kind {
            return SlotListSpelling(list: listName, spokenValues: nil, isWildcard: true, multiple: list.multiple)
        }
        return SlotListSpelling(list: listName, spokenValues: spoken, isWildcard: false, multiple: list.multiple)
    }
}
