import Foundation

/// The slot types that Hark reads from words without a list: numbers, percentages, temperatures, dates, times and
/// durations.
public enum BuiltinSlotType: String, Sendable, Hashable, CaseIterable, Codable {
    /// `twenty five`, `25`, `3.5`, `two and a half`, `a hundred`.
    case number
    /// `fifty percent`, `50%` (the word "percent" is optional).
    case percentage
    /// `21 degrees`, `seventy two fahrenheit`, `20.5 °C`.
    case temperature
    /// `today`, `tomorrow`, `friday`, `next friday`, `this weekend`, `on the 3rd`, `march third`.
    case date
    /// `seven thirty`, `7 pm`, `noon`, `half past six`, `quarter to eight`, `19:45`.
    case time
    /// `ten minutes`, `an hour and a half`, `90 seconds`, `two hours and five minutes`.
    case duration

    /// Every reading of `words` starting at `start`: `(end, value)` pairs (end exclusive), in a stable order.
    func read(_ words: [String], from start: Int, reference: DateReference) -> [(end: Int, value: SlotValue)] {
        guard start < words.count else { return [] }
        switch self {
        case .number:
            return NumberWords.readCardinal(words, from: start).map { ($0.end, .number($0.value)) }
        case .percentage:
            return QuantityReader.percentages(words, from: start)
        case .temperature:
            return QuantityReader.temperatures(words, from: start)
        case .duration:
            return QuantityReader.durations(words, from: start)
        case .time:
            return TimeReader.times(words, from: start)
        case .date:
            return DateReader.dates(words, from: start, reference: reference)
        }
    }
}

/// "Now" for reading relative dates: a day and the calendar (with its time zone) to count days in.
struct DateReference: Sendable {
    let now: Date
    let calendar: Calendar
    let today: CalendarDay

    init(now: Date, calendar: Calendar) {
        self.now = now
        self.calendar = calendar
        self.today = CalendarDay(now, calendar: calendar)
    }

    /// Today plus `days` days.
    func day(offset days: Int) -> CalendarDay {
        let start = calendar.startOfDay(for: now)
        // Noon avoids daylight-saving edges when adding days.
        let noon = calendar.date(byAdding: .hour, value: 12, to: start) ?? start
        let date = calendar.date(byAdding: .day, value: days, to: noon) ?? noon
        return CalendarDay(date, calendar: calendar)
    }

    /// Today's weekday, 1 = Sunday … 7 = Saturday.
    var weekday: Int { calendar.component(.weekday, from: now) }

    /// Days from today to the next `weekday` (0 when today is that day).
    func daysUntil(weekday target: Int) -> Int { (target - weekday + 7) % 7 }

    /// Days from today to the coming Monday that starts next week (weeks run Monday–Sunday).
    var daysUntilNextMonday: Int {
        let untilMonday = daysUntil(weekday: 2)
        return untilMonday == 0 ? 7 : untilMonday
    }

    func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let components = DateComponents(year: year, month: month, day: 1)
        guard let first = calendar.date(from: components),
            let range = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return range.contains(day)
    }
}

/// Reads percentages, temperatures and durations.
enum QuantityReader {
    static func percentages(_ words: [String], from start: Int) -> [(end: Int, value: SlotValue)] {
        var results: [(end: Int, value: SlotValue)] = []
        for (end, value) in NumberWords.readCardinal(words, from: start) {
            results.append((end, .percentage(value)))
            if end < words.count, words[end] == "percent" || words[end] == "percentage" {
                results.append((end + 1, .percentage(value)))
            } else if end + 1 < words.count, words[end] == "per", words[end + 1] == "cent" {
                results.append((end + 2, .percentage(value)))
            }
        }
        return results
    }

    static let temperatureUnits: [String: TemperatureUnit] = [
        "celsius": .celsius, "centigrade": .celsius, "c": .celsius, "fahrenheit": .fahrenheit, "f": .fahrenheit,
        "kelvin": .kelvin,
    ]

    static func temperatures(_ words: [String], from start: Int) -> [(end: Int, value: SlotValue)] {
        var results: [(end: Int, value: SlotValue)] = []
        for (end, value) in NumberWords.readCardinal(words, from: start) {
            results.append((end, .temperature(value: value, unit: nil)))
            var next = end
            if next < words.count, words[next] == "degrees" || words[next] == "degree" {
                next += 1
                results.append((next, .temperature(value: value, unit: nil)))
            }
            if next < words.count, let unit = temperatureUnits[words[next]] {
                // A bare "c"/"f" right after the number is too ambiguous; it needs "degrees" before it.
                if next > end || words[next].count > 1 {
                    results.append((next + 1, .temperature(value: value, unit: unit)))
                }
            }
        }
        return results
    }

    static let durationUnits: [String: Double] = [
        "second": 1, "seconds": 1, "sec": 1, "secs": 1, "minute": 60, "minutes": 60, "min": 60, "mins": 60,
        "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "day": 86_400, "days": 86_400,
        "week": 604_800, "weeks": 604_800,
    ]

    /// One `amount unit` part: `(end, seconds, unit size)`.
    private static func durationParts(_ words: [String], from start: Int) -> [(Int, Double, Double)] {
        var results: [(Int, Double, Double)] = []
        func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
        func halfAfter(_ end: Int) -> Bool { word(end) == "and" && word(end + 1) == "a" && word(end + 2) == "half" }
        // half an hour / half a minute
        if word(start) == "half", word(start + 1) == "an" || word(start + 1) == "a",
            let unit = word(start + 2).flatMap({ durationUnits[$0] })
        {
            results.append((start + 3, unit / 2, unit))
        }
        // a quarter of an hour / three quarters of an hour
        var quarterStart = start
        var quarters = 0.0
        if word(start) == "a" || word(start) == "one", word(start + 1) == "quarter" {
            quarters = 1
            quarterStart = start + 2
        } else if word(start) == "three", word(start + 1) == "quarters" {
            quarters = 3
            quarterStart = start + 2
        }
        if quarters > 0, word(quarterStart) == "of", word(quarterStart + 1) == "an" || word(quarterStart + 1) == "a",
            let unit = word(quarterStart + 2).flatMap({ durationUnits[$0] })
        {
            results.append((quarterStart + 3, unit * quarters / 4, unit))
        }
        // an hour [and a half]
        if word(start) == "a" || word(start) == "an", let unit = word(start + 1).flatMap({ durationUnits[$0] }) {
            results.append((start + 2, unit, unit))
            if halfAfter(start + 2) { results.append((start + 5, unit * 1.5, unit)) }
        }
        for (end, amount) in NumberWords.readCardinal(words, from: start) where amount > 0 {
            guard let unit = word(end).flatMap({ durationUnits[$0] }) else { continue }
            results.append((end + 1, amount * unit, unit))
            if halfAfter(end + 1) { results.append((end + 4, (amount + 0.5) * unit, unit)) }
        }
        return results
    }

    static func durations(_ words: [String], from start: Int) -> [(end: Int, value: SlotValue)] {
        var results: [(end: Int, value: SlotValue)] = []
        var frontier: [(end: Int, seconds: Double, unit: Double)] = durationParts(words, from: start)
            .map { ($0.0, $0.1, $0.2) }
        var rounds = 0
        while !frontier.isEmpty && rounds < 4 {
            var next: [(end: Int, seconds: Double, unit: Double)] = []
            for item in frontier {
                results.append((item.end, .duration(seconds: item.seconds)))
                // "two hours and five minutes", "one hour, ten minutes", "1 hour 30 minutes"
                var partStart = item.end
                if partStart < words.count, words[partStart] == "and" { partStart += 1 }
                for (end, seconds, unit) in durationParts(words, from: partStart) where unit < item.unit {
                    next.append((end, item.seconds + seconds, unit))
                }
            }
            frontier = next
            rounds += 1
        }
        return results
    }
}

/// Reads times of day.
enum TimeReader {
    private static func meridiem(_ words: [String], from start: Int) -> [(end: Int, pm: Bool)] {
        func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
        switch word(start) {
        case "am": return [(start + 1, false)]
        case "pm": return [(start + 1, true)]
        case "a" where word(start + 1) == "m": return [(start + 2, false)]
        case "p" where word(start + 1) == "m": return [(start + 2, true)]
        case "in" where word(start + 1) == "the":
            switch word(start + 2) {
            case "morning": return [(start + 3, false)]
            case "afternoon", "evening": return [(start + 3, true)]
            default: return []
            }
        case "at" where word(start + 1) == "night": return [(start + 2, true)]
        case "tonight": return [(start + 1, true)]
        default: return []
        }
    }

    /// Adds the readings with am/pm after `end` to `results`, and the plain reading.
    private static func appendWithMeridiem(
        _ results: inout [(end: Int, value: SlotValue)],
        _ words: [String],
        end: Int,
        hour: Int,
        minute: Int
    ) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return }
        results.append((end, .time(hour: hour, minute: minute)))
        guard (1...12).contains(hour) else { return }
        for (suffixEnd, pm) in meridiem(words, from: end) {
            let adjusted = pm ? (hour == 12 ? 12 : hour + 12) : (hour == 12 ? 0 : hour)
            results.append((suffixEnd, .time(hour: adjusted, minute: minute)))
        }
    }

    private static func hours(_ words: [String], from start: Int) -> [(end: Int, value: Int)] {
        NumberWords.readCardinal(words, from: start, limit: 2).compactMap { reading in
            guard reading.value == reading.value.rounded(), (0...24).contains(reading.value) else { return nil }
            return (reading.end, Int(reading.value) % 24)
        }
    }

    private static func minutes(_ words: [String], from start: Int) -> [(end: Int, value: Int)] {
        guard start < words.count else { return [] }
        if words[start] == "oh" || words[start] == "zero", start + 1 < words.count,
            let digit = NumberWords.unitValues[words[start + 1]], (1...9).contains(digit)
        {
            return [(start + 2, digit)]
        }
        return NumberWords.readCardinal(words, from: start, limit: 2).compactMap { reading in
            guard reading.value == reading.value.rounded(), (10...59).contains(reading.value) else { return nil }
            return (reading.end, Int(reading.value))
        }
    }

    static func times(_ words: [String], from start: Int) -> [(end: Int, value: SlotValue)] {
        var results: [(end: Int, value: SlotValue)] = []
        func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
        switch word(start) {
        case "noon", "midday": results.append((start + 1, .time(hour: 12, minute: 0)))
        case "midnight": results.append((start + 1, .time(hour: 0, minute: 0)))
        default: break
        }
        // H, H o'clock, H MM, H oh M, H hundred
        for (hourEnd, hour) in hours(words, from: start) {
            appendWithMeridiem(&results, words, end: hourEnd, hour: hour, minute: 0)
            if word(hourEnd) == "o'clock" {
                appendWithMeridiem(&results, words, end: hourEnd + 1, hour: hour, minute: 0)
            } else if word(hourEnd) == "hundred", hour >= 10 || word(start) == "zero" || word(start) == "oh" {
                results.append((hourEnd + 1, .time(hour: hour, minute: 0)))
                if word(hourEnd + 1) == "hours" { results.append((hourEnd + 2, .time(hour: hour, minute: 0))) }
            }
            for (minuteEnd, minute) in minutes(words, from: hourEnd) {
                appendWithMeridiem(&results, words, end: minuteEnd, hour: hour, minute: minute)
            }
        }
        // half past H, [a] quarter past/to H, MM [minutes] past/to/after/before H
        var offsets: [(end: Int, minutes: Int)] = []
        if word(start) == "half" { offsets.append((start + 1, 30)) }
        if word(start) == "quarter" { offsets.append((start + 1, 15)) }
        if word(start) == "a", word(start + 1) == "quarter" { offsets.append((start + 2, 15)) }
        for (end, value) in NumberWords.readCardinal(words, from: start, limit: 2)
        where value == value.rounded() && (1...59).contains(value) {
            offsets.append((end, Int(value)))
            if word(end) == "minutes" || word(end) == "minute" { offsets.append((end + 1, Int(value))) }
        }
        for (end, minutes) in offsets {
            guard let relation = word(end) else { continue }
            let sign: Int
            switch relation {
            case "past", "after": sign = 1
            case "to", "before", "till", "til": sign = -1
            default: continue
            }
            if sign < 0 && minutes == 30 { continue }
            for (hourEnd, hour) in hours(words, from: end + 1) where hour <= 12 {
                let total = (hour * 60 + sign * minutes + 24 * 60) % (24 * 60)
                let resultHour = total / 60
                appendWithMeridiem(
                    &results,
                    words,
                    end: hourEnd,
                    hour: resultHour == 0 && hour != 0 ? 12 : resultHour,
                    minute: total % 60
                )
            }
        }
        return results
    }
}

/// Reads dates relative to a reference day.
enum DateReader {
    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    static func dates(_ words: [String], from start: Int, reference: DateReference) -> [(end: Int, value: SlotValue)] {
        var results = datesWithoutOn(words, from: start, reference: reference)
        if start < words.count, words[start] == "on" {
            results += datesWithoutOn(words, from: start + 1, reference: reference)
        }
        return results
    }

    private static func single(_ end: Int, _ day: CalendarDay) -> (end: Int, value: SlotValue) {
        (end, .date(DateRange(day: day)))
    }

    private static func datesWithoutOn(
        _ words: [String],
        from start: Int,
        reference: DateReference
    )
        -> [(end: Int, value: SlotValue)]
    {
        var results: [(end: Int, value: SlotValue)] = []
        func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
        func sequence(_ index: Int, _ expected: [String]) -> Bool {
            expected.enumerated().allSatisfy { word(index + $0.offset) == $0.element }
        }
        switch word(start) {
        case "today", "tonight": results.append(single(start + 1, reference.today))
        case "tomorrow": results.append(single(start + 1, reference.day(offset: 1)))
        case "yesterday": results.append(single(start + 1, reference.day(offset: -1)))
        default: break
        }
        for (prefix, offset) in [
            (["the", "day", "after", "tomorrow"], 2), (["day", "after", "tomorrow"], 2),
            (["the", "day", "before", "yesterday"], -2), (["day", "before", "yesterday"], -2),
        ]
        where sequence(start, prefix) {
            results.append(single(start + prefix.count, reference.day(offset: offset)))
        }

        // [this|next|coming] weekday, [this|next|the] weekend, this/next week
        var modifierEnd = start
        var modifier = ""
        if let first = word(start), ["this", "next", "coming", "the"].contains(first) {
            modifier = first
            modifierEnd = start + 1
            if first == "the", word(start + 1) == "coming" {
                modifier = "coming"
                modifierEnd = start + 2
            }
        }
        if let name = word(modifierEnd), let index = weekdays.firstIndex(of: name), modifier != "the" {
            var days = reference.daysUntil(weekday: index + 1)
            if modifier == "next" {
                if days == 0 { days = 7 }
                if days < reference.daysUntilNextMonday { days += 7 }
            }
            results.append(single(modifierEnd + 1, reference.day(offset: days)))
        }
        if word(modifierEnd) == "weekend", modifier != "coming" {
            // This weekend: the coming Saturday and Sunday (on a Sunday, just today); next weekend: a week later.
            let saturday = reference.weekday == 1 ? -1 : reference.daysUntil(weekday: 7)
            let range =
                modifier == "next"
                ? DateRange(start: reference.day(offset: saturday + 7), end: reference.day(offset: saturday + 8))
                : DateRange(start: reference.day(offset: max(0, saturday)), end: reference.day(offset: saturday + 1))
            results.append((modifierEnd + 1, .date(range)))
        }
        if word(modifierEnd) == "week", modifier == "this" || modifier == "next" {
            let nextMonday = reference.daysUntilNextMonday
            let range =
                modifier == "this"
                ? DateRange(start: reference.today, end: reference.day(offset: nextMonday - 1))
                : DateRange(start: reference.day(offset: nextMonday), end: reference.day(offset: nextMonday + 6))
            results.append((modifierEnd + 1, .date(range)))
        }

        // in N days / in N weeks / in a week
        if word(start) == "in" {
            var amounts = NumberWords.readCardinal(words, from: start + 1, limit: 4).filter {
                $0.value == $0.value.rounded() && $0.value >= 0 && $0.value < 1000
            }
            if word(start + 1) == "a" { amounts.append((start + 2, 1)) }
            for (end, amount) in amounts {
                switch word(end) {
                case "day", "days": results.append(single(end + 1, reference.day(offset: Int(amount))))
                case "week", "weeks": results.append(single(end + 1, reference.day(offset: Int(amount) * 7)))
                default: break
                }
            }
        }

        // [the] ORD [of MONTH], MONTH ORD|N
        let ordinalStart = word(start) == "the" ? start + 1 : start
        for (end, day) in NumberWords.readOrdinal(words, from: ordinalStart) where (1...31).contains(day) {
            if word(end) == "of", let month = word(end + 1).flatMap({ months.firstIndex(of: $0) }) {
                if let date = monthDay(month: month + 1, day: day, reference: reference) {
                    results.append(single(end + 2, date))
                }
            } else if ordinalStart > start || word(start) == "the" {
                if let date = dayOfMonth(day, reference: reference) { results.append(single(end, date)) }
            }
        }
        if let month = word(start).flatMap({ months.firstIndex(of: $0) }) {
            var days: [(end: Int, value: Int)] = NumberWords.readOrdinal(words, from: start + 1)
            if word(start + 1) == "the" { days += NumberWords.readOrdinal(words, from: start + 2) }
            days += NumberWords.readCardinal(words, from: start + 1, limit: 2).compactMap {
                $0.value == $0.value.rounded() ? ($0.end, Int($0.value)) : nil
            }
            for (end, day) in days where (1...31).contains(day) {
                if let date = monthDay(month: month + 1, day: day, reference: reference) {
                    results.append(single(end, date))
                }
            }
        }
        return results
    }

    /// The next `day` of a month on or after today (this month or the following ones).
    private static func dayOfMonth(_ day: Int, reference: DateReference) -> CalendarDay? {
        var year = reference.today.year
        var month = reference.today.month
        if day < reference.today.day { month += 1 }
        for _ in 0..<12 {
            if month > 12 {
                month = 1
                year += 1
            }
            if reference.isValid(year: year, month: month, day: day) {
                return CalendarDay(year: year, month: month, day: day)
            }
            month += 1
        }
        return nil
    }

    /// `month`/`day` this year, or next year when that day has passed.
    private static func monthDay(month: Int, day: Int, reference: DateReference) -> CalendarDay? {
        let today = reference.today
        var year = today.year
        if (month, day) < (today.month, today.day) { year += 1 }
        for candidate in [year, year + 1, year + 2, year + 3, year + 4]
        where reference.isValid(year: candidate, month: month, day: day) {
            return CalendarDay(year: candidate, month: month, day: day)
        }
        return nil
    }
}
