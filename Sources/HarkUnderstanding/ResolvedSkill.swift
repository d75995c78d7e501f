/// A skill's templates parsed and checked: every sentence, rule and list value parsed, every reference resolved.
struct ResolvedSkill: Sendable {
    struct Sentence: Sendable {
        let intentIndex: Int
        let dataIndex: Int
        let sentenceIndex: Int
        let template: TemplateText
        let expression: TemplateExpression
    }

    let templates: SkillTemplates
    /// Parsed rule bodies by name.
    let rules: [String: TemplateExpression]
    /// For value lists: each value's spellings (normalised word sequences).
    let valueSpellings: [String: [[[String]]]]
    /// Every sentence in file order.
    let sentences: [Sentence]

    /// Lists that exist without being declared: one per built-in type, named after it (`{number}`, `{date}`…).
    static func implicitList(_ name: String, file: String) -> SlotList? {
        BuiltinSlotType(rawValue: name).map {
            SlotList(kind: .builtin($0), location: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// The list a slot refers to: the skill's own, else a built-in one.
    func list(named name: String) -> SlotList? {
        templates.lists[name] ?? Self.implicitList(name, file: templates.file)
    }

    private static let maxSpellingsPerValue = 512

    init(_ templates: SkillTemplates) throws {
        self.templates = templates

        // Rules: parse, check references, reject recursion.
        var rules: [String: TemplateExpression] = [:]
        for name in templates.expansionRules.keys.sorted() {
            let text = templates.expansionRules[name]!
            rules[name] = try TemplateExpression.parse(text.text, at: text.location)
        }
        for name in rules.keys.sorted() {
            try Self.checkRecursion(start: name, rules: rules, templates: templates)
        }
        self.rules = rules

        // List values: plain templates without slots or rules, spelled out.
        var spellings: [String: [[[String]]]] = [:]
        for name in templates.lists.keys.sorted() {
            guard case .values(let values) = templates.lists[name]!.kind else { continue }
            var perValue: [[[String]]] = []
            for value in values {
                let expression = try TemplateExpression.parse(value.spoken.text, at: value.spoken.location)
                try expression.forEachSlot { reference in
                    throw TemplateError.resolution(
                        "a list value cannot contain a slot",
                        template: value.spoken.text,
                        at: value.spoken.location.advanced(by: reference.offset)
                    )
                }
                try expression.forEachRule { reference in
                    throw TemplateError.resolution(
                        "a list value cannot contain a rule",
                        template: value.spoken.text,
                        at: value.spoken.location.advanced(by: reference.offset)
                    )
                }
                let words = expression.spellings(limit: Self.maxSpellingsPerValue).filter { !$0.isEmpty }
                guard !words.isEmpty else {
                    throw TemplateError.resolution(
                        "a list value has no words",
                        template: value.spoken.text,
                        at: value.spoken.location
                    )
                }
                perValue.append(words)
            }
            spellings[name] = perValue
        }
        self.valueSpellings = spellings

        // Rule bodies and sentences: known lists, known rules, no slot bound twice.
        var slotSets: [String: Set<String>] = [:]
        for name in rules.keys.sorted() {
            _ = try Self.boundSlots(
                rules[name]!,
                text: templates.expansionRules[name]!,
                rules: rules,
                ruleSlots: &slotSets,
                templates: templates
            )
        }
        var sentences: [Sentence] = []
        for (intentIndex, intent) in templates.intents.enumerated() {
            for (dataIndex, block) in intent.data.enumerated() {
                for (sentenceIndex, text) in block.sentences.enumerated() {
                    let expression = try TemplateExpression.parse(text.text, at: text.location)
                    _ = try Self.boundSlots(
                        expression,
                        text: text,
                        rules: rules,
                        ruleSlots: &slotSets,
                        templates: templates
                    )
                    sentences.append(
                        Sentence(
                            intentIndex: intentIndex,
                            dataIndex: dataIndex,
                            sentenceIndex: sentenceIndex,
                            template: text,
                            expression: expression
                        )
                    )
                }
            }
        }
        self.sentences = sentences
    }

    /// Depth-first search for a cycle through `start`; the error points at the reference that closes it.
    private static func checkRecursion(
        start: String,
        rules: [String: TemplateExpression],
        templates: SkillTemplates
    )
        throws
    {
        var path: [String] = []
        var finished = Set<String>()
        func visit(_ name: String) throws {
            path.append(name)
            let text = templates.expansionRules[name]!
            try rules[name]!.forEachRule { reference in
                guard rules[reference.name] != nil else {
                    throw TemplateError.resolution(
                        "unknown rule <\(reference.name)>",
                        template: text.text,
                        at: text.location.advanced(by: reference.offset)
                    )
                }
                if let index = path.firstIndex(of: reference.name) {
                    let cycle = (path[index...] + [reference.name]).map { "<\($0)>" }.joined(separator: " → ")
                    throw TemplateError.resolution(
                        "recursive rule <\(reference.name)> (\(cycle))",
                        template: text.text,
                        at: text.location.advanced(by: reference.offset)
                    )
                }
                if !finished.contains(reference.name) { try visit(reference.name) }
            }
            path.removeLast()
            finished.insert(name)
        }
        try visit(start)
    }

    /// The slots an expression can bind; throws when one path binds a slot twice, or a list or rule is unknown.
    private static func boundSlots(
        _ expression: TemplateExpression,
        text: TemplateText,
        rules: [String: TemplateExpression],
        ruleSlots: inout [String: Set<String>],
        templates: SkillTemplates
    ) throws -> Set<String> {
        switch expression {
        case .words, .empty: return []
        case .slot(let reference):
            guard
                templates.lists[reference.listName] != nil
                    || implicitList(reference.listName, file: templates.file) != nil
            else {
                throw TemplateError.resolution(
                    "unknown list {\(reference.listName)}",
                    template: text.text,
                    at: text.location.advanced(by: reference.offset)
                )
            }
            return [reference.slotName]
        case .rule(let reference):
            if let known = ruleSlots[reference.name] { return known }
            guard let body = rules[reference.name], let bodyText = templates.expansionRules[reference.name] else {
                throw TemplateError.resolution(
                    "unknown rule <\(reference.name)>",
                    template: text.text,
                    at: text.location.advanced(by: reference.offset)
                )
            }
            let slots = try boundSlots(
                body,
                text: bodyText,
                rules: rules,
                ruleSlots: &ruleSlots,
                templates: templates
            )
            ruleSlots[reference.name] = slots
            return slots
        case .alternatives(let items):
            var union = Set<String>()
            for item in items {
                union.formUnion(
                    try boundSlots(
                        item,
                        text: text,
                        rules: rules,
                        ruleSlots: &ruleSlots,
                        templates: templates
                    )
                )
            }
            return union
        case .sequence(let items):
            var bound = Set<String>()
            for item in items {
                let slots = try boundSlots(item, text: text, rules: rules, ruleSlots: &ruleSlots, templates: templates)
                if let twice = slots.intersection(bound).sorted().first {
                    let offset = item.firstOffset(binding: twice, ruleSlots: ruleSlots) ?? 0
                    throw TemplateError.resolution(
                        "slot '\(twice)' is bound twice",
                        template: text.text,
                        at: text.location.advanced(by: offset)
                    )
                }
                bound.formUnion(slots)
            }
            return bound
        }
    }
}

extension TemplateExpression {
    /// The offset of the first slot (or rule containing a slot) named `slot`.
    func firstOffset(binding slot: String, ruleSlots: [String: Set<String>]) -> Int? {
        switch self {
        case .words, .empty: return nil
        case .slot(let reference): return reference.slotName == slot ? reference.offset : nil
        case .rule(let reference): return ruleSlots[reference.name]?.contains(slot) == true ? reference.offset : nil
        case .sequence(let items), .alternatives(let items):
            for item in items {
                if let offset = item.firstOffset(binding: slot, ruleSlots: ruleSlots) { return offset }
            }
            return nil
        }
    }

    /// Every word sequence of a slot-free, rule-free expression, up to `limit` of them.
    func spellings(limit: Int) -> [[String]] {
        switch self {
        case .empty, .slot, .rule: return [[]]
        case .words(let words): return [words]
        case .alternatives(let items):
            var result: [[String]] = []
            var seen = Set<[String]>()
            for item in items {
                for spelling in item.spellings(limit: limit) where seen.insert(spelling).inserted {
                    result.append(spelling)
                    if result.count >= limit { return result }
                }
            }
            return result
        case .sequence(let items):
            var result: [[String]] = [[]]
            for item in items {
                let options = item.spellings(limit: limit)
                var next: [[String]] = []
                outer: for prefix in result {
                    for option in options {
                        next.append(prefix + option)
                        if next.count >= limit { break outer }
                    }
                }
                result = next
            }
            return result
        }
    }
}
