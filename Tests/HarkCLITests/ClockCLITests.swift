import Foundation
import Testing

/// Issue 19, timers, alarms and reminders across a restart of the real binary: each `hark ask` is a new process, with
/// its clock fixed by `HARK_NOW`, so what one sets is listed by the next and said by the first one after it came due.
@Suite struct ClockCLITests {
    static func ask(_ hark: HarkProcess, _ text: String, at now: String) throws -> String {
        var hark = hark
        hark.environment["HARK_NOW"] = now
        hark.environment["TZ"] = "UTC"
        let result = try hark.run(["ask", text])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aTimerSetByOneProcessIsListedByTheNextAndSaidWhenDue() throws {
        let hark = try HarkProcess()
        let set = try Self.ask(hark, "set a pasta timer for 10 minutes", at: "2026-01-01T10:00:00Z")
        #expect(set == "Okay, pasta timer for 10 minutes, starting now.", "\(set)")

        let listed = try Self.ask(hark, "what timers do I have", at: "2026-01-01T10:04:00Z")
        #expect(listed == "You have one timer: the pasta timer with 6 minutes left.", "\(listed)")

        let due = try Self.ask(hark, "what's on my shopping list", at: "2026-01-01T10:12:00Z")
        #expect(due.hasPrefix("Your pasta timer is done. "), "\(due)")
        #expect(due.count > "Your pasta timer is done. ".count, "the request itself is answered too: \(due)")

        let after = try Self.ask(hark, "what timers do I have", at: "2026-01-01T10:13:00Z")
        #expect(after == "You have no timers.", "\(after)")
    }

    @Test func anAlarmAndAReminderSetByOneProcessAreSaidByTheFirstOneAfterThem() throws {
        let hark = try HarkProcess()
        let alarm = try Self.ask(hark, "set an alarm for 7 am", at: "2026-01-01T10:00:00Z")
        #expect(alarm == "Okay, alarm set for 7 AM tomorrow.", "\(alarm)")
        let reminder = try Self.ask(hark, "remind me to call mum at six", at: "2026-01-01T10:00:00Z")
        #expect(reminder == "Okay, I'll remind you to call mum at 6 PM.", "\(reminder)")

        let evening = try Self.ask(hark, "what alarms do I have", at: "2026-01-01T18:30:00Z")
        #expect(evening == "Reminder: call mum. You have one alarm: 7 AM tomorrow.", "\(evening)")
        let morning = try Self.ask(hark, "what time is it", at: "2026-01-02T07:03:00Z")
        #expect(morning == "Your 7 AM alarm went off. It's 7:03 AM.", "\(morning)")
        let snoozed = try Self.ask(hark, "snooze", at: "2026-01-02T07:04:00Z")
        #expect(snoozed == "Okay, snoozing your 7 AM alarm for 9 minutes, until 7:13 AM.", "\(snoozed)")
    }

    @Test func aReminderAskedWhenIsCompletedByTheNextProcessAndASnoozeTakesItsLength() throws {
        var hark = try HarkProcess()
        hark.environment["HARK_NOW"] = "2026-01-01T10:00:00Z"
        hark.environment["TZ"] = "UTC"
        let asked = try hark.run(["ask", "remind me to take the bread out", "--session", "kitchen"])
        #expect(asked.stdout.contains("When should I remind you?"), "\(asked.stdout)\(asked.stderr)")
        let answered = try hark.run(["ask", "in 20 minutes", "--session", "kitchen"])
        #expect(
            answered.stdout.contains("Okay, I'll remind you to take the bread out in 20 minutes."),
            "\(answered.stdout)\(answered.stderr)")

        _ = try Self.ask(hark, "set an alarm for 7 am", at: "2026-01-01T10:00:00Z")
        let morning = try Self.ask(hark, "snooze for 5 minutes", at: "2026-01-02T07:01:00Z")
        #expect(
            morning == "Reminder: take the bread out. Your 7 AM alarm went off. "
                + "Okay, snoozing your 7 AM alarm for 5 minutes, until 7:06 AM.",
            "\(morning)")
    }

    @Test func aMalformedHarkNowIsRefusedWithTheReason() throws {
        var hark = try HarkProcess()
        hark.environment["HARK_NOW"] = "tomorrow-ish"
        let result = try hark.run(["ask", "what time is it"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("HARK_NOW"), "\(result.stderr)")
    }
}
