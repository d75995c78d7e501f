import Foundation
import HarkSkillKit
import Yams

/// Spoken names of a currency, from `data/currencies.yaml`.
struct CurrencyNames: Sendable {
    var one: String
    var other: String
    var minorOne: String
    var minorOther: String

    static func load(path: String) throws -> [String: CurrencyNames] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShoppingDataError("\(path): cannot read the file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ShoppingDataError("\(path): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
        guard let mapping = root as? [String: Any] else {
            throw ShoppingDataError("\(path): expected a mapping of currency codes")
        }
        var result: [String: CurrencyNames] = [:]
        for (code, value) in mapping {
            guard let fields = value as? [String: String], let one = fields["one"], let other = fields["other"],
                let minorOne = fields["minor_one"], let minorOther = fields["minor_other"]
            else {
                throw ShoppingDataError("\(path): currency '\(code)' needs one, other, minor_one and minor_other")
            }
            result[code.uppercased()] = CurrencyNames(one: one, other: other, minorOne: minorOne, minorOther: minorOther)
        }
        return result
    }
}

/// Turns list rows, prices and counts into words with the skill's reply templates.
struct ShoppingSpeech {
    let responses: ResponseTemplates
    let units: ShoppingUnits
    let catalogue: ProductCatalogue
    let currencies: [String: CurrencyNames]
    let currency: String

    func say(_ key: String, _ values: [String: String] = [:]) throws -> String {
        try responses.render(key, values)
    }

    /// "milk", "2 litres of milk", "2 dozen eggs", "3 apples", "1 apple".
    func describe(_ entry: ListEntry) -> String {
        guard let quantity = entry.amount.quantity else { return entry.name }
        let number = SpokenText.number(quantity)
        guard let unit = entry.amount.unit else { return "\(number) \(countedName(entry, quantity: quantity))" }
        let unitName = units.name(of: unit, quantity: quantity)
        if units.takesOf(unit) { return "\(number) \(unitName) of \(entry.name)" }
        return "\(number) \(unitName) \(countedName(entry, quantity: 2))"
    }

    /// The item's name agreeing with a count: singular for one, plural for several when it is countable.
    private func countedName(_ entry: ListEntry, quantity: Double) -> String {
        let nouns = catalogue.nouns
        if quantity == 1 {
            let singular = nouns.singular(entry.name)
            return singular
        }
        if nouns.isPlural(entry.name) { return entry.name }
        let plural = nouns.plural(entry.name)
        if nouns.vocabulary.contains(plural) || catalogue.product(for: entry.key) == nil { return plural }
        return entry.name
    }

    /// "milk and 2 dozen eggs".
    func list(_ entries: [ListEntry]) -> String { SpokenText.list(entries.map(describe)) }

    /// "1 item", "3 items".
    func count(_ n: Int, _ noun: String) throws -> String {
        try say(n == 1 ? "\(noun)_one" : "\(noun)_other", ["count": String(n)])
    }

    /// "5 pounds 20", "85 pence", "1 pound", "12 dollars 40"; an unknown currency is "12.40 CHF".
    func money(_ amount: Double) throws -> String {
        let cents = Int((amount * 100).rounded())
        let major = cents / 100
        let minor = cents % 100
        guard let names = currencies[currency] else {
            return try say("money_code", ["amount": String(format: "%.2f", amount), "code": currency])
        }
        let majorName = major == 1 ? names.one : names.other
        let minorName = minor == 1 ? names.minorOne : names.minorOther
        if major == 0 { return try say("money_minor", ["minor": String(minor), "minor_unit": minorName]) }
        if minor == 0 { return try say("money_major", ["major": String(major), "major_unit": majorName]) }
        let minorText = minor < 10 ? "0\(minor)" : String(minor)
        return try say(
            "money_major_minor",
            ["major": String(major), "major_unit": majorName, "minor": minorText, "minor_unit": minorName])
    }
}
