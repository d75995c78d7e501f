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
        /// Every wildcard refers to `<wildcard>`, defined by this expansion; sentences stay whole.
        case shared(String)
        /// Each wildcard list gets `<wildcard_SKILL_LIST>`, defined by the function, and sentences around one
        /// wildcard or large list are regrouped so that each such list is copied once (see `recognitionJSGF`).
        case perList((_ skill: String, _ list: String) -> String)
    }

    let compiled: CompiledTemplates
    let wildcards: WildcardMode
    /// Whether every list a sentence uses may also be said alone (the answer to "Which room?").
    var bareAnswers = false
    /// References to the lists sentences use, in first-use order (for bare answers).
    private var listReferences: [String] = []
    private var rules: [(String, String)] = []
    private var definedRules = Set<String>()
    /// Wildcard rules referenced so far: rule name → (skill, list).
    private var wildcardRules: [String: (skill: String, list: String)] = [:]
    /// Sentences split at their one shared slot (a wildcard or a large list), by the slot's rule: what precedes
    /// and what follows it in each.
    private var spans: [String: (before: [[String]], after: [[String]])] = [:]
    private var spanOrder: [String] = []
    /// Lists with more spellings than this are shared like wildcards.
    static let sharedListSpellings = 100
    /// Readings without a wildcard of split sentences, by intent rule; and the intent being written.
    private var plainReadings: [String: [String]] = [:]
    private var currentIntentRule = ""


    init(compiled: CompiledTemplates, wildcards: WildcardMode) {
        self.compiled = compiled
        self.wildcards = wildcards
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
                currentIntentRule = ruleName
                for sentence in skill.sentences where sentence.intentIndex == intentIndex {
                    if case .perList = wildcards, splitAtWildcard(sentence.expression, skill: skill, skillIndex: skillIndex) {
                        continue
                    }
                    alternatives.append(expression(sentence.expression, skill: skill, skillIndex: skillIndex))
                }
                alternatives += plainReadings[ruleName] ?? []
                let body = alternatives.map { "(\($0))" }.joined(separator: " | ")
                rules.append((ruleName, body.isEmpty ? "<VOID>" : body))
                intentRefs.append("<\(ruleName)>")
            }
        }
        var skipPhrases = Set<String>()
        for phrases in compiled.skipPhrases {
            for phrase in phrases { skipPhrases.insert(phrase.map { compiled.words[Int($0)] }.joined(separator: " ")) }
        }
        for phrase in compiled.allSkipPhrases {
            skipPhrases.insert(phrase.map { compiled.words[Int($0)] }.joined(separator: " "))
        }
        let skip = skipPhrases.isEmpty ? "" : choice(skipPhrases.sorted())
        var lines = ["#JSGF V1.0;", "", "grammar \(Self.ruleName(name));", ""]
        if bareAnswers {
            var answers: [String] = []
            for reference in listReferences where reference != "<VOID>" {
                let rule = reference.trimmingCharacters(in: ["<", ">"])
                if spans[rule] != nil {
                    addSpan(rule: rule, before: [], after: [])
                } else if !answers.contains(reference) {
                    answers.append(reference)
                }
            }
            if !answers.isEmpty {
                rules.append(("answer", "(" + answers.joined(separator: " | ") + ")"))
                intentRefs.append("<answer>")
            }
        }
        for (index, rule) in spanOrder.enumerated() {
            let ruleName = "span_\(index + 1)"
            let (before, after) = spans[rule] ?? ([], [])
            let around = [Self.factored(before, commonAtEnd: true), "<\(rule)>", Self.factored(after, commonAtEnd: false)]
            rules.append((ruleName, around.filter { !$0.isEmpty }.joined(separator: " ")))
            intentRefs.append("<\(ruleName)>")
        }
        let command = intentRefs.isEmpty ? "<VOID>" : "(" + intentRefs.joined(separator: " | ") + ")"
        if skip.isEmpty {
            lines.append("public <command> = \(command);")
        } else {
            lines.append("<skip> = \(skip);")
            lines.append("public <command> = [<skip>] \(command) [<skip>];")
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

    // MARK: Wildcard spans

    /// Files the sentence under its shared slot (a wildcard or a large list) when every reading of it has at most
    /// one, in its top-level sequence; readings without one become plain alternatives of the intent. Returns false
    /// (the sentence is written whole) otherwise. Readings come from expanding the choices that hold a shared slot
    /// (`[<place>]` gives one reading with the place and one without), at most 16 per sentence.
    private mutating func splitAtWildcard(_ sentence: TemplateExpression, skill: ResolvedSkill, skillIndex: Int)
        -> Bool
    {
        guard let readings = readingsAroundWildcards(topLevelItems(sentence, skill: skill), skill: skill, limit: 16)
        else { return false }
        var split: [(rule: String, before: [String], after: [String])] = []
        var plain: [String] = []
        for items in readings {
            let positions = items.indices.filter { isWildcardSlot(items[$0], skill: skill) }
            guard positions.count <= 1 else { return false }
            guard let position = positions.first else {
                plain.append(render(items[...], skill: skill, skillIndex: skillIndex))
                continue
            }
            let rule = render(items[position...position], skill: skill, skillIndex: skillIndex)
            split.append((
                rule.trimmingCharacters(in: ["<", ">"]), renderItems(items[..<position], skill: skill, skillIndex: skillIndex),
                renderItems(items[(position + 1)...], skill: skill, skillIndex: skillIndex)
            ))
        }
        for part in split { addSpan(rule: part.rule, before: part.before, after: part.after) }
        plainReadings[currentIntentRule, default: []] += plain.filter { !$0.isEmpty }
        return true
    }

    private mutating func addSpan(rule: String, before: [String], after: [String]) {
        if spans[rule] == nil {
            spans[rule] = ([], [])
            spanOrder.append(rule)
        }
        if !spans[rule]!.before.contains(before) { spans[rule]!.before.append(before) }
        if !spans[rule]!.after.contains(after) { spans[rule]!.after.append(after) }
    }

    /// The choice between item sequences, with the items they all end with (`commonAtEnd`) or all start with
    /// written once: `[(a | b) <amount>]` for "a <amount>", "b <amount>" and nothing.
    private static func factored(_ options: [[String]], commonAtEnd: Bool) -> String {
        let nonEmpty = options.filter { !$0.isEmpty }
        guard let first = nonEmpty.first else { return "" }
        var common = 0
        while common < first.count, nonEmpty.allSatisfy({ option in
            option.count > common
                && option[commonAtEnd ? option.count - 1 - common : common] == first[commonAtEnd ? first.count - 1 - common : common]
        }) {
            common += 1
        }
        let rests = nonEmpty.map { (commonAtEnd ? $0.dropLast(common) : $0.dropFirst(common)).joined(separator: " ") }
        let shared = (commonAtEnd ? first.suffix(common) : first.prefix(common)).joined(separator: " ")
        var uniqueRests: [String] = []
        for rest in rests where !uniqueRests.contains(rest) { uniqueRests.append(rest) }
        let parts = commonAtEnd ? [optionalChoice(uniqueRests), shared] : [shared, optionalChoice(uniqueRests)]
        let body = parts.filter { !$0.isEmpty }.joined(separator: " ")
        return nonEmpty.count < options.count ? "[\(body)]" : body
    }

    /// `(a | b)`, or `[a | b]` when one of them is empty; "" when all are.
    private static func optionalChoice(_ options: [String]) -> String {
        let words = options.filter { !$0.isEmpty }
        guard !words.isEmpty else { return "" }
        let joined = words.joined(separator: " | ")
        return words.count < options.count ? "[\(joined)]" : "(\(joined))"
    }

    private mutating func render(_ items: ArraySlice<TemplateExpression>, skill: ResolvedSkill, skillIndex: Int)
        -> String
    {
        renderItems(items, skill: skill, skillIndex: skillIndex).joined(separator: " ")
    }

    private mutating func renderItems(_ items: ArraySlice<TemplateExpression>, skill: ResolvedSkill, skillIndex: Int)
        -> [String]
    {
        var rendered: [String] = []
        for item in items {
            let text = expression(item, skill: skill, skillIndex: skillIndex)
            if text != "<NULL>" { rendered.append(text) }
        }
        return rendered
    }

    /// The flat readings of `items` with every choice that holds a wildcard expanded; nil past `limit`.
    private func readingsAroundWildcards(_ items: [TemplateExpression], skill: ResolvedSkill, limit: Int)
        -> [[TemplateExpression]]?
    {
        guard let index = items.firstIndex(where: {
            if case .alternatives = $0 { return containsWildcard($0, skill: skill) }
            return false
        }), case .alternatives(let branches) = items[index] else { return [items] }
        var readings: [[TemplateExpression]] = []
        for branch in branches {
            let expanded = Array(items[..<index]) + topLevelItems(branch, skill: skill) + Array(items[(index + 1)...])
            guard let more = readingsAroundWildcards(expanded, skill: skill, limit: limit - readings.count) else {
                return nil
            }
            readings += more
            if readings.count > limit { return nil }
        }
        return readings
    }

    /// The sentence as a flat sequence: nested sequences flattened, rules that hold a wildcard inlined.
    private func topLevelItems(_ expression: TemplateExpression, skill: ResolvedSkill) -> [TemplateExpression] {
        switch expression {
        case .sequence(let items): return items.flatMap { topLevelItems($0, skill: skill) }
        case .rule(let reference) where containsWildcard(expression, skill: skill):
            return skill.rules[reference.name].map { topLevelItems($0, skill: skill) } ?? [expression]
        default: return [expression]
        }
    }

    /// A wildcard, or a list with more than ``sharedListSpellings`` spellings: slots worth copying once only.
    private func isWildcardSlot(_ expression: TemplateExpression, skill: ResolvedSkill) -> Bool {
        guard case .slot(let reference) = expression, let list = skill.list(named: reference.listName) else {
            return false
        }
        switch list.kind {
        case .wildcard: return true
        case .values: return (skill.valueSpellings[reference.listName]?.count ?? 0) > Self.sharedListSpellings
        default: return false
        }
    }

    private func containsWildcard(_ expression: TemplateExpression, skill: ResolvedSkill, depth: Int = 0) -> Bool {
        switch expression {
        case .words, .empty: return false
        case .slot: return isWildcardSlot(expression, skill: skill)
        case .sequence(let items), .alternatives(let items):
            return items.contains { containsWildcard($0, skill: skill, depth: depth) }
        case .rule(let reference):
            guard depth < 16, let body = skill.rules[reference.name] else { return false }
            return containsWildcard(body, skill: skill, depth: depth + 1)
        }
    }

    // MARK: Expressions

    private mutating func expression(_ expression: TemplateExpression, skill: ResolvedSkill, skillIndex: Int) -> String
    {
        switch expression {
        case .empty: return "<NULL>"
        case .sequence(let items) where items.isEmpty: return "<NULL>"
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
            return rule
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
            let spellings = (skill.valueSpellings[listName] ?? []).flatMap { $0 }.map { $0.joined(separator: " ") }
            let single = spellings.isEmpty ? "<VOID>" : choice(spellings)
            return addRule(name, list.multiple && !spellings.isEmpty ? "\(single) ([and] \(single))*" : single)
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
                // The same numbers as SpokenForms.numbers, written compactly (a JSGF compiler copies this rule at
                // every reference): 0–19, tens with an optional unit, hundreds, a thousand.
                let digits = choice(Array(NumberWords.units[1...9]))
                let small = choice(Array(NumberWords.units[0...19]))
                let tens = choice(Array(NumberWords.tens[2...9]))
                body =
                    "[minus] (\(small) | (\(tens) [\(digits)]) | ((\(digits) | a) hundred) | ((one | a) thousand))"
                    + " [(point " + choice(Array(NumberWords.units[0...9])) + ") | (and a half)]"
            case .percentage: body = builtinRule(.number) + " [percent]"
            case .temperature: body = builtinRule(.number) + " [degrees] [celsius | fahrenheit]"
            case .duration:
                let units = choice(SpokenForms.durationUnits)
                let amount = "(" + builtinRule(.number) + " | a | an)"
                body = "(\(amount) \(units) [and a half] [[and] \(amount) \(units)]) | (half (a | an) \(units))"
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
                    + "(in " + choice(Array(NumberWords.units[1...19])) + " (days | weeks)) | (the \(ordinals) [of \(months)]) | "
                    + "(\(months) [the] \(ordinals)))"
            }
        }
        return addRule(name, body)
    }
}

extension IntentEngine {
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

    /// A JSGF grammar for a speech recognizer, where each wildcard list has its own expansion.
    ///
    /// Each wildcard list is `<wildcard_SKILL_LIST>`, defined by `wildcardExpansion(skill, list)` (e.g. a
    /// vocabulary of products, or `<VOID>`). A JSGF compiler copies a rule at every reference, so a vocabulary of
    /// thousands of phrases referenced by dozens of sentences makes a huge automaton. Sentences with one wildcard in
    /// their top-level sequence are therefore regrouped: `<wildcard_span_N> = (what precedes it | …) <wildcard_…>
    /// what follows;`, one group per (wildcard, what follows). The grammar then also accepts one sentence's start
    /// with another's end around the same wildcard ("add milk from my list"); the matcher judges those.
    ///
    /// With `bareAnswers`, every list a sentence uses may also be said alone: what a person answers when a skill
    /// asks for a missing slot ("Which room?" — "the kitchen" is read by the dialog, but only heard if the grammar
    /// has it).
    public func recognitionJSGF(
        grammarName: String, bareAnswers: Bool = true, wildcardExpansion: (_ skill: String, _ list: String) -> String
    ) -> String {
        withoutActuallyEscaping(wildcardExpansion) { expansion in
            var writer = JSGFWriter(compiled: compiled, wildcards: .perList(expansion))
            writer.bareAnswers = bareAnswers
            return writer.grammar(name: grammarName)
        }
    }

    /// Every word the grammar can produce (the words a pronunciation dictionary must cover).
    public func vocabulary() -> Set<String> {
        JSGFWriter.words(inGrammar: jsgf(grammarName: "vocabulary"))
    }
}
