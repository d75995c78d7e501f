import Foundation
import HarkUnderstanding

/// One item as said: its name, and the quantity and unit said before it.
struct ItemPhrase: Sendable, Hashable {
    /// The item's words, lower case ("eggs", "semi skimmed milk").
    var name: String
    var amount: Amount
}

/// Reads one item phrase ("2 litres of milk", "a dozen eggs", "half a dozen eggs", "3 apples") with the
/// skill's own rule `<item_phrase>` and lists from `intents/en.yaml`, so that every item of
/// "add milk and 2 loaves of bread" gets its own quantity and unit exactly as a whole sentence would.
struct ItemPhraseReader: Sendable {
    private let engine: IntentEngine
    private let units: ShoppingUnits

    init(templates: SkillTemplates, units: ShoppingUnits) throws {
        guard templates.expansionRules["item_phrase"] != nil else {
            throw ShoppingDataError("\(templates.file): the rule <item_phrase> is missing")
        }
        let location = SourceLocation(file: templates.file, line: 1, column: 1)
        var lists = templates.lists
        lists["item"] = SlotList(kind: .wildcard, multiple: false, location: location)
        let phrase = SkillTemplates(
            skill: templates.skill, language: templates.language, file: templates.file,
            intents: [
                IntentTemplates(
                    name: "Phrase",
                    data: [IntentSentences(sentences: [TemplateText("<item_phrase>", location: location)], location: location)])
            ],
            lists: lists, expansionRules: templates.expansionRules, skipWords: templates.skipWords)
        engine = try IntentEngine(skills: [phrase], options: EngineOptions(defaultSkipWords: []))
        self.units = units
    }

    /// The phrase read from `text`; a text the rule cannot read is taken whole as the name.
    func read(_ text: String) -> ItemPhrase {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let match = engine.match(trimmed).best, let item = match.rawSlots["item"] ?? match.slots["item"]?.description
        else {
            return ItemPhrase(name: trimmed.lowercased(), amount: .none)
        }
        var amount = Amount.none
        if case .number(let value) = match.slots["quantity"] { amount.quantity = value }
        if case .text(let unit) = match.slots["unit"] { amount.unit = unit }
        return ItemPhrase(name: Self.clean(item), amount: units.normalized(amount))
    }

    /// The phrase from an intent's slots: the sentence's own `quantity`/`unit` when it gave them (they belong
    /// to the first item), else what the item's words say.
    func read(_ text: String, quantity: Double?, unit: String?) -> ItemPhrase {
        var phrase = read(text)
        if quantity != nil || unit != nil, phrase.amount.isEmpty {
            phrase.amount = units.normalized(Amount(quantity: quantity, unit: unit))
        }
        return phrase
    }

    private static func clean(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "." })
            .joined(separator: " ")
    }
}
