import Foundation
import HarkSkillKit
import HarkUnderstanding

/// The clock skill's alarms and reminders.
extension ClockSkill {
    /// How long a snooze lasts unless one is said ("snooze for 5 minutes"): 9 minutes, as on a bedside clock.
    static let snoozeLength: Double = 9 * 60
    /// The lengths a snooze may be given.
    static let snoozeLengths: ClosedRange<Double> = 60...(60 * 60)
    /// How long after an alarm was said to have gone off "snooze" still means it.
    static let snoozeWindow: Double = 10 * 60
    /// The most words a reminder's task may have.
    static let longestTask = 12

    /// `SetAlarm`, `ListAlarms`, `CancelAlarm`, `CancelAllAlarms`, `Snooze` (`duration`, 9 minutes when not said).
    func alarm(_ request: SkillRequest, now: Date, calendar: Calendar, responses: ResponseTemplates) throws
        -> SkillResponse
    {
        let slots = request.slots
        switch request.intent {
        case "SetAlarm":
            guard let time = slots.time("time") else {
                return try SkillResponse.speak(responses.render("alarm_when"))
                    .reprompt(responses.render("alarm_when_reprompt")).elicitSlot("time", keeping: slots)
            }
            let hours = Self.hours(time.hour, spoken: slots.spoken["time"])
            if let repeats = slots.text("repeats").flatMap(AlarmRepeat.init(rawValue:)),
                let first = ClockAlarm.next(hour: hours[0], minute: time.minute, repeats: repeats, after: now, calendar: calendar)
            {
                let alarm = try alarms.addAlarm(hour: hours[0], minute: time.minute, firesAt: first, repeats: repeats)
                return .speak(
                    try responses.render(
                        "alarm_set_repeating", ["time": alarm.label, "repeats": ClockSpeech.repeats(repeats)]))
            }
            let day = slots.date("date")?.start
            guard let at = Self.moment(hours: hours, minute: time.minute, day: day, now: now, calendar: calendar) else {
                return .speak(try passed(hours[0], time.minute, day: day, now: now, calendar: calendar, responses: responses))
            }
            let alarm = try alarms.addAlarm(
                hour: calendar.component(.hour, from: at), minute: time.minute, firesAt: at, repeats: nil)
            return .speak(
                try responses.render(
                    "alarm_set", ["time": alarm.label, "day": ClockSpeech.day(of: at, from: now, calendar: calendar)]))
        case "ListAlarms":
            let all = try alarms.alarms()
            guard !all.isEmpty else { return .speak(try responses.render("no_alarms")) }
            let items = try all.map { alarm in
                let at = Date(timeIntervalSince1970: alarm.firesAt)
                if alarm.snoozed {
                    return try responses.render(
                        "alarm_item_snoozed", ["time": alarm.label, "until": ClockSpeech.time(at, calendar: calendar)])
                }
                if let repeats = alarm.repeats {
                    return try responses.render(
                        "alarm_item_repeating", ["time": alarm.label, "repeats": ClockSpeech.repeats(repeats)])
                }
                return try responses.render(
                    "alarm_item", ["time": alarm.label, "day": ClockSpeech.day(of: at, from: now, calendar: calendar)])
            }
            return .speak(
                try responses.render(
                    "alarms_list", ["count": ClockSpeech.count(all.count, "alarm"), "alarms": SpokenText.list(items)]))
        case "CancelAlarm":
            let all = try alarms.alarms()
            guard !all.isEmpty else { return .speak(try responses.render("no_alarms")) }
            var fitting = all
            if let time = slots.time("time") {
                let hours = Self.hours(time.hour, spoken: slots.spoken["time"])
                fitting = all.filter { hours.contains($0.hour) && $0.minute == time.minute }
                guard !fitting.isEmpty else {
                    let label = ClockSpeech.clockTime(hour: hours[0], minute: time.minute)
                    return .speak(try responses.render("no_such_alarm", ["time": label]))
                }
            }
            let labels = fitting.map(\.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            if labels.count > 1 && slots.time("time") == nil {
                let choices = SpokenText.list(labels.map { "the \($0) alarm" }, conjunction: "or")
                return try SkillResponse.speak(responses.render("which_alarm", ["alarms": choices]))
                    .reprompt(responses.render("which_alarm_reprompt", ["example": labels[0]]))
                    .elicitSlot("time", keeping: slots)
            }
            try alarms.deleteAlarms(fitting.map(\.id))
            let key = fitting.count == 1 ? "alarm_cancelled" : "alarms_cancelled"
            return .speak(try responses.render(key, ["time": SpokenText.list(labels)]))
        case "CancelAllAlarms":
            let removed = try alarms.deleteAllAlarms()
            guard removed > 0 else { return .speak(try responses.render("no_alarms")) }
            return .speak(try responses.render("all_cancelled", ["count": ClockSpeech.count(removed, "alarm")]))
        default:  // Snooze
            let seconds = now.timeIntervalSince1970
            guard let rung = try alarms.rung(), rung.saidAt <= seconds, seconds - rung.saidAt <= Self.snoozeWindow else {
                return .speak(try responses.render("nothing_to_snooze"))
            }
            let length = slots.duration("duration") ?? Self.snoozeLength
            guard Self.snoozeLengths.contains(length) else {
                return .speak(try responses.render("snooze_length", ["duration": ClockSpeech.length(length)]))
            }
            let until = now.addingTimeInterval(length)
            let alarm = try alarms.addAlarm(
                hour: rung.hour, minute: rung.minute, firesAt: until, repeats: nil, snoozed: true)
            try alarms.clearRung()
            return .speak(
                try responses.render(
                    "snoozed",
                    [
                        "time": alarm.label, "duration": ClockSpeech.length(length),
                        "until": ClockSpeech.time(until, calendar: calendar),
                    ]))
        }
    }

    /// `SetReminder`, `ListReminders`, `CancelReminder`, `CancelAllReminders`.
    func reminder(_ request: SkillRequest, now: Date, calendar: Calendar, responses: ResponseTemplates) throws
        -> SkillResponse
    {
        let slots = request.slots
        switch request.intent {
        case "SetReminder":
            guard let task = Self.task(slots.text("task")) else {
                return try SkillResponse.speak(responses.render("reminder_what"))
                    .reprompt(responses.render("reminder_what_reprompt")).elicitSlot("task", keeping: slots)
            }
            guard task.split(separator: " ").count <= Self.longestTask else {
                return .speak(try responses.render("reminder_too_long"))
            }
            if let seconds = slots.duration("duration"), seconds >= 1 {
                try alarms.addReminder(task: task, dueAt: now.addingTimeInterval(seconds))
                return .speak(
                    try responses.render("reminder_set_in", ["task": task, "duration": ClockSpeech.length(seconds)]))
            }
            guard let time = slots.time("time") else {
                return try SkillResponse.speak(responses.render("reminder_when"))
                    .reprompt(responses.render("reminder_when_reprompt")).elicitSlot("time", keeping: slots)
            }
            let hours = Self.hours(time.hour, spoken: slots.spoken["time"])
            // "At six" for a reminder is more likely the evening's.
            let preferred = hours.count > 1 && hours[0] < 7 ? Array(hours.reversed()) : hours
            let day = slots.date("date")?.start
            guard let at = Self.moment(hours: preferred, minute: time.minute, day: day, now: now, calendar: calendar) else {
                return .speak(
                    try passed(preferred[0], time.minute, day: day, now: now, calendar: calendar, responses: responses))
            }
            try alarms.addReminder(task: task, dueAt: at)
            return .speak(
                try responses.render("reminder_set", ["task": task, "at": Self.at(at, now: now, calendar: calendar)]))
        case "ListReminders":
            let all = try alarms.reminders()
            guard !all.isEmpty else { return .speak(try responses.render("no_reminders")) }
            let items = try all.map { reminder in
                try responses.render(
                    "reminder_item",
                    [
                        "task": reminder.task,
                        "at": Self.at(Date(timeIntervalSince1970: reminder.dueAt), now: now, calendar: calendar),
                    ])
            }
            return .speak(
                try responses.render(
                    "reminders_list",
                    ["count": ClockSpeech.count(all.count, "reminder"), "reminders": SpokenText.list(items)]))
        case "CancelReminder":
            let all = try alarms.reminders()
            guard !all.isEmpty else { return .speak(try responses.render("no_reminders")) }
            guard let wanted = Self.task(slots.text("task")) else {
                if all.count == 1 {
                    try alarms.deleteReminders([all[0].id])
                    return .speak(try responses.render("reminder_cancelled", ["task": all[0].task]))
                }
                let choices = SpokenText.list(all.map { "to \($0.task)" }, conjunction: "or")
                return try SkillResponse.speak(responses.render("which_reminder", ["reminders": choices]))
                    .reprompt(responses.render("which_reminder_reprompt", ["example": all[0].task]))
                    .elicitSlot("task", keeping: slots)
            }
            var fitting = all.filter { $0.task == wanted }
            if fitting.isEmpty { fitting = all.filter { $0.task.contains(wanted) || wanted.contains($0.task) } }
            guard !fitting.isEmpty else { return .speak(try responses.render("no_such_reminder", ["task": wanted])) }
            try alarms.deleteReminders(fitting.map(\.id))
            return .speak(try responses.render("reminder_cancelled", ["task": fitting[0].task]))
        default:  // CancelAllReminders
            let removed = try alarms.deleteAllReminders()
            guard removed > 0 else { return .speak(try responses.render("no_reminders")) }
            return .speak(try responses.render("all_cancelled", ["count": ClockSpeech.count(removed, "reminder")]))
        }
    }

    /// "8 AM today has already passed."
    private func passed(
        _ hour: Int, _ minute: Int, day: CalendarDay?, now: Date, calendar: Calendar, responses: ResponseTemplates
    ) throws -> String {
        let noon = day.flatMap { ClockSpeech.noon(of: $0, calendar: calendar) } ?? now
        return try responses.render(
            "time_passed",
            [
                "time": ClockSpeech.clockTime(hour: hour, minute: minute),
                "day": ClockSpeech.day(of: noon, from: now, calendar: calendar),
            ])
    }

    /// The hours a spoken time may mean, the morning's first: "seven" is 7 or 19, "seven am", "19:00" and "noon"
    /// only one.
    static func hours(_ hour: Int, spoken: String?) -> [Int] {
        guard (1...11).contains(hour) else { return [hour] }
        let words = (spoken ?? "").lowercased().replacingOccurrences(of: ".", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        let marks: Set<String> = ["am", "pm", "m", "morning", "afternoon", "evening", "night", "tonight"]
        if words.contains(where: { marks.contains($0) || $0.hasSuffix("am") || $0.hasSuffix("pm") }) { return [hour] }
        return [hour, hour + 12]
    }

    /// When a time said for an alarm or reminder falls: on `day` when one was said (the first of `hours`, in order,
    /// that is still to come that day), else the soonest of `hours` to come. Nil when it has passed.
    static func moment(hours: [Int], minute: Int, day: CalendarDay?, now: Date, calendar: Calendar) -> Date? {
        guard let day else {
            return hours.compactMap {
                ClockAlarm.next(hour: $0, minute: minute, repeats: nil, after: now, calendar: calendar)
            }.min()
        }
        for hour in hours {
            var components = day.dateComponents
            components.hour = hour
            components.minute = minute
            if let date = calendar.date(from: components), date > now { return date }
        }
        return nil
    }

    /// "at 6 PM" today, "at 6 PM tomorrow", "at 9 AM on Friday".
    static func at(_ date: Date, now: Date, calendar: Calendar) -> String {
        let hour = calendar.component(.hour, from: date)
        let minute = calendar.component(.minute, from: date)
        let day = ClockSpeech.day(of: date, from: now, calendar: calendar)
        return "at " + ClockSpeech.clockTime(hour: hour, minute: minute) + (day == "today" ? "" : " " + day)
    }

    /// A reminder's task as the reply says it, without a leading "to" (an answer to "What should I remind you to
    /// do?" may start with one); nil when nothing is left.
    static func task(_ said: String?) -> String? {
        guard var words = said.map({ ClockSpeech.task($0).split(separator: " ").map(String.init) }) else { return nil }
        if words.first == "to" { words.removeFirst() }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
