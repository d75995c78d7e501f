import Foundation
import HarkSkillKit
import HarkUnderstanding

/// The clock's line of the morning briefing: the timers running, and the alarms and reminders still to come today.
/// Setting `skills: { clock: { briefing: false } }` leaves it out.
extension ClockSkill: BriefingSkill {
    public func briefing(context: SkillContext) async throws -> String? {
        if let value = context.settings["briefing"] {
            guard let on = value.boolValue else {
                throw SkillError.invalid("skills.clock.briefing must be true or false, not \(value)")
            }
            guard on else { return nil }
        }
        let now = context.clock.now
        let calendar = context.clock.calendar
        let responses = context.responses
        guard let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) else {
            return nil
        }
        let today = now.timeIntervalSince1970..<tomorrow.timeIntervalSince1970
        var parts: [String] = []
        let timers = try store.all()
        if !timers.isEmpty { parts.append(try Self.timersSentence(timers, now: now, responses: responses)) }
        let alarmsToday = try alarms.alarms().filter { today.contains($0.firesAt) }.sorted { $0.firesAt < $1.firesAt }
        if !alarmsToday.isEmpty {
            parts.append(try responses.render("briefing_alarms", ["alarms": SpokenText.list(alarmsToday.map(\.label))]))
        }
        let remindersToday = try alarms.reminders().filter { today.contains($0.dueAt) }.sorted { $0.dueAt < $1.dueAt }
        if !remindersToday.isEmpty {
            let items = try remindersToday.map { reminder in
                try responses.render(
                    "reminder_item",
                    [
                        "task": reminder.task,
                        "at": Self.at(Date(timeIntervalSince1970: reminder.dueAt), now: now, calendar: calendar),
                    ])
            }
            parts.append(try responses.render("briefing_reminders", ["reminders": SpokenText.list(items)]))
        }
        if parts.isEmpty { return try responses.render("briefing_nothing") }
        return parts.joined(separator: " ")
    }
}
