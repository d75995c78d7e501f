import Foundation
import HarkSkillKit
import HarkUnderstanding

/// What a user can ask about beyond the general forecast (the `condition` slot's canonical values).
enum WeatherCondition: String, Sendable, CaseIterable {
    case rain, umbrella, snow, sun, cloud, wind, cold, hot, storm, temperature
}

/// Turns forecasts into spoken answers with the skill's response templates: summaries of a day or of
/// several days, yes/no answers to condition questions with the figure that decides them, and the
/// words for WMO weather codes, days and units.
struct WeatherSpeech {
    let responses: ResponseTemplates
    let units: WeatherSettings.Units
    /// The user's today: "tomorrow" and "on Friday" are counted from it.
    let today: CalendarDay

    /// Thresholds of the yes/no answers, in metric units (imperial figures are converted first).
    enum Threshold {
        /// A day is rainy from this chance of precipitation (percent)…
        static let rainChance = 50.0
        /// …or, when the chance is unknown, from this much precipitation (mm).
        static let rainAmount = 1.0
        /// Windy from this highest wind speed (km/h).
        static let windy = 30.0
        /// Cold when the day's high stays below this (°C).
        static let coldHigh = 10.0
        /// Hot when the day's high reaches this (°C).
        static let hotHigh = 25.0
    }

    private static let rainCodes: Set<Int> = [51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 80, 81, 82, 95, 96, 99]
    private static let snowCodes: Set<Int> = [71, 73, 75, 77, 85, 86]
    private static let stormCodes: Set<Int> = [95, 96, 99]

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    // MARK: Summaries

    /// The forecast of `days` (at least one, all covered by `forecast`). `includeNow` adds the current
    /// weather to a one-day answer about the place's today.
    func summary(_ forecast: Forecast, days: [DayForecast], includeNow: Bool) throws -> String {
        let place = forecast.place.name
        if days.count == 1 {
            let day = days[0]
            if includeNow, let current = forecast.current, let temperature = current.temperature,
                let high = day.high, let low = day.low
            {
                return try responses.render(
                    "today_summary",
                    [
                        "place": place, "temperature": spokenTemperature(temperature),
                        "current": try words(for: current.code), "condition": try words(for: day.code),
                        "high": spokenTemperature(high), "low": spokenTemperature(low), "rain": try rainClause(day),
                    ])
            }
            guard let high = day.high, let low = day.low else {
                return try responses.render(
                    "day_summary_short",
                    ["place": place, "day": try phrase(for: day.day), "condition": try words(for: day.code)])
            }
            return try responses.render(
                "day_summary",
                [
                    "place": place, "day": try phrase(for: day.day), "condition": try words(for: day.code),
                    "high": spokenTemperature(high), "low": spokenTemperature(low), "rain": try rainClause(day),
                ])
        }
        let parts = try days.map { day in
            try responses.render(
                "day_part",
                [
                    "weekday": weekday(day.day), "condition": try words(for: day.code),
                    "high": day.high.map(spokenTemperature) ?? "?", "low": day.low.map(spokenTemperature) ?? "?",
                    "rain": try rainClause(day, short: true),
                ])
        }
        return try responses.render(
            "days_summary",
            ["place": place, "days_phrase": try phrase(for: days.map(\.day)), "days": parts.joined(separator: "; ")])
    }

    /// How warm or cold it is or will be on `days`.
    func temperatures(_ forecast: Forecast, days: [DayForecast], includeNow: Bool) throws -> String {
        let place = forecast.place.name
        if days.count == 1 {
            let day = days[0]
            let high = day.high.map(spokenTemperature) ?? "?"
            let low = day.low.map(spokenTemperature) ?? "?"
            if includeNow, let temperature = forecast.current?.temperature {
                return try responses.render(
                    "temperature_now",
                    ["place": place, "temperature": spokenTemperature(temperature), "high": high, "low": low])
            }
            return try responses.render(
                "temperature_day", ["place": place, "day": try phrase(for: day.day), "high": high, "low": low])
        }
        let parts = try days.map { day in
            try responses.render(
                "temperature_part",
                [
                    "weekday": weekday(day.day), "high": day.high.map(spokenTemperature) ?? "?",
                    "low": day.low.map(spokenTemperature) ?? "?",
                ])
        }
        return try responses.render(
            "temperature_days",
            ["place": place, "days_phrase": try phrase(for: days.map(\.day)), "days": parts.joined(separator: "; ")])
    }

    /// A note on the chance of rain when it is worth mentioning (20 percent or more), else nothing.
    /// Snow instead of rain on a snowy day.
    private func rainClause(_ day: DayForecast, short: Bool = false) throws -> String {
        guard let chance = day.precipitationChance, chance >= 20 else { return "" }
        let kind = Self.snowCodes.contains(day.code ?? -1) ? "snow" : "rain"
        return try responses.render(kind + (short ? "_clause_short" : "_clause"), ["chance": percent(chance)])
    }

    // MARK: Yes/no questions

    /// The answer to "will it `condition`" over `days`: yes when any day qualifies (naming those days),
    /// with the figure of the day that decides.
    func answer(_ condition: WeatherCondition, _ forecast: Forecast, days: [DayForecast]) throws -> String {
        let verdicts = try days.map { (day: $0, verdict: try verdict(condition, $0)) }
        let yes = verdicts.filter { $0.verdict.outcome == .yes }
        let partly = verdicts.filter { $0.verdict.outcome == .partly }
        let outcome: Verdict.Outcome
        let deciding: [(day: DayForecast, verdict: Verdict)]
        if !yes.isEmpty {
            (outcome, deciding) = (.yes, yes)
        } else if !partly.isEmpty {
            (outcome, deciding) = (.partly, partly)
        } else {
            (outcome, deciding) = (.no, verdicts)
        }
        let strongest = deciding.max { $0.verdict.strength < $1.verdict.strength }!
        let phraseDays = deciding.count == days.count ? days.map(\.day) : deciding.map(\.day.day)
        let key = condition.rawValue + "_" + outcome.rawValue
        return try responses.render(
            key,
            ["place": forecast.place.name, "day": try phrase(for: phraseDays), "figure": strongest.verdict.figure])
    }

    /// One day's yes, partly or no for a condition, how strongly, and the figure to say.
    struct Verdict {
        enum Outcome: String { case yes, partly, no }
        var outcome: Outcome
        var strength: Double
        var figure: String
    }

    private func verdict(_ condition: WeatherCondition, _ day: DayForecast) throws -> Verdict {
        let code = day.code ?? -1
        switch condition {
        case .rain, .umbrella:
            let chance = day.precipitationChance
            let amount = day.precipitation.map(millimetres)
            let likely =
                chance.map { $0 >= Threshold.rainChance }
                ?? (amount.map { $0 >= Threshold.rainAmount } ?? Self.rainCodes.contains(code))
            let strength = chance ?? (amount.map { $0 * 10 } ?? 0)
            return Verdict(outcome: likely ? .yes : .no, strength: strength, figure: try rainFigure(day))
        case .snow:
            return try codeVerdict(day, matches: Self.snowCodes)
        case .storm:
            return try codeVerdict(day, matches: Self.stormCodes)
        case .sun:
            let outcome: Verdict.Outcome = code == 0 || code == 1 ? .yes : (code == 2 ? .partly : .no)
            let strength = code == 0 ? 3.0 : (code == 1 ? 2 : (code == 2 ? 1 : 0))
            return Verdict(outcome: outcome, strength: strength, figure: try words(for: day.code))
        case .cloud:
            let outcome: Verdict.Outcome = [3, 45, 48].contains(code) ? .yes : (code == 2 ? .partly : .no)
            let strength = code == 3 ? 3.0 : (code == 2 ? 1 : 0)
            return Verdict(outcome: outcome, strength: strength, figure: try words(for: day.code))
        case .wind:
            let speed = day.windMax ?? 0
            let windy = kilometresPerHour(speed) >= Threshold.windy
            let figure = try responses.render("figure_wind", ["speed": try spokenSpeed(speed)])
            return Verdict(outcome: windy ? .yes : .no, strength: speed, figure: figure)
        case .cold, .hot, .temperature:
            let high = day.high ?? 0
            let figure = try responses.render(
                "figure_temperatures",
                ["high": spokenTemperature(high), "low": day.low.map(spokenTemperature) ?? "?"])
            let cold = celsius(high) < Threshold.coldHigh
            let hot = celsius(high) >= Threshold.hotHigh
            let yes = condition == .cold ? cold : hot
            return Verdict(outcome: yes ? .yes : .no, strength: condition == .cold ? -high : high, figure: figure)
        }
    }

    /// Yes when the day's weather code is one of `codes`; the figure is the weather and the chance of
    /// precipitation.
    private func codeVerdict(_ day: DayForecast, matches codes: Set<Int>) throws -> Verdict {
        let matches = codes.contains(day.code ?? -1)
        let conditions = try words(for: day.code)
        let figure =
            try day.precipitationChance.map {
                try responses.render("figure_condition_chance", ["condition": conditions, "chance": percent($0)])
            } ?? conditions
        let strength = (matches ? 100 : 0) + (day.precipitationChance ?? 0)
        return Verdict(outcome: matches ? .yes : .no, strength: strength, figure: figure)
    }

    private func rainFigure(_ day: DayForecast) throws -> String {
        let amount = try day.precipitation.flatMap(spokenAmount)
        switch (day.precipitationChance, amount) {
        case (let chance?, let amount?):
            return try responses.render("figure_chance_amount", ["chance": percent(chance), "amount": amount])
        case (let chance?, nil):
            return try responses.render("figure_chance", ["chance": percent(chance)])
        case (nil, let amount?):
            return try responses.render("figure_amount", ["amount": amount])
        case (nil, nil):
            return try words(for: day.code)
        }
    }

    // MARK: Words

    /// The words for a WMO weather code (`wmo_61` → "light rain").
    func words(for code: Int?) throws -> String {
        guard let code, responses.has("wmo_\(code)") else { return try responses.render("wmo_unknown") }
        return try responses.render("wmo_\(code)")
    }

    /// "today", "tomorrow", "on Friday" (counted from the user's today).
    func phrase(for day: CalendarDay) throws -> String {
        switch Self.offset(from: today, to: day) {
        case 0: return try responses.render("day_today")
        case 1: return try responses.render("day_tomorrow")
        default: return try responses.render("day_weekday", ["weekday": weekday(day)])
        }
    }

    /// A phrase for several days: one day's phrase, "this weekend", or "from Friday to Monday".
    func phrase(for days: [CalendarDay]) throws -> String {
        guard let first = days.first, let last = days.last else { return "" }
        if days.count == 1 { return try phrase(for: first) }
        let consecutive = Self.offset(from: first, to: last) == days.count - 1
        if consecutive, days.count == 2, Self.weekdayNumber(first) == 7 {
            return try responses.render("days_weekend")
        }
        if consecutive {
            return try responses.render("days_range", ["first": weekday(first), "last": weekday(last)])
        }
        return SpokenText.list(try days.map { try phrase(for: $0) })
    }

    /// "Friday".
    func weekday(_ day: CalendarDay) -> String {
        Self.calendar.weekdaySymbols[Self.weekdayNumber(day) - 1]
    }

    /// A temperature as spoken: "7", "minus 2".
    func spokenTemperature(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        if rounded < 0, let minus = try? responses.render("minus", ["n": String(-rounded)]) { return minus }
        return String(rounded)
    }

    private func spokenSpeed(_ value: Double) throws -> String {
        try responses.render(units == .metric ? "speed_metric" : "speed_imperial", ["n": String(Int(value.rounded()))])
    }

    /// "6 millimetres", "0.3 inches"; nil when there is next to nothing.
    private func spokenAmount(_ value: Double) throws -> String? {
        switch units {
        case .metric:
            let rounded = Int(value.rounded())
            guard rounded >= 1 else { return nil }
            return try responses.render(rounded == 1 ? "amount_metric_one" : "amount_metric", ["n": String(rounded)])
        case .imperial:
            let tenths = (value * 10).rounded() / 10
            guard tenths >= 0.1 else { return nil }
            return try responses.render(
                tenths == 1 ? "amount_imperial_one" : "amount_imperial", ["n": SpokenText.number(tenths)])
        }
    }

    private func percent(_ value: Double) -> String { String(Int(value.rounded())) }

    private func celsius(_ value: Double) -> Double { units == .metric ? value : (value - 32) * 5 / 9 }
    private func kilometresPerHour(_ value: Double) -> Double { units == .metric ? value : value * 1.609344 }
    private func millimetres(_ value: Double) -> Double { units == .metric ? value : value * 25.4 }

    // MARK: Days

    /// Whole days from `a` to `b`.
    static func offset(from a: CalendarDay, to b: CalendarDay) -> Int {
        guard let start = calendar.date(from: a.dateComponents), let end = calendar.date(from: b.dateComponents) else {
            return 0
        }
        return calendar.dateComponents([.day], from: start, to: end).day ?? 0
    }

    /// The day `count` days after `day`.
    static func day(_ day: CalendarDay, plus count: Int) -> CalendarDay {
        guard let date = calendar.date(from: day.dateComponents),
            let moved = calendar.date(byAdding: .day, value: count, to: date)
        else { return day }
        return CalendarDay(moved, calendar: calendar)
    }

    /// 1 for Sunday … 7 for Saturday.
    static func weekdayNumber(_ day: CalendarDay) -> Int {
        guard let date = calendar.date(from: day.dateComponents) else { return 1 }
        return calendar.component(.weekday, from: date)
    }
}
