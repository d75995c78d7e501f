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

    /// "one timer", "2 timers" (or alarms, reminders).
    static func count(_ n: Int, _ thing: String = "timer") -> String { n == 1 ? "one \(thing)" : "\(n) \(thing)s" }

    /// A time of day as an alarm is named: "7 AM", "6:30 PM", "12 PM".
    static func clockTime(hour: Int, minute: Int) -> String {
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        let half = hour < 12 ? "AM" : "PM"
        return minute == 0 ? "\(twelve) \(half)" : "\(twelve):\(minute < 10 ? "0" : "")\(minute) \(half)"
    }

    /// The day of `date` as seen from `now`: "today", "tomorrow", "on Friday" (within a week), "on January 12".
    static func day(of date: Date, from now: Date, calendar: Calendar) -> String {
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now), to: calendar.startOfDay(for: date))
            .day ?? 0
        switch days {
        case 0: return "today"
        case 1: return "tomorrow"
        case 2...6: return "on " + weekday(date, calendar: calendar)
        default: return "on " + format(date, calendar: calendar, "MMMM d")
        }
    }

    /// How an alarm repeats: "every day", "every weekday", "on weekends", "every Monday".
    static func repeats(_ repeats: AlarmRepeat) -> String {
        switch repeats {
        case .daily: return "every day"
        case .weekdays: return "every weekday"
        case .weekends: return "on weekends"
        default: return "every " + repeats.rawValue.capitalized
        }
    }

    /// A reminder's task as the reply says it: the user's "my" and "me" become "your" and "you".
    static func task(_ words: String) -> String {
        let swaps = ["my": "your", "me": "you", "myself": "yourself", "mine": "yours", "i": "you", "i'm": "you're"]
        return words.lowercased().split(separator: " ").map { swaps[String($0)] ?? String($0) }.joined(separator: " ")
    }

    private static func format(_ date: Date, calendar: Calendar, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
