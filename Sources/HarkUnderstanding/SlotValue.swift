import Foundation

/// A calendar day without a time or time zone (proleptic Gregorian year, month 1–12, day 1–31).
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, e.g. 2025.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// Creates a day.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day that contains `date` in `calendar` (its time zone decides where the day starts).
    public init(_ date: Date, calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year).leftPadded(to: 4)
        return "\(y)-\(String(month).leftPadded(to: 2))-\(String(day).leftPadded(to: 2))"
    }

    /// These components as `DateComponents` (year, month, day).
    public var dateComponents: DateComponents { DateComponents(year: year, month: month, day: day) }

    /// Orders days chronologically.
    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, got \(text)")
            )
        }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An inclusive range of calendar days; a single day has `start == end`.
public struct DateRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The first day.
    public let start: CalendarDay
    /// The last day (inclusive).
    public let end: CalendarDay

    /// A range from `start` to `end` inclusive.
    public init(start: CalendarDay, end: CalendarDay) {
        self.start = start
        self.end = end
    }

    /// One day.
    public init(day: CalendarDay) {
        self.init(start: day, end: day)
    }

    /// True when the range is one day.
    public var isSingleDay: Bool { start == end }

    /// `YYYY-MM-DD` or `YYYY-MM-DD/YYYY-MM-DD` (ISO 8601 interval).
    public var description: String { isSingleDay ? start.description : "\(start)/\(end)" }
}

/// A temperature unit.
public enum TemperatureUnit: String, Sendable, Hashable, Codable {
    /// Degrees Celsius.
    case celsius
    /// Degrees Fahrenheit.
    case fahrenheit
    /// Kelvin.
    case kelvin

    var symbol: String {
        switch self {
        case .celsius: return "°C"
        case .fahrenheit: return "°F"
        case .kelvin: return "K"
        }
    }
}

/// The canonical value of a slot after matching: list outputs, parsed numbers, dates, times, durations.
///
/// The JSON form (Codable) is stable: an object with a `type` and the fields of that type, e.g.
/// `{"type":"number","value":25}`, `{"type":"time","hour":19,"minute":45}`,
/// `{"type":"date","start":"2025-03-07","end":"2025-03-07"}`, `{"type":"duration","seconds":5400}`,
/// `{"type":"temperature","value":21,"unit":"celsius"}` (unit omitted when not said),
/// `{"type":"percentage","value":50}`, `{"type":"text","value":"milk"}`, `{"type":"list","values":[...]}`.
public enum SlotValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Free text or a list's canonical output.
    case text(String)
    /// A number.
    case number(Double)
    /// Several values (`multiple: true` slots).
    case list([SlotValue])
    /// A day or a range of days.
    case date(DateRange)
    /// A time of day, 24-hour clock when am/pm was said; hours 1–12 otherwise as spoken.
    case time(hour: Int, minute: Int)
    /// A length of time in seconds.
    case duration(seconds: Double)
    /// A temperature, with the unit if one was said.
    case temperature(value: Double, unit: TemperatureUnit?)
    /// A percentage (50 for "fifty percent").
    case percentage(Double)

    /// The canonical written form: `25`, `milk`, `2025-03-07`, `19:45`, `5400s`, `21°C`, `50%`, `[milk, eggs]`.
    public var description: String {
        switch self {
        case .text(let text): return text
        case .number(let value): return NumberWords.format(value)
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .date(let range): return range.description
        case .time(let hour, let minute): return String(hour).leftPadded(to: 2) + ":" + String(minute).leftPadded(to: 2)
        case .duration(let seconds): return NumberWords.format(seconds) + "s"
        case .temperature(let value, let unit): return NumberWords.format(value) + (unit?.symbol ?? "°")
        case .percentage(let value): return NumberWords.format(value) + "%"
        }
    }

    /// A form to speak back: `twenty five`, `seven forty five pm`, `one hour and thirty minutes`.
    public var spoken: String {
        switch self {
        case .text(let text): return text
        case .number(let value): return NumberWords.spell(value)
        case .list(let values):
            let words = values.map(\.spoken)
            guard words.count > 1 else { return words.first ?? "" }
            return words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
        case .date(let range):
            return range.isSingleDay
                ? Self.spokenDay(range.start) : "\(Self.spokenDay(range.start)) to \(Self.spokenDay(range.end))"
        case .time(let hour, let minute):
            if minute == 0 && hour == 0 { return "midnight" }
            if minute == 0 && hour == 12 { return "noon" }
            let twelve = hour % 12 == 0 ? 12 : hour % 12
            let suffix = hour > 12 ? " pm" : (hour == 0 ? " am" : "")
            if minute == 0 { return NumberWords.spell(Double(twelve)) + " o'clock" + suffix }
            let minutes = minute < 10 ? "oh " + NumberWords.spell(Double(minute)) : NumberWords.spell(Double(minute))
            return NumberWords.spell(Double(twelve)) + " " + minutes + suffix
        case .duration(let seconds): return Self.spokenDuration(seconds)
        case .temperature(let value, let unit):
            return NumberWords.spell(value) + " degrees" + (unit.map { " " + $0.rawValue } ?? "")
        case .percentage(let value): return NumberWords.spell(value) + " percent"
        }
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static func spokenDay(_ day: CalendarDay) -> String {
        let month = (1...12).contains(day.month) ? monthNames[day.month - 1] : String(day.month)
        return "\(month) \(NumberWords.spellOrdinal(day.day)) \(NumberWords.spell(Double(day.year)))"
    }

    private static func spokenDuration(_ seconds: Double) -> String {
        // A duration read from outside (a skill's answer) may be any Double: clamp, never trap.
        var rest = seconds.isFinite ? Int(min(max(seconds, 0), 1e15).rounded()) : 0
        var parts: [String] = []
        for (size, name) in [(86_400, "day"), (3600, "hour"), (60, "minute"), (1, "second")] where rest >= size {
            let count = rest / size
            rest -= count * size
            parts.append(NumberWords.spell(Double(count)) + " " + name + (count == 1 ? "" : "s"))
        }
        if parts.isEmpty { return "zero seconds" }
        guard parts.count > 1 else { return parts[0] }
        return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey {
        case type, value, values, start, end, hour, minute, seconds, unit
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text": self = .text(try container.decode(String.self, forKey: .value))
        case "number": self = .number(try container.decode(Double.self, forKey: .value))
        case "list": self = .list(try container.decode([SlotValue].self, forKey: .values))
        case "date":
            self = .date(
                DateRange(
                    start: try container.decode(CalendarDay.self, forKey: .start),
                    end: try container.decode(CalendarDay.self, forKey: .end)
                )
            )
        case "time":
            self = .time(
                hour: try container.decode(Int.self, forKey: .hour),
                minute: try container.decode(Int.self, forKey: .minute)
            )
        case "duration": self = .duration(seconds: try container.decode(Double.self, forKey: .seconds))
        case "temperature":
            self = .temperature(
                value: try container.decode(Double.self, forKey: .value),
                unit: try container.decodeIfPresent(TemperatureUnit.self, forKey: .unit)
            )
        case "percentage": self = .percentage(try container.decode(Double.self, forKey: .value))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "unknown slot value type \(type)"
            )
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .value)
        case .number(let value):
            try container.encode("number", forKey: .type)
            try container.encode(value, forKey: .value)
        case .list(let values):
            try container.encode("list", forKey: .type)
            try container.encode(values, forKey: .values)
        case .date(let range):
            try container.encode("date", forKey: .type)
            try container.encode(range.start, forKey: .start)
            try container.encode(range.end, forKey: .end)
        case .time(let hour, let minute):
            try container.encode("time", forKey: .type)
            try container.encode(hour, forKey: .hour)
            try container.encode(minute, forKey: .minute)
        case .duration(let seconds):
            try container.encode("duration", forKey: .type)
            try container.encode(seconds, forKey: .seconds)
        case .temperature(let value, let unit):
            try container.encode("temperature", forKey: .type)
            try container.encode(value, forKey: .value)
            try container.encodeIfPresent(unit, forKey: .unit)
        case .percentage(let value):
            try container.encode("percentage", forKey: .type)
            try container.encode(value, forKey: .value)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
