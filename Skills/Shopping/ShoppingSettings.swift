import HarkSkillKit

/// The skill's settings: `skills: { shopping: { currency, purchase_code, spending_cap, suggestions, daily_offer,
/// briefing } }` in
/// `~/.config/hark/config.yaml`, over the defaults the skill was built with.
struct ShoppingSettings: Sendable {
    /// ISO currency code for spoken prices (`GBP` by default).
    var currency: String
    /// The four-digit purchase code; nil turns ordering off.
    var purchaseCode: String?
    /// The largest order total allowed.
    var spendingCap: Double
    /// "What should I buy" and the briefing say which items are due (`suggestions`, on by default).
    var suggestions = true
    /// Once a day, after the first request, Hark offers the most overdue item (`daily_offer`, on by default).
    var dailyOffer = true
    /// The morning briefing has the list and what is due (`briefing`, on by default).
    var briefing = true

    static let defaultCurrency = "GBP"
    static let defaultSpendingCap = 150.0
    /// The largest spending cap accepted (a larger one is a typo, and would not fit spoken amounts).
    static let maximumSpendingCap = 1_000_000.0

    /// A setting that cannot be used, as the key and the value found.
    struct Problem: Error {
        var key: String
        var value: String
    }

    /// Reads the settings; a value of the wrong shape is a ``Problem`` (never silently ignored).
    static func read(_ settings: [String: JSONValue]) throws -> ShoppingSettings {
        var result = ShoppingSettings(currency: defaultCurrency, purchaseCode: nil, spendingCap: defaultSpendingCap)
        if let value = settings["currency"] {
            guard let code = value.stringValue, code.count == 3, code.allSatisfy(\.isLetter) else {
                throw Problem(key: "currency", value: value.description)
            }
            result.currency = code.uppercased()
        }
        if let value = settings["purchase_code"], value != .null {
            let text: String
            if let string = value.stringValue {
                text = string.filter { !$0.isWhitespace }
            } else if let number = value.numberValue, number.rounded() == number, (0...9999).contains(number) {
                text = String(Int(number))
            } else {
                throw Problem(key: "purchase_code", value: "")
            }
            if !text.isEmpty {
                guard text.count == 4, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
                    // The value itself is a secret: never repeat it.
                    throw Problem(key: "purchase_code", value: "")
                }
                result.purchaseCode = text
            }
        }
        if let value = settings["spending_cap"] {
            guard let cap = value.numberValue ?? value.stringValue.flatMap(Double.init), (0...maximumSpendingCap).contains(cap)
            else {
                throw Problem(key: "spending_cap", value: value.description)
            }
            result.spendingCap = cap
        }
        for (key, path) in [
            ("suggestions", \ShoppingSettings.suggestions), ("daily_offer", \.dailyOffer), ("briefing", \.briefing),
        ] {
            guard let value = settings[key] else { continue }
            guard let flag = value.boolValue else { throw Problem(key: key, value: value.description) }
            result[keyPath: path] = flag
        }
        return result
    }
}
