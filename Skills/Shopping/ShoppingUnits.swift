import Foundation
import Yams

/// An amount on the shopping list: "2 litres", "a dozen", "3" (no unit), or nothing at all.
struct Amount: Sendable, Hashable, Codable {
    /// How many; nil when nothing was said.
    var quantity: Double?
    /// The unit's canonical name (`litre`, `dozen`, `bottle`), or nil for a plain count.
    var unit: String?

    static let none = Amount(quantity: nil, unit: nil)

    var isEmpty: Bool { quantity == nil && unit == nil }
}

/// The units of `data/units.yaml`: their spoken names and how they convert.
struct ShoppingUnits: Sendable {
    /// One unit.
    struct Unit: Sendable {
        var one: String
        var other: String
        var takesOf: Bool
        /// `count`, `volume` or `mass`; nil for containers that do not convert (bottle, pack).
        var family: String?
        /// Size in the family's base unit.
        var factor: Double
    }

    /// A unit that is a fraction of another ("half dozen").
    struct Scaled: Sendable {
        var unit: String
        var by: Double
    }

    var units: [String: Unit]
    var scaled: [String: Scaled]

    /// Reads `data/units.yaml`; a malformed entry is an error naming the file and the unit.
    static func load(path: String) throws -> ShoppingUnits {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShoppingDataError("\(path): cannot read the file")
        }
        let root: Any?
        do { root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ShoppingDataError("\(path): \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
        guard let mapping = root as? [String: Any] else {
            throw ShoppingDataError("\(path): expected a mapping of unit names")
        }
        var result = ShoppingUnits(units: [:], scaled: [:])
        for (name, value) in mapping {
            guard let fields = value as? [String: Any] else {
                throw ShoppingDataError("\(path): unit '\(name)' must be a mapping")
            }
            if let base = fields["scale"] as? String {
                guard let by = (fields["by"] as? Double) ?? (fields["by"] as? Int).map(Double.init) else {
                    throw ShoppingDataError("\(path): unit '\(name)' needs a number 'by'")
                }
                result.scaled[name] = Scaled(unit: base, by: by)
                continue
            }
            guard let one = fields["one"] as? String, let other = fields["other"] as? String else {
                throw ShoppingDataError("\(path): unit '\(name)' needs 'one' and 'other'")
            }
            let factor = (fields["factor"] as? Double) ?? (fields["factor"] as? Int).map(Double.init) ?? 1
            result.units[name] = Unit(
                one: one, other: other, takesOf: fields["of"] as? Bool ?? true, family: fields["family"] as? String,
                factor: factor)
        }
        for (name, scaled) in result.scaled where result.units[scaled.unit] == nil {
            throw ShoppingDataError("\(path): unit '\(name)' scales unknown unit '\(scaled.unit)'")
        }
        return result
    }

    /// Turns scaled units into their base ("half dozen" → 0.5 dozen) and gives a unit without a quantity one.
    func normalized(_ amount: Amount) -> Amount {
        guard let unit = amount.unit else { return amount }
        if let scaled = scaled[unit] {
            return Amount(quantity: (amount.quantity ?? 1) * scaled.by, unit: scaled.unit)
        }
        return Amount(quantity: amount.quantity ?? 1, unit: unit)
    }

    /// The family and factor of a unit; a plain count is the `count` family with factor 1.
    func measure(_ unit: String?) -> (family: String, factor: Double)? {
        guard let unit else { return ("count", 1) }
        guard let known = units[unit], let family = known.family else { return nil }
        return (family, known.factor)
    }

    /// The unit's spoken name for `quantity`.
    func name(of unit: String, quantity: Double) -> String {
        guard let known = units[unit] else { return unit }
        return quantity == 1 ? known.one : known.other
    }

    /// True when "of" goes between the unit and the item.
    func takesOf(_ unit: String) -> Bool { units[unit]?.takesOf ?? true }
}

/// A data file of the skill that cannot be used.
struct ShoppingDataError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How two amounts of the same item combine on the list.
enum AmountMerge {
    /// What happened to the existing row.
    enum Outcome: String, Sendable {
        /// Nothing new was said: the row stays as it was.
        case unchanged
        /// The amounts were added up.
        case increased
        /// The new amount replaced the old one (the old had none, or the units do not convert).
        case replaced
    }

    /// Combines `existing` and `new`: summed when the units agree or convert, else the new amount wins.
    static func merge(_ existing: Amount, _ new: Amount, units: ShoppingUnits) -> (Amount, Outcome) {
        if new.isEmpty { return (existing, .unchanged) }
        if existing.isEmpty { return (new, .replaced) }
        let oldQuantity = existing.quantity ?? 1
        let newQuantity = new.quantity ?? 1
        if existing.unit == new.unit {
            return (Amount(quantity: oldQuantity + newQuantity, unit: existing.unit), .increased)
        }
        guard let old = units.measure(existing.unit), let added = units.measure(new.unit), old.family == added.family
        else { return (new, .replaced) }
        let total = oldQuantity * old.factor + newQuantity * added.factor
        for (unit, factor) in [(existing.unit, old.factor), (new.unit, added.factor)] {
            let inUnit = total / factor
            if abs(inUnit - inUnit.rounded()) < 1e-9 { return (Amount(quantity: inUnit, unit: unit), .increased) }
        }
        let base: String? = old.family == "count" ? nil : (old.family == "volume" ? "ml" : "g")
        return (Amount(quantity: total, unit: base), .increased)
    }
}
