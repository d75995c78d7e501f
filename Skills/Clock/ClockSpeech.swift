import Foundation
import HarkSkillKit
import HarkUnderstanding

/// Times, dates and lengths of time in the words the clock skill's replies use.
enum ClockSpeech {
    /// A length in words, largest unit first, rounded to the second: "1 hour 5 minutes", "30 seconds".
    static func length(_ seconds: Double) -> String {
        parts(seconds).map { "\($0.count) \($0.unit)\($0.count == 1 ? "" : "s")" }.joined(separator: " ")
    }

    /// A length as an adjective, for a timer's label: "5 minute", "1 hour 30 minute".
    static func lengthLabel(_ seconds: Double) -> String {
        parts(seconds).map { "\($0.count) \($0.unit)" }.joined(separator: " ")
    }

    private static func parts(_ seconds: Double) -> [(count: Int, unit: String)] {
        let total = max(0, Int(seconds.rounded(.up)))
        let parts = [(total / 3600, "hour"), (total % 3600 / 60, "minute"), (total % 60, "second")].filter { $0.0 > 0 }
        return parts.isEmpty ? [(0, "second")] : parts
    }

    /// The time of day, as on a 12-hour clock: "10:05 AM".
    static func time(_ date: Date, calendar: Calendar) -> String {
        format(date, calendar: calendar, "h:mm a")
    }

    /// A full date: "Thursday, January 1, 2026".
    static func date(_ date: Date, calendar: Calendar) -> String {
        format(date, calendar: calendar, "EEEE, MMMM d, yyyy")
    }

    /// A date without its weekday: "January 5, 2026".
    static func monthDay(_ date: Date, calendar: Calendar) -> String {
        format(date, calendar: calendar, "MMMM d, yyyy")
    }

    /// A weekday: "Friday".
    static func weekday(_ date: Date, calendar: Calendar) -> String {
        format(date, calendar: calendar, "EEEE")
    }

    /// Noon of `day` in the calendar's time zone.
    static func noon(of day: CalendarDay, calendar: Calendar) -> Date? {
        var components = day.dateComponents
        components.hour = 12
        return calendar.date(from: components)
    }

    /// Timers as a spoken list: "the pasta timer or the 5 minute timer".
    static func choices(_ timers: [ClockTimer]) -> String {
        SpokenText.list(timers.map { "the \($0.label) timer" }, conjunction: "or")
    }

    /// "one timer", "2 timers".
    static func count(_ n: Int) -> String { n == 1 ? "one timer" : "\(n) timers" }

    private static func format(_ date: Date, calendar: Calendar, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
