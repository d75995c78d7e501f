/// A template string and where it was written.
public struct TemplateText: Sendable, Hashable, CustomStringConvertible {
    /// The template as written, e.g. `add {item} [to [my] shopping list]`.
    public let text: String
    /// Where its first character is in the file.
    public let location: SourceLocation

    /// Creates a template text.
    public init(_ text: String, location: SourceLocation) {
        self.text = text
        self.location = location
    }

    /// The template as written.
    public var description: String { text }
}

/// What a sentence block needs from the context for one key (`requires_context`).
public struct ContextRequirement: Sendable, Hashable {
    /// Accepted values; nil means any value, as long as the key is present.
    public var values: [String]?
    /// When set, the context value is copied into this slot on a match (`slot: true` copies into the key's name).
    public var copyToSlot: String?

    /// Creates a requirement.
    public init(values: [String]? = nil, copyToSlot: String? = nil) {
        self.values = values
        self.copyToSlot = copyToSlot
    }
}

/// One `data:` block of an intent: sentences that share fixed slots and context conditions.
public struct IntentSentences: Sendable {
    /// The sentence templates.
    public var sentences: [TemplateText]
    /// Slot values added on a match (unless the sentence filled the slot itself).
    public var fixedSlots: [String: SlotValue]
    /// Context keys that must be present (and have one of the given values).
    public var requiresContext: [String: ContextRequirement]
    /// Context keys whose values (or any value, when the list is empty) rule the block out.
    public var excludesContext: [String: [String]]
    /// Where the block is.
    public var location: SourceLocation

    /// Creates a block.
    public init(
        sentences: [TemplateText],
        fixedSlots: [String: SlotValue] = [:],
        requiresContext: [String: ContextRequirement] = [:],
        excludesContext: [String: [String]] = [:],
        location: SourceLocation
    ) {
        self.sentences = sentences
        self.fixedSlots = fixedSlots
        self.requiresContext = requiresContext
        self.excludesContext = excludesContext
        self.location = location
    }
}

/// An intent and its sentence blocks.
public struct IntentTemplates: Sendable {
    /// The intent name, e.g. `AddItem`.
    public var name: String
    /// Its `data:` blocks in file order.
    public var data: [IntentSentences]

    /// Creates an intent.
    public init(name: String, data: [IntentSentences]) {
        self.name = name
        self.data = data
    }
}

/// One value of a value list: what is said (a template such as `(bedroom|bed room) lamp`) and what it means.
public struct SlotListValue: Sendable {
    /// The spoken form(s), as a template without slots or rules.
    public var spoken: TemplateText
    /// The canonical value put into the slot.
    public var value: SlotValue
    /// Metadata carried with the value into the match context (e.g. `area: Bedroom`).
    public var context: [String: String]

    /// Creates a value.
    public init(spoken: TemplateText, value: SlotValue, context: [String: String] = [:]) {
        self.spoken = spoken
        self.value = value
        self.context = context
    }
}

/// A range of numbers for a slot: `from`…`to` in steps of `step`, read as a number, percentage or temperature.
public struct NumberRange: Sendable, Hashable {
    /// The smallest value.
    public var from: Double
    /// The largest value.
    public var to: Double
    /// The step between accepted values (0 accepts every number in the range).
    public var step: Double
    /// `.number`, `.percentage` or `.temperature`.
    public var type: BuiltinSlotType

    /// Creates a range.
    public init(from: Double, to: Double, step: Double = 1, type: BuiltinSlotType = .number) {
        self.from = from
        self.to = to
        self.step = step
        self.type = type
    }

    func contains(_ value: Double) -> Bool {
        guard value >= from - 1e-9, value <= to + 1e-9 else { return false }
        guard step > 0 else { return true }
        let steps = (value - from) / step
        return abs(steps - steps.rounded()) < 1e-6
    }
}

/// What a slot list holds.
public enum SlotListKind: Sendable {
    /// Known values with spoken forms.
    case values([SlotListValue])
    /// A number range.
    case range(NumberRange)
    /// Free text, ended by the words that follow it in the template.
    case wildcard
    /// A built-in type read from words.
    case builtin(BuiltinSlotType)
}

/// A named list that slots refer to.
public struct SlotList: Sendable {
    /// What the list holds.
    public var kind: SlotListKind
    /// True when one slot can take several values: "milk, eggs and bread".
    public var multiple: Bool
    /// Where the list is declared.
    public var location: SourceLocation

    /// Creates a list.
    public init(kind: SlotListKind, multiple: Bool = false, location: SourceLocation) {
        self.kind = kind
        self.multiple = multiple
        self.location = location
    }
}

/// One skill's templates for one language: intents, lists, expansion rules and skip words.
///
/// Load from YAML with `load(yamlFile:skill:)` or `load(yaml:file:skill:)`; both validate every template.
/// The runtime may replace list values (device names, say) before compiling an `IntentEngine`.
public struct SkillTemplates: Sendable {
    /// The skill id (e.g. `Shopping`); ties are broken by it.
    public var skill: String
    /// The language code, e.g. `en`.
    public var language: String
    /// The file the templates came from.
    public var file: String
    /// Intents in file order.
    public var intents: [IntentTemplates]
    /// Lists by name.
    public var lists: [String: SlotList]
    /// Expansion rules by name.
    public var expansionRules: [String: TemplateText]
    /// Words and phrases this skill's sentences may contain anywhere and that mean nothing.
    public var skipWords: [String]

    /// Creates templates in code.
    public init(
        skill: String,
        language: String = "en",
        file: String,
        intents: [IntentTemplates],
        lists: [String: SlotList] = [:],
        expansionRules: [String: TemplateText] = [:],
        skipWords: [String] = []
    ) {
        self.skill = skill
        self.language = language
        self.file = file
        self.intents = intents
        self.lists = lists
        self.expansionRules = expansionRules
        self.skipWords = skipWords
    }

    /// Checks every template: syntax, references to lists and rules, recursion and slots bound twice.
    public func validate() throws {
        _ = try ResolvedSkill(self)
    }
}
