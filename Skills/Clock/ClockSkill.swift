import Foundation
import GRDB
import HarkSkillKit
import HarkUnderstanding

/// The clock skill (id `clock`): the time and the date ("what time is it", "what day is it on Friday"), kitchen
/// timers, alarms and reminders, kept in the shared database so that they outlive a restart. Timers: several at
/// once, named ("set a pasta timer for 10 minutes") or known by their length ("the 5 minute timer"); time left, a
/// list, pause, resume, add time, cancel one or all. "Cancel the timer" with several running asks which. Alarms:
/// once ("set an alarm for 7 am", "wake me up at 6:30 tomorrow") or weekly ("every weekday", "every monday"), listed,
/// cancelled by time or all, snoozed for 9 minutes after one went off. Reminders: "remind me to call mum at six",
/// "remind me in 20 minutes to take the bread out", listed, cancelled by what they are for. A timer, alarm or
/// reminder that has come due, even while Hark was not running, is said before the next reply (``NoticingSkill``);
/// while `hark listen` runs it rings instead, until "stop" (``AlertingSkill``). A repeating alarm then moves on to its
/// next day. Every time comes from `context.clock`.
///
/// Intents: `GetTime`, `GetDate` (slot `date`), `StartTimer` (`duration`, `name`), `TimeLeft`, `CancelTimer`,
/// `PauseTimer`, `ResumeTimer` (`name` or `duration`), `AddTime` (`duration`, `name`), `ListTimers`,
/// `CancelAllTimers`, `SetAlarm` (`time`, `date`, `repeats`), `ListAlarms`, `CancelAlarm` (`time`),
/// `CancelAllAlarms`, `Snooze`, `SetReminder` (`task`, `time`, `date`, `duration`), `ListReminders`,
/// `CancelReminder` (`task`), `CancelAllReminders`, `Help`.
public struct ClockSkill: AlertingSkill {
    public let id = "clock"
    let store: TimerStore
    let alarms: AlarmStore

    /// Opens the skill on the runtime's shared database (applying the `clock.*` migrations).
    public init(database: DatabasePool) throws {
        store = try TimerStore(pool: database)
        alarms = AlarmStore(pool: database)
    }

    /// The skill folder (`skill.yaml`, `intents/`, `responses/`, `tests/`, `data/`) in the module's resources.
    public static var folder: String { Bundle.module.resourcePath! }

    /// The timers, alarms and reminders due now, in the order they came due.
    public func dueNotices(context: SkillContext) async throws -> [String] {
        try takeDue(context: context, alarmKey: "alarm_done").map(\.speech)
    }

    /// The same, to ring while Hark listens: an alarm is said as the time ("It's 7 AM, your alarm.") and can be
    /// snoozed (it is the one "snooze" means for the next ``snoozeWindow``).
    public func dueAlerts(context: SkillContext) async throws -> [SkillAlert] {
        try takeDue(context: context, alarmKey: "alarm_ringing")
    }

    /// Takes what is due (said once), earliest first.
    private func takeDue(context: SkillContext, alarmKey: String) throws -> [SkillAlert] {
        let now = context.clock.now
        let responses = context.responses
        var due: [(at: Double, alert: SkillAlert)] = []
        for timer in try store.takeDue(now: now) {
            due.append((timer.endsAt, SkillAlert(speech: try responses.render("timer_done", ["label": timer.label]))))
        }
        for alarm in try alarms.takeDueAlarms(now: now, calendar: context.clock.calendar) {
            let speech = try responses.render(alarmKey, ["time": alarm.label])
            due.append((alarm.firesAt, SkillAlert(speech: speech, snoozeIntent: "\(id)/Snooze")))
        }
        for reminder in try alarms.takeDueReminders(now: now) {
            due.append((reminder.dueAt, SkillAlert(speech: try responses.render("reminder_done", ["task": reminder.task]))))
        }
        return due.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element.alert)
    }

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let responses = context.responses
        let now = context.clock.now
        let calendar = context.clock.calendar
        switch request.kind {
        case .launch: return .speak(try responses.render("help"))
        case .sessionEnded: return SkillResponse(speech: "")
        case .intent: break
        }
        switch request.intent {
        case "GetTime":
            return .speak(try responses.render("time_now", ["time": ClockSpeech.time(now, calendar: calendar)]))
        case "GetDate":
            return .speak(try date(request.slots.date("date"), now: now, calendar: calendar, responses: responses))
        case "StartTimer":
            guard let seconds = request.slots.duration("duration"), seconds >= 1 else {
                throw SkillError.invalid("a timer needs a length of at least a second")
            }
            let name = request.slots.text("name")
            try store.start(name: name, seconds: seconds, now: now)
            let length = ClockSpeech.length(seconds)
            if let name { return .speak(try responses.render("timer_started_named", ["name": name, "duration": length])) }
            return .speak(try responses.render("timer_started", ["duration": length]))
        case "ListTimers":
            let timers = try store.all()
            guard !timers.isEmpty else { return .speak(try responses.render("no_timers")) }
            return .speak(try Self.timersSentence(timers, now: now, responses: responses))
        case "CancelAllTimers":
            let removed = try store.deleteAll()
            guard removed > 0 else { return .speak(try responses.render("no_timers")) }
            return .speak(try responses.render("all_cancelled", ["count": ClockSpeech.count(removed)]))
        case "TimeLeft", "CancelTimer", "PauseTimer", "ResumeTimer", "AddTime":
            return try act(on: request, now: now, responses: responses)
        case "SetAlarm", "ListAlarms", "CancelAlarm", "CancelAllAlarms", "Snooze":
            return try alarm(request, now: now, calendar: calendar, responses: responses)
        case "SetReminder", "ListReminders", "CancelReminder", "CancelAllReminders":
            return try reminder(request, now: now, calendar: calendar, responses: responses)
        case "Help":
            return .speak(try responses.render("help"))
        default:
            throw SkillError.invalid("the clock skill has no intent '\(request.intent)'")
        }
    }

    /// "Today is …", or the date of the day asked about.
    /// "You have 2 timers: pasta with 3 minutes left and …" for timers that exist.
    static func timersSentence(_ timers: [ClockTimer], now: Date, responses: ResponseTemplates) throws -> String {
        let items = try timers.map { timer in
            try responses.render(
                timer.pausedRemaining == nil ? "timer_item" : "timer_item_paused",
                ["label": timer.label, "remaining": ClockSpeech.length(timer.remaining(at: now))])
        }
        return try responses.render(
            "timers_list", ["count": ClockSpeech.count(timers.count), "timers": SpokenText.list(items)])
    }

    private func date(_ range: DateRange?, now: Date, calendar: Calendar, responses: ResponseTemplates) throws -> String {
        let today = CalendarDay(now, calendar: calendar)
        guard let day = range?.start, day != today, let noon = ClockSpeech.noon(of: day, calendar: calendar) else {
            return try responses.render("date_today", ["date": ClockSpeech.date(now, calendar: calendar)])
        }
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: now).map { CalendarDay($0, calendar: calendar) }
        let yesterday = calendar.date(byAdding: .day, value: -1, to: now).map { CalendarDay($0, calendar: calendar) }
        // "Tomorrow is Friday, January 2, 2026"; "Monday is January 5, 2026".
        let relative = day == tomorrow ? "Tomorrow" : day == yesterday ? "Yesterday" : nil
        return try responses.render(
            "date_day",
            [
                "day": relative ?? ClockSpeech.weekday(noon, calendar: calendar),
                "date": relative == nil
                    ? ClockSpeech.monthDay(noon, calendar: calendar) : ClockSpeech.date(noon, calendar: calendar),
            ])
    }

    /// An intent about one timer: finds it (asking which when several fit) and acts on it.
    private func act(on request: SkillRequest, now: Date, responses: ResponseTemplates) throws -> SkillResponse {
        let timers = try store.all()
        guard !timers.isEmpty else { return .speak(try responses.render("no_timers")) }
        let name = request.slots.text("name")
        // AddTime's duration is what to add, not which timer.
        let length = request.intent == "AddTime" ? nil : request.slots.duration("duration")
        let fitting = timers.filter { timer in
            (name.map { timer.name == $0 } ?? true) && (length.map { abs(timer.seconds - $0) < 0.5 } ?? true)
        }
        if fitting.isEmpty {
            let label = name ?? length.map(ClockSpeech.lengthLabel) ?? ""
            return .speak(try responses.render("no_such_timer", ["label": label]))
        }
        if fitting.count > 1 {
            let byName = request.intent == "AddTime" || fitting.allSatisfy { $0.name != nil }
            let slot = byName ? "name" : "duration"
            let example = fitting[0].name ?? ClockSpeech.length(fitting[0].seconds)
            return try SkillResponse.speak(responses.render("which_timer", ["timers": ClockSpeech.choices(fitting)]))
                .reprompt(responses.render("which_timer_reprompt", ["example": example]))
                .elicitSlot(slot, keeping: request.slots)
        }
        var timer = fitting[0]
        let values = { (timer: ClockTimer) in ["label": timer.label, "remaining": ClockSpeech.length(timer.remaining(at: now))] }
        switch request.intent {
        case "TimeLeft":
            return .speak(try responses.render(timer.pausedRemaining == nil ? "time_left" : "time_left_paused", values(timer)))
        case "CancelTimer":
            try store.delete(timer.id)
            return .speak(try responses.render("timer_cancelled", ["label": timer.label]))
        case "PauseTimer":
            guard timer.pausedRemaining == nil else {
                return .speak(try responses.render("timer_already_paused", ["label": timer.label]))
            }
            timer.pausedRemaining = timer.remaining(at: now)
            try store.save(timer)
            return .speak(try responses.render("timer_paused", values(timer)))
        case "ResumeTimer":
            guard let left = timer.pausedRemaining else {
                return .speak(try responses.render("timer_not_paused", values(timer)))
            }
            timer.pausedRemaining = nil
            timer.endsAt = now.timeIntervalSince1970 + left
            try store.save(timer)
            return .speak(try responses.render("timer_resumed", values(timer)))
        default:  // AddTime
            guard let added = request.slots.duration("duration"), added >= 1 else {
                throw SkillError.invalid("adding time needs a length of at least a second")
            }
            if let left = timer.pausedRemaining { timer.pausedRemaining = left + added } else { timer.endsAt += added }
            try store.save(timer)
            var filled = values(timer)
            filled["added"] = ClockSpeech.length(added)
            return .speak(try responses.render("time_added", filled))
        }
    }
}
