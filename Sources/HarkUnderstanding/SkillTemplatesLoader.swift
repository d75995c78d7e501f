import Foundation
import Yams

extension SkillTemplates {
    /// Reads and validates `path` (an `intents/LANG.yaml` file). Errors name the file, line and column.
    public static func load(yamlFile path: String, skill: String) throws -> SkillTemplates {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TemplateError.io("cannot read the file (\(error.localizedDescription))", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TemplateError.io("the file is not UTF-8 text", file: path)
        }
        return try load(yaml: text, file: path, skill: skill)
    }

    /// Parses and validates YAML `text`; `file` names it in errors.
    public static func load(yaml text: String, file: String, skill: String) throws -> SkillTemplates {
        let reader = TemplateYAMLReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw TemplateError.shape(
                    "the file is empty; expected a mapping with 'intents'",
                    at: SourceLocation(file: file, line: 1, column: 1)
                )
            }
            root = node
        } catch let error as YamlError {
            throw reader.convert(error)
        }
        let templates = try reader.read(root, skill: skill)
        try templates.validate()
        return templates
    }
}

/// Walks the composed YAML tree, checking shapes and keeping locations.
private struct TemplateYAMLReader {
    let file: String

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: 1, column: 1) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// Where the first character of a scalar's text is (after an opening quote).
    func textLocation(_ node: Node) -> SourceLocation {
        let base = location(node)
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            return base.advanced(by: 1)
        }
        return base
    }

    func convert(_ error: YamlError) -> TemplateError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return .yamlSyntax(detail, at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .shape(
                "duplicate key(s) \(duplicates.joined(separator: ", "))",
                at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            )
        default:
            return .yamlSyntax(
                error.description.split(separator: "\n").first.map(String.init) ?? "invalid YAML",
                at: SourceLocation(file: file, line: 1, column: 1)
            )
        }
    }

    // MARK: Shapes

    func kindName(_ node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The pairs of a mapping, with unknown keys rejected.
    func mapping(
        _ node: Node,
        _ what: String,
        allowed: Set<String>? = nil
    ) throws -> [(
        key: String, keyNode: Node,
        value: Node
    )] {
        guard case .mapping(let mapping) = node else {
            throw TemplateError.shape("\(what) must be a mapping, found \(kindName(node))", at: location(node))
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw TemplateError.shape("keys of \(what) must be text", at: location(keyNode))
            }
            if let allowed, !allowed.contains(key.string) {
                let expected = allowed.sorted().joined(separator: ", ")
                throw TemplateError.shape(
                    "unknown key '\(key.string)' in \(what) (expected one of: \(expected))",
                    at: location(keyNode)
                )
            }
            guard seen.insert(key.string).inserted else {
                throw TemplateError.shape("duplicate key '\(key.string)' in \(what)", at: location(keyNode))
            }
            pairs.append((key.string, keyNode, value))
        }
        return pairs
    }

    func sequence(_ node: Node, _ what: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw TemplateError.shape("\(what) must be a list, found \(kindName(node))", at: location(node))
        }
        return Array(sequence)
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw TemplateError.shape("\(what) must be text, found \(kindName(node))", at: location(node))
        }
        return scalar.string
    }

    func number(_ node: Node, _ what: String) throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            throw TemplateError.shape("\(what) must be a number", at: location(node))
        }
        return value
    }

    func bool(_ node: Node, _ what: String) throws -> Bool {
        guard case .scalar(let scalar) = node, let value = Bool.construct(from: scalar) else {
            throw TemplateError.shape("\(what) must be true or false", at: location(node))
        }
        return value
    }

    /// One string or a list of strings.
    func strings(_ node: Node, _ what: String) throws -> [String] {
        if case .sequence = node { return try sequence(node, what).map { try string($0, "each of \(what)") } }
        return [try string(node, what)]
    }

    /// A scalar as a slot value: numbers become `.number`, everything else `.text`; lists become `.list`.
    func slotValue(_ node: Node, _ what: String) throws -> SlotValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, let value = Double(scalar.string), scalar.string.first != "+" {
                return .number(value)
            }
            return .text(scalar.string)
        case .sequence(let items):
            return .list(try items.map { try slotValue($0, "each of \(what)") })
        default:
            throw TemplateError.shape("\(what) must be text, a number or a list", at: location(node))
        }
    }

    // MARK: The file

    func read(_ root: Node, skill: String) throws -> SkillTemplates {
        var templates = SkillTemplates(skill: skill, file: file, intents: [])
        var sawIntents = false
        for (key, _, value) in try mapping(
            root,
            "the file",
            allowed: ["language", "intents", "lists", "expansion_rules", "skip_words"]
        ) {
            switch key {
            case "language": templates.language = try string(value, "language")
            case "intents":
                sawIntents = true
                templates.intents = try mapping(value, "intents").map { try intent(name: $0.key, $0.value) }
            case "lists":
                for (name, _, listNode) in try mapping(value, "lists") {
                    templates.lists[name] = try list(listNode, name)
                }
            case "expansion_rules":
                for (name, _, ruleNode) in try mapping(value, "expansion_rules") {
                    templates.expansionRules[name] = TemplateText(
                        try string(ruleNode, "rule <\(name)>"),
                        location: textLocation(ruleNode)
                    )
                }
            case "skip_words": templates.skipWords = try strings(value, "skip_words")
            default: break
            }
        }
        guard sawIntents else { throw TemplateError.shape("the file has no 'intents'", at: location(root)) }
        return templates
    }

    func intent(name: String, _ node: Node) throws -> IntentTemplates {
        var blocks: [IntentSentences] = []
        for (key, _, value) in try mapping(node, "intent \(name)", allowed: ["data"]) where key == "data" {
            blocks = try sequence(value, "data of \(name)").map { try block($0, intent: name) }
        }
        guard !blocks.isEmpty else { throw TemplateError.shape("intent \(name) has no 'data'", at: location(node)) }
        return IntentTemplates(name: name, data: blocks)
    }

    func block(_ node: Node, intent: String) throws -> IntentSentences {
        var result = IntentSentences(sentences: [], location: location(node))
        var sawSentences = false
        let what = "a data block of \(intent)"
        for (key, _, value) in try mapping(
            node,
            what,
            allowed: ["sentences", "slots", "requires_context", "excludes_context", "response"]
        ) {
            switch key {
            case "sentences":
                sawSentences = true
                result.sentences = try sequence(value, "sentences").map {
                    TemplateText(try string($0, "a sentence"), location: textLocation($0))
                }
            case "slots":
                for (slot, _, slotNode) in try mapping(value, "slots") {
                    result.fixedSlots[slot] = try slotValue(slotNode, "slot \(slot)")
                }
            case "requires_context":
                for (contextKey, _, requirementNode) in try mapping(value, "requires_context") {
                    result.requiresContext[contextKey] = try requirement(requirementNode, key: contextKey)
                }
            case "excludes_context":
                for (contextKey, _, excluded) in try mapping(value, "excludes_context") {
                    result.excludesContext[contextKey] = try strings(excluded, "excludes_context.\(contextKey)")
                }
            case "response":
                _ = try string(value, "response")  // Home Assistant's response key; replies live elsewhere in Hark.
            default: break
            }
        }
        guard sawSentences, !result.sentences.isEmpty else {
            throw TemplateError.shape("\(what) has no sentences", at: location(node))
        }
        return result
    }

    func requirement(_ node: Node, key: String) throws -> ContextRequirement {
        guard case .mapping = node else {
            return ContextRequirement(values: try strings(node, "requires_context.\(key)"))
        }
        var requirement = ContextRequirement()
        for (field, _, value) in try mapping(node, "requires_context.\(key)", allowed: ["value", "slot"]) {
            switch field {
            case "value": requirement.values = try strings(value, "requires_context.\(key).value")
            case "slot":
                if case .scalar(let scalar) = value, let flag = Bool.construct(from: scalar) {
                    requirement.copyToSlot = flag ? key : nil
                } else {
                    requirement.copyToSlot = try string(value, "requires_context.\(key).slot")
                }
            default: break
            }
        }
        return requirement
    }

    func list(_ node: Node, _ name: String) throws -> SlotList {
        let what = "list \(name)"
        var kind: SlotListKind?
        var multiple = false
        var declaredType: BuiltinSlotType?
        var rangeNode: Node?
        var kindsSeen: [String] = []
        for (key, keyNode, value) in try mapping(
            node,
            what,
            allowed: ["values", "range", "wildcard", "type", "multiple"]
        ) {
            switch key {
            case "values":
                kindsSeen.append(key)
                kind = .values(try sequence(value, "values of \(what)").map { try listValue($0, list: name) })
            case "range":
                kindsSeen.append(key)
                rangeNode = value
            case "wildcard":
                guard try bool(value, "wildcard") else {
                    throw TemplateError.shape("'wildcard: false' means nothing; remove it", at: location(keyNode))
                }
                kindsSeen.append(key)
                kind = .wildcard
            case "type": declaredType = try builtinType(value)
            case "multiple": multiple = try bool(value, "multiple")
            default: break
            }
        }
        guard kindsSeen.count <= 1 else {
            throw TemplateError.shape(
                "\(what) mixes \(kindsSeen.joined(separator: " and ")); use one",
                at: location(node)
            )
        }
        if let rangeNode {
            kind = .range(try range(rangeNode, list: name, type: declaredType))
        } else if let declaredType {
            guard kind == nil else {
                throw TemplateError.shape("\(what): 'type' goes with 'range' or alone", at: location(node))
            }
            kind = .builtin(declaredType)
        }
        guard let kind else {
            throw TemplateError.shape("\(what) needs 'values', 'range', 'wildcard: true' or 'type'", at: location(node))
        }
        return SlotList(kind: kind, multiple: multiple, location: location(node))
    }

    func builtinType(_ node: Node) throws -> BuiltinSlotType {
        let text = try string(node, "type")
        guard let type = BuiltinSlotType(rawValue: text) else {
            let known = BuiltinSlotType.allCases.map(\.rawValue).joined(separator: ", ")
            throw TemplateError.shape("unknown type '\(text)' (known: \(known))", at: location(node))
        }
        return type
    }

    func range(_ node: Node, list: String, type listType: BuiltinSlotType?) throws -> NumberRange {
        var from: Double?
        var to: Double?
        var step = 1.0
        var type = listType ?? .number
        for (key, _, value) in try mapping(node, "range of list \(list)", allowed: ["from", "to", "step", "type"]) {
            switch key {
            case "from": from = try number(value, "from")
            case "to": to = try number(value, "to")
            case "step": step = try number(value, "step")
            case "type": type = try builtinType(value)
            default: break
            }
        }
        guard let from, let to else {
            throw TemplateError.shape("range of list \(list) needs 'from' and 'to'", at: location(node))
        }
        guard from <= to, step >= 0 else {
            throw TemplateError.shape("range of list \(list) must have from <= to and step >= 0", at: location(node))
        }
        guard [.number, .percentage, .temperature].contains(type) else {
            throw TemplateError.shape(
                "a range is a number, percentage or temperature, not \(type.rawValue)",
                at: location(node)
            )
        }
        return NumberRange(from: from, to: to, step: step, type: type)
    }

    func listValue(_ node: Node, list: String) throws -> SlotListValue {
        if case .scalar(let scalar) = node {
            return SlotListValue(
                spoken: TemplateText(scalar.string, location: textLocation(node)),
                value: .text(scalar.string)
            )
        }
        var spoken: TemplateText?
        var value: SlotValue?
        var context: [String: String] = [:]
        for (key, _, field) in try mapping(node, "a value of list \(list)", allowed: ["in", "out", "context"]) {
            switch key {
            case "in": spoken = TemplateText(try string(field, "in"), location: textLocation(field))
            case "out": value = try slotValue(field, "out")
            case "context":
                for (contextKey, _, contextValue) in try mapping(field, "context") {
                    context[contextKey] = try string(contextValue, "context.\(contextKey)")
                }
            default: break
            }
        }
        guard let spoken else {
            throw TemplateError.shape("a value of list \(list) needs 'in'", at: location(node))
        }
        if value == nil {
            guard !spoken.text.unicodeScalars.contains(where: { "()[]|{}<>".unicodeScalars.contains($0) }) else {
                throw TemplateError.shape("a value whose 'in' is a template needs 'out'", at: location(node))
            }
            value = .text(spoken.text)
        }
        return SlotListValue(spoken: spoken, value: value ?? .text(spoken.text), context: context)
    }
}
