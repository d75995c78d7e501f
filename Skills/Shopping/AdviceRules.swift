import Foundation

/// The weather a recommendation must stand up to: from the forecast, the climate table, or the use itself.
struct AdviceConditions: Sendable, Equatable {
    /// The coldest it is likely to be, °C; nil when unknown (then warmth does not decide).
    var low: Double?
    /// The warmest, °C, when known.
    var high: Double?
    /// Rain or snow is likely.
    var wet = false
    /// Snow is likely.
    var snow = false
    /// The season (northern hemisphere), when a month is known.
    var season: String?

    /// The season of a month (1–12).
    static func season(ofMonth month: Int) -> String {
        switch month {
        case 3...5: "spring"
        case 6...8: "summer"
        case 9...11: "autumn"
        default: "winter"
        }
    }
}

/// What advice knows beyond the catalogue (`data/advice.yaml`): the weather some uses bring wherever they are
/// ("boots for snow"), and when a month or a forecast counts as wet.
struct AdviceRules: Sendable {
    /// Use → the conditions it brings; such a use is not asked where and when.
    var useConditions: [String: AdviceConditions]
    /// A month with at least this many wet days in the climate table is wet.
    var wetDaysThreshold: Int
    /// A month with at least this many snow days in the climate table has snow.
    var snowDaysThreshold: Int
    /// A forecast day with at least this chance (%) of rain or snow is wet.
    var wetChanceThreshold: Double

    /// Reads the rules; a value of the wrong shape is an error naming the file.
    static func load(path: String) throws -> AdviceRules {
        let root = try ShoppingDataFile.load(path, as: [String: Any].self, expecting: "a mapping")
        var uses: [String: AdviceConditions] = [:]
        for (use, value) in root["use_conditions"] as? [String: Any] ?? [:] {
            guard let fields = value as? [String: Any] else {
                throw ShoppingDataError("\(path): use_conditions.\(use) must be a mapping of low, wet and snow")
            }
            uses[use.lowercased()] = AdviceConditions(
                low: ShoppingDataFile.number(fields["low"]), wet: fields["wet"] as? Bool ?? false,
                snow: fields["snow"] as? Bool ?? false)
        }
        guard let wetDays = root["wet_days_threshold"] as? Int, let snowDays = root["snow_days_threshold"] as? Int,
            let wetChance = ShoppingDataFile.number(root["wet_chance_threshold"])
        else {
            throw ShoppingDataError("\(path): needs wet_days_threshold, snow_days_threshold and wet_chance_threshold")
        }
        return AdviceRules(
            useConditions: uses, wetDaysThreshold: wetDays, snowDaysThreshold: snowDays, wetChanceThreshold: wetChance)
    }

    /// The conditions of a typical month at a place.
    func conditions(_ month: ClimateTable.Month, monthNumber: Int) -> AdviceConditions {
        AdviceConditions(
            low: month.low, high: month.high, wet: month.wetDays >= wetDaysThreshold,
            snow: month.snowDays >= snowDaysThreshold,
            season: AdviceConditions.season(ofMonth: monthNumber))
    }
}
