import Foundation
import GRDB
import HarkSkillKit
import HarkUnderstanding

/// Hark's shopping skill: a shopping list (several items at once, quantities and units, duplicates merged),
/// local voice ordering from `data/catalogue.yaml` behind a four-digit purchase code and a spending cap, and
/// "what should I buy" suggestions from the purchase history, product advice by use ("which jacket for hiking in
/// Scotland in March", with the weather skill's forecast or the place's typical climate), and Dash buttons (a
/// press reorders at once, said at the next request). State lives in the shared `hark.sqlite`.
///
/// Settings (`skills: { shopping: { … } }` in `~/.config/hark/config.yaml`): `currency` (ISO code, default
/// `GBP`), `purchase_code` (four digits as a string; without it ordering is off), `spending_cap` (default 150),
/// `suggestions`, `daily_offer` and `briefing` (what is due, the daily offer of the most overdue item, the morning
/// briefing's line; all true by default).
public struct ShoppingSkill: Skill {
    public let id = "shopping"

    /// The skill folder (skill.yaml, intents, responses, tests, data) inside the installed resources.
    public static var folder: String { Bundle.module.resourcePath! }

    /// Wrong purchase codes in a row that lock ordering.
    static let codeAttemptLimit = 3
    /// How long ordering stays locked the first time after too many wrong codes (seconds); each further lock
    /// before an order is placed lasts twice the last.
    static let lockDuration: TimeInterval = 15 * 60
    /// The longest lock: 30 days.
    static let longestLock: TimeInterval = 30 * 86_400

    let store: ShoppingStore
    let catalogue: ProductCatalogue
    let units: ShoppingUnits
    let currencies: [String: CurrencyNames]
    let phrases: ItemPhraseReader
    let climate: ClimateTable
    let adviceRules: AdviceRules
    let defaultSettings: [String: JSONValue]

    /// Opens the skill on the runtime's shared database (applying the `shopping.*` migrations) and loads its
    /// catalogue. `defaultSettings` apply under the configured settings (tests and embedders set a purchase
    /// code there); a broken data file is an error naming the file.
    public init(database: DatabasePool, defaultSettings: [String: JSONValue] = [:]) throws {
        let folder = Self.folder
        store = try ShoppingStore(pool: database)
        catalogue = try ProductCatalogue.load(path: folder + "/data/catalogue.yaml")
        units = try ShoppingUnits.load(path: folder + "/data/units.yaml")
        currencies = try CurrencyNames.load(path: folder + "/data/currencies.yaml")
        climate = try ClimateTable.load(path: folder + "/data/climate.yaml")
        adviceRules = try AdviceRules.load(path: folder + "/data/advice.yaml")
        let templates = try SkillTemplates.load(yamlFile: folder + "/intents/en.yaml", skill: id)
        phrases = try ItemPhraseReader(templates: templates, units: units)
        self.defaultSettings = defaultSettings
    }

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        switch turn(request, context: context) {
        case .success(var turn): return try await turn.answer()
        case .failure(let problem): return .speak(try context.responses.render("setting_invalid", ["key": problem.key]))
        }
    }

    /// The turn that answers `request`, or the setting that is not valid (logged).
    func turn(_ request: SkillRequest, context: SkillContext) -> Result<ShoppingTurn, ShoppingSettings.Problem> {
        let merged = defaultSettings.merging(context.settings) { _, configured in configured }
        do {
            return .success(
                ShoppingTurn(skill: self, request: request, context: context, settings: try ShoppingSettings.read(merged)))
        } catch let problem as ShoppingSettings.Problem {
            context.logger.error("configuration: skills.shopping.\(problem.key) is not valid \(problem.value)")
            return .failure(problem)
        } catch {
            return .failure(ShoppingSettings.Problem(key: "?", value: "\(error)"))
        }
    }
}

/// Dash buttons (`buttons:` in config.yaml): a press reorders a product at once, and what it did is said before the
/// next reply.
extension ShoppingSkill: NoticingSkill {
    /// How long after a press that counted another press of the same button is ignored (seconds).
    public static let buttonRepeatWindow: TimeInterval = 60

    /// A press of the button on MQTT topic `topic` that reorders `item` (the last order's product for it, else the
    /// catalogue's): placed without the purchase code, as with Amazon's Dash, but refused over the spending cap.
    /// Returns what will be said at the next request, or nil when the press was ignored (the same button counted a
    /// press less than ``buttonRepeatWindow`` before).
    public func buttonPressed(topic: String, reorder item: String, context: SkillContext) async throws -> String? {
        guard try await store.countPress(of: topic, at: context.clock.now, within: Self.buttonRepeatWindow) else {
            return nil
        }
        let request = SkillRequest(
            kind: .intent, intent: "Reorder", slots: Slots(["item": .text(item)]), session: SessionInfo(id: "button"),
            dialogState: .completed)
        switch turn(request, context: context) {
        case .success(let turn): return try await turn.orderByButton(Self.spokenName(ofButton: topic))
        case .failure(let problem): throw SkillError.invalid("skills.shopping.\(problem.key) is not valid")
        }
    }

    /// What the buttons' presses did since the last request.
    public func dueNotices(context: SkillContext) async throws -> [String] { try await store.takeNotices() }

    /// "zigbee2mqtt/kitchen_button" is the "kitchen" button.
    static func spokenName(ofButton topic: String) -> String {
        var name = (topic.split(separator: "/").last.map(String.init) ?? topic).replacingOccurrences(of: "_", with: " ")
            .replacingOccurrences(of: "-", with: " ").lowercased()
        if name.hasSuffix(" button") { name.removeLast(" button".count) }
        return name
    }
}

/// One request being answered: the skill's parts, the request, its context and the settings.
struct ShoppingTurn {
    let skill: ShoppingSkill
    let request: SkillRequest
    let context: SkillContext
    let settings: ShoppingSettings
    let speech: ShoppingSpeech

    init(skill: ShoppingSkill, request: SkillRequest, context: SkillContext, settings: ShoppingSettings) {
        self.skill = skill
        self.request = request
        self.context = context
        self.settings = settings
        speech = ShoppingSpeech(
            responses: context.responses, units: skill.units, catalogue: skill.catalogue,
            currencies: skill.currencies, currency: settings.currency)
    }

    var store: ShoppingStore { skill.store }
    var now: Date { context.clock.now }

    func say(_ key: String, _ values: [String: String] = [:]) throws -> String { try speech.say(key, values) }

    mutating func answer() async throws -> SkillResponse {
        switch request.kind {
        case .sessionEnded: return SkillResponse(speech: "")
        case .launch: return try await launch()
        case .intent: break
        }
        switch request.intent {
        case "AddItem": return try await addItems()
        case "RemoveItem": return try await removeItems()
        case "CheckItem": return try await checkItem()
        case "ReadList": return try await readList()
        case "ClearList": return try await clearList()
        case "Order": return try await order(reorder: false)
        case "Reorder": return try await order(reorder: true)
        case "OrderStatus": return try await orderStatus()
        case "WhatToBuy": return try await whatToBuy()
        case "Advise": return try await advise()
        case "ChooseAdvice": return try await chooseAdvice()
        case "Help": return .speak(try say("help")).reprompt(try say("help_reprompt"))
        case "Yes": return try await acceptOffer()
        case "No": return .speak(try say("offer_declined"))
        default:
            throw SkillError.invalid("shopping: no handler for intent \(request.intent)")
        }
    }

    // MARK: The list

    private func launch() async throws -> SkillResponse {
        let entries = try await store.list()
        let text = entries.isEmpty ? try say("launch_empty") : try say("launch", ["count": try speech.count(entries.count, "items")])
        return .speak(text).reprompt(try say("help_reprompt"))
    }

    /// The items of the request: each value of `item` read as its own phrase; the sentence's `quantity` and
    /// `unit` belong to the first.
    func requestedPhrases() -> [ItemPhrase] {
        let texts = request.slots.texts("item").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let quantity = request.slots.number("quantity")
        let unit = request.slots.text("unit")
        return texts.enumerated().map { index, text in
            index == 0 ? skill.phrases.read(text, quantity: quantity, unit: unit) : skill.phrases.read(text)
        }
    }

    private func entry(for phrase: ItemPhrase) -> ListEntry {
        ListEntry(key: skill.catalogue.key(for: phrase.name), name: phrase.name, amount: phrase.amount)
    }

    private func addItems() async throws -> SkillResponse {
        let requested = requestedPhrases().map(entry(for:))
        switch request.confirmation {
        case .denied: return .speak(try say("add_declined"))
        case .confirmed: return try await add(requested)
        case .none: break
        }
        // An item nobody has heard of, in a request that does not name the list ("i need a ride home"), is asked
        // back rather than added: known items (the catalogue, what was bought before, what is on the list) are
        // added at once, and so is anything the user explicitly puts "on the list".
        let unknown = try await unknownItems(requested)
        if !unknown.isEmpty, !TextNormalizer.words(request.utterance).contains(where: { $0 == "list" || $0 == "lists" }) {
            return .speak(try say("confirm_add_unknown", ["items": speech.list(unknown)])).confirmIntent()
        }
        return try await add(requested)
    }

    /// The entries neither the catalogue, nor the purchase history, nor the list knows.
    private func unknownItems(_ entries: [ListEntry]) async throws -> [ListEntry] {
        let candidates = entries.filter { skill.catalogue.product(for: $0.key) == nil }
        guard !candidates.isEmpty else { return [] }
        let onList = Set(try await store.list().map(\.key))
        let bought = Set(try await store.purchases().map { skill.catalogue.key(for: $0.item) })
        return candidates.filter { !onList.contains($0.key) && !bought.contains($0.key) }
    }

    func add(_ requested: [ListEntry]) async throws -> SkillResponse {
        guard !requested.isEmpty else {
            return .speak(try say("ask_item")).elicitSlot("item")
        }
        // Two mentions of one item in one request ("milk and more milk") become one entry first.
        var combined: [ListEntry] = []
        for entry in requested {
            if let index = combined.firstIndex(where: { $0.key == entry.key }) {
                combined[index].amount = AmountMerge.merge(combined[index].amount, entry.amount, units: skill.units).0
            } else {
                combined.append(entry)
            }
        }
        let units = skill.units
        let results = try await store.add(combined, at: now) { AmountMerge.merge($0, $1, units: units) }
        let added = results.filter { $0.change == .added }.map(\.entry)
        let changed = results.filter { $0.change == .increased || $0.change == .replaced }.map(\.entry)
        let already = results.filter { $0.change == .unchanged }.map(\.entry)
        var parts: [String] = []
        if !added.isEmpty { parts.append(try say("added", ["items": speech.list(added)])) }
        if !changed.isEmpty { parts.append(try say("updated", ["items": speech.list(changed)])) }
        if !already.isEmpty {
            parts.append(try say(already.count == 1 ? "already_one" : "already_many", ["items": speech.list(already)]))
        }
        return .speak(Self.sentences(parts)).with(data: [
            "added": .array(added.map { .string(speech.describe($0)) }),
            "updated": .array(changed.map { .string(speech.describe($0)) }),
            "already": .array(already.map { .string(speech.describe($0)) }),
        ])
    }

    /// The list row a spoken item means: the same key, else the one row whose key ends with it or that it
    /// ends with ("milk" finds "whole milk" when that is the only milk).
    private func find(_ key: String, in entries: [ListEntry]) -> ListEntry? {
        if let exact = entries.first(where: { $0.key == key }) { return exact }
        let close = entries.filter { $0.key.hasSuffix(" " + key) || key.hasSuffix(" " + $0.key) }
        return close.count == 1 ? close[0] : nil
    }

    private func removeItems() async throws -> SkillResponse {
        let phrases = requestedPhrases()
        guard !phrases.isEmpty else { return .speak(try say("ask_RemoveItem_item")).elicitSlot("item") }
        let bought = request.slots.text("bought") == "true"
        let entries = try await store.list()
        var keys: [String] = []
        var missing: [String] = []
        for phrase in phrases {
            if let found = find(skill.catalogue.key(for: phrase.name), in: entries) {
                if !keys.contains(found.key) { keys.append(found.key) }
            } else {
                missing.append(phrase.name)
            }
        }
        let removed = try await store.remove(keys: keys, bought: bought, at: now)
        var parts: [String] = []
        if !removed.isEmpty {
            let names = SpokenText.list(removed.map(\.name))
            parts.append(try say(bought ? "bought" : "removed", ["items": names]))
        }
        if !missing.isEmpty {
            parts.append(
                try say(missing.count == 1 ? "not_on_list_one" : "not_on_list_many", ["items": SpokenText.list(missing)]))
        }
        return .speak(Self.sentences(parts)).with(data: [
            "removed": .array(removed.map { .string($0.key) }), "missing": .array(missing.map { .string($0) }),
        ])
    }

    private func checkItem() async throws -> SkillResponse {
        guard let phrase = requestedPhrases().first else {
            return .speak(try say("ask_CheckItem_item")).elicitSlot("item")
        }
        let entries = try await store.list()
        if let found = find(skill.catalogue.key(for: phrase.name), in: entries) {
            let key = found.amount.isEmpty ? "check_yes" : "check_yes_amount"
            return .speak(try say(key, ["item": found.name, "entry": speech.describe(found)]))
        }
        let offer = ListEntry(key: skill.catalogue.key(for: phrase.name), name: phrase.name, amount: phrase.amount)
        return .speak(try say("check_no", ["item": phrase.name]))
            .reprompt(try say("check_no_reprompt", ["item": phrase.name]))
            .remembering(["offer": "add", "items": try JSONValue.encoding([offer])])
    }

    private func readList() async throws -> SkillResponse {
        let entries = try await store.list()
        let data: [String: JSONValue] = ["items": .array(entries.map { .string(speech.describe($0)) })]
        if entries.isEmpty { return .speak(try say("list_empty")).with(data: data) }
        let key = entries.count == 1 ? "list_one" : "list_many"
        return .speak(try say(key, ["count": String(entries.count), "items": speech.list(entries)])).with(data: data)
    }

    private func clearList() async throws -> SkillResponse {
        switch request.confirmation {
        case .denied:
            return .speak(try say("clear_kept"))
        case .confirmed:
            let count = try await store.clear()
            return .speak(try say("cleared")).with(data: ["removed": .number(Double(count))])
        case .none:
            let entries = try await store.list()
            if entries.isEmpty { return .speak(try say("clear_empty")) }
            if entries.count == 1 {
                return .speak(try say("confirm_clear_one", ["items": speech.list(entries)])).confirmIntent()
            }
            return .speak(try say("confirm_clear", ["count": try speech.count(entries.count, "items")])).confirmIntent()
        }
    }

    /// "Yes" to an offer the skill made (add an item that was not on the list, add suggested items).
    func acceptOffer() async throws -> SkillResponse {
        guard request.session.attributes["offer"]?.stringValue == "add",
            let items = request.session.attributes["items"]
        else {
            return .speak(try say("nothing_offered"))
        }
        return try await add(try items.decode([ListEntry].self))
    }

    /// Sentences joined, each starting with a capital ("Garlic is already on your list.").
    static func sentences(_ parts: [String]) -> String {
        parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    // MARK: Suggestions

    private func whatToBuy() async throws -> SkillResponse {
        guard settings.suggestions else { return .speak(try say("suggestions_off")) }
        if try await store.purchases().isEmpty { return .speak(try say("no_history")) }
        let due = try await dueItems().prefix(5)
        if due.isEmpty { return .speak(try say("nothing_due")) }
        // Heard today: the daily offer does not say it again.
        _ = try await takeTodaysOffer()
        var reasons: [String] = []
        for suggestion in due {
            switch suggestion.basis {
            case .history(let interval):
                reasons.append(
                    try say("due_history", [
                        "item": suggestion.item, "interval": String(interval), "since": String(suggestion.daysSinceLast),
                    ]))
            case .prior(let interval):
                reasons.append(
                    try say("due_prior", [
                        "item": suggestion.item, "interval": String(interval), "since": String(suggestion.daysSinceLast),
                    ]))
            }
        }
        let entries = due.map { ListEntry(key: $0.item, name: $0.item, amount: .none) }
        let items = SpokenText.list(due.map(\.item))
        let text = try say("what_to_buy", ["items": items, "reasons": reasons.joined(separator: "; ")])
        return .speak(text).reprompt(try say("what_to_buy_reprompt", ["items": items]))
            .remembering(["offer": "add", "items": try JSONValue.encoding(entries)])
            .with(data: ["due": .array(due.map { .string($0.item) })])
    }
}
