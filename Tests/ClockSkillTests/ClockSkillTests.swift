import Foundation
import GRDB
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import Testing

@testable import ClockSkill

/// The clock skill end to end: its YAML tests, timers in a real SQLite file across a restart, and the notice of a
/// timer that came due said before the next reply, whatever was asked.
@Suite struct ClockSkillTests {
    /// Thursday 2026-01-01 10:00 UTC, the test files' "now".
    static let start = Date(timeIntervalSince1970: 1_767_261_600)

    static let factory: SkillTestRunner.SkillFactory = { database, _ in
        [
            InstalledSkill(
                package: try SkillPackage.load(folder: ClockSkill.folder, variation: .first),
                handler: try ClockSkill(database: database.pool), origin: "built-in")
        ]
    }

    /// An assistant on the database file in `folder` whose clock stands at `now`: a new one is what a restarted
    /// Hark would be.
    static func assistant(folder: String, now: Date) throws -> Assistant {
        let database = try HarkDatabase(path: folder + "/hark.sqlite")
        var options = AssistantOptions(dataDirectory: folder)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        options.clock = FixedClock(now, calendar: calendar)
        options.variation = .first
        options.statisticalFallback = false
        return try Assistant(skills: try factory(database, folder), database: database, options: options)
    }

    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-clock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: The YAML tests

    @Test func theSkillsTestFilePasses() async throws {
        let tester = try SkillTester(now: Self.start, makeSkills: Self.factory)
        defer { tester.close() }
        let report = try await tester.runTestFile(of: tester.skills[0])
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.sentencesRun >= 44)
        #expect(report.dialogsRun >= 8)
    }

    // MARK: Across a restart

    @Test func timersOutliveARestartAndTheirTimeRunsOnMeanwhile() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        #expect(await first.respond(to: "set a pasta timer for 10 minutes").reply.hasPrefix("Okay, pasta timer"))
        #expect(await first.respond(to: "set a timer for 1 hour").reply == "Okay, 1 hour, starting now.")
        #expect(await first.respond(to: "pause the pasta timer").reply.hasPrefix("Okay, I've paused"))

        let later = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(25 * 60))
        let list = await later.respond(to: "what timers do i have").reply
        #expect(
            list == "You have 2 timers: the paused pasta timer with 10 minutes left and the 1 hour timer with 35 minutes left.")
        let resumed = await later.respond(to: "resume the pasta timer").reply
        #expect(resumed == "Okay, your pasta timer is running again, with 10 minutes left.")
    }

    @Test func aTimerThatCameDueWhileHarkWasDownIsSaidOnceBeforeTheNextReply() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        _ = await first.respond(to: "set a pasta timer for 10 minutes")
        _ = await first.respond(to: "start a 30 second timer")
        _ = await first.respond(to: "set a timer for 1 hour")
        // Before its end, nothing is said.
        let early = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(20))
        #expect(await early.respond(to: "what time is it").reply == "It's 10:00 AM.")

        let restarted = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(11 * 60))
        let reply = await restarted.respond(to: "what time is it").reply
        #expect(reply == "Your 30 second timer is done. Your pasta timer is done. It's 10:11 AM.")
        #expect(await restarted.respond(to: "what time is it").reply == "It's 10:11 AM.")
        #expect(await restarted.respond(to: "what timers do i have").reply == "You have one timer: the 1 hour timer with 49 minutes left.")
        // "Repeat" says the answer again, not the notice.
        let noon = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(2 * 3600))
        #expect(await noon.respond(to: "what time is it", sessionID: "r").reply == "Your 1 hour timer is done. It's 12:00 PM.")
        #expect(await noon.respond(to: "repeat", sessionID: "r").reply == "It's 12:00 PM.")
    }

    @Test func aPausedTimerIsNotDuePastItsEnd() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        _ = await first.respond(to: "set an egg timer for 4 minutes")
        _ = await first.respond(to: "pause the egg timer")
        let later = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(3600))
        #expect(await later.respond(to: "how much time is left").reply == "Your egg timer is paused, with 4 minutes left.")
        let queue = try DatabaseQueue(path: folder + "/hark.sqlite")
        let rows = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM clock_timer") }
        #expect(rows == 1)
    }

    // MARK: Alarms and reminders

    /// Friday 2026-01-02 at `hour`:`minute` UTC, and `days` after it.
    static func friday(_ hour: Int, _ minute: Int = 0, plus days: Int = 0) -> Date {
        start.addingTimeInterval(Double(days + 1) * 86_400 + Double(hour - 10) * 3600 + Double(minute) * 60)
    }

    static func firesAt(folder: String) throws -> [Double] {
        let queue = try DatabaseQueue(path: folder + "/hark.sqlite")
        return try queue.read { db in try Double.fetchAll(db, sql: "SELECT fires_at FROM clock_alarm ORDER BY id") }
    }

    @Test func anAlarmThatWentOffWhileHarkWasDownIsSaidOnceAfterTheRestart() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        #expect(await first.respond(to: "set an alarm for 7 am").reply == "Okay, alarm set for 7 AM tomorrow.")
        #expect(await first.respond(to: "wake me up at 6:30 on saturday").reply == "Okay, alarm set for 6:30 AM on Saturday.")

        // Before 7 nothing is said; a new assistant on the same file is a restarted Hark.
        let early = try Self.assistant(folder: folder, now: Self.friday(6, 59))
        #expect(await early.respond(to: "what time is it").reply == "It's 6:59 AM.")
        let restarted = try Self.assistant(folder: folder, now: Self.friday(7, 30))
        #expect(await restarted.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 7:30 AM.")
        #expect(await restarted.respond(to: "what time is it").reply == "It's 7:30 AM.")
        #expect(await restarted.respond(to: "what alarms do i have").reply == "You have one alarm: 6:30 AM tomorrow.")
        let again = try Self.assistant(folder: folder, now: Self.friday(9))
        #expect(await again.respond(to: "what time is it").reply == "It's 9:00 AM.")
    }

    @Test func aWeeklyAlarmComesBackNextWeekAndIsSaidOnceForTheWeeksMissed() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        #expect(await first.respond(to: "set an alarm for 7 am every monday").reply == "Okay, alarm set for 7 AM every Monday.")
        // Monday 2026-01-05 07:00 UTC.
        let monday = Self.friday(7, plus: 3)
        #expect(try Self.firesAt(folder: folder) == [monday.timeIntervalSince1970])

        let mondayMorning = try Self.assistant(folder: folder, now: monday.addingTimeInterval(5 * 60))
        #expect(await mondayMorning.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 7:05 AM.")
        #expect(await mondayMorning.respond(to: "what alarms do i have").reply == "You have one alarm: 7 AM every Monday.")
        #expect(try Self.firesAt(folder: folder) == [monday.timeIntervalSince1970 + 7 * 86_400])

        // Nothing on Tuesday; the next Monday it goes off again.
        let tuesday = try Self.assistant(folder: folder, now: monday.addingTimeInterval(86_400))
        #expect(await tuesday.respond(to: "what time is it").reply == "It's 7:00 AM.")
        let nextMonday = try Self.assistant(folder: folder, now: monday.addingTimeInterval(7 * 86_400 + 60))
        #expect(await nextMonday.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 7:01 AM.")

        // Down over three Mondays: said once, then set for the Monday to come.
        let later = monday.addingTimeInterval(28 * 86_400 + 3600)
        let back = try Self.assistant(folder: folder, now: later)
        #expect(await back.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 8:00 AM.")
        #expect(try Self.firesAt(folder: folder) == [monday.timeIntervalSince1970 + 35 * 86_400])
    }

    @Test func snoozeRingsAgainNineMinutesLaterAndOnlyJustAfterAnAlarm() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        #expect(await first.respond(to: "snooze").reply == "There's no alarm ringing to snooze.")
        _ = await first.respond(to: "set an alarm for 7 am")

        // "Snooze" is the first thing said after it went off: the notice, then the snooze.
        let ringing = try Self.assistant(folder: folder, now: Self.friday(7, 2))
        #expect(
            await ringing.respond(to: "snooze").reply
                == "Your 7 AM alarm went off. Okay, snoozing your 7 AM alarm for 9 minutes, until 7:11 AM.")
        let waiting = try Self.assistant(folder: folder, now: Self.friday(7, 5))
        #expect(await waiting.respond(to: "what alarms do i have").reply == "You have one alarm: 7 AM, snoozed until 7:11 AM.")
        let rings = try Self.assistant(folder: folder, now: Self.friday(7, 12))
        #expect(await rings.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 7:12 AM.")
        // Twenty minutes on, that alarm no longer rings.
        let late = try Self.assistant(folder: folder, now: Self.friday(7, 32))
        #expect(await late.respond(to: "snooze").reply == "There's no alarm ringing to snooze.")
        #expect(await late.respond(to: "what alarms do i have").reply == "You have no alarms.")
    }

    @Test func snoozeForALengthSaidRingsAgainThen() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try await Self.assistant(folder: folder, now: Self.start).respond(to: "set an alarm for 7 am")
        let ringing = try Self.assistant(folder: folder, now: Self.friday(7, 2))
        #expect(
            await ringing.respond(to: "snooze for two hours").reply
                == "Your 7 AM alarm went off. I can snooze an alarm for 1 minute to an hour, not 2 hours.")
        #expect(
            await ringing.respond(to: "snooze it for 5 minutes").reply
                == "Okay, snoozing your 7 AM alarm for 5 minutes, until 7:07 AM.")
        let rings = try Self.assistant(folder: folder, now: Self.friday(7, 8))
        #expect(await rings.respond(to: "what time is it").reply == "Your 7 AM alarm went off. It's 7:08 AM.")
        #expect(
            await rings.respond(to: "snooze for ten minutes").reply
                == "Okay, snoozing your 7 AM alarm for 10 minutes, until 7:18 AM.")
    }

    @Test func whatRingsIsTakenOnceAndNotSaidAgainAsANotice() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        _ = await first.respond(to: "set a pasta timer for 10 minutes")
        _ = await first.respond(to: "set an alarm for 10:05 am")
        _ = await first.respond(to: "remind me in 20 minutes to take the bread out")

        let listening = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(25 * 60))
        let alerts = await listening.dueAlerts()
        #expect(alerts.map(\.speech) == ["It's 10:05 AM, your alarm.", "Your pasta timer is done.", "Reminder: take the bread out."])
        #expect(alerts.map(\.snoozeIntent) == ["clock/Snooze", nil, nil])
        #expect(await listening.dueAlerts().isEmpty)
        #expect(await listening.respond(to: "what time is it").reply == "It's 10:25 AM.")
        // The alarm that rang is the one "snooze" means.
        #expect(
            await listening.respond(to: "snooze").reply == "Okay, snoozing your 10:05 AM alarm for 9 minutes, until 10:34 AM.")
    }

    @Test func remindersInMinutesAndAtATimeAreSaidWhenDueWithTheTimersAndAlarmsInOrder() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        #expect(
            await first.respond(to: "remind me in 20 minutes to take the bread out").reply
                == "Okay, I'll remind you to take the bread out in 20 minutes.")
        #expect(await first.respond(to: "remind me to call mum at six").reply == "Okay, I'll remind you to call mum at 6 PM.")
        _ = await first.respond(to: "set a pasta timer for 10 minutes")
        _ = await first.respond(to: "set an alarm for 10:15 am")

        let restarted = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(25 * 60))
        #expect(
            await restarted.respond(to: "what time is it").reply
                == "Your pasta timer is done. Your 10:15 AM alarm went off. Reminder: take the bread out. It's 10:25 AM.")
        #expect(await restarted.respond(to: "what are my reminders").reply == "You have one reminder: call mum at 6 PM.")
        let evening = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(8 * 3600 + 60))
        #expect(await evening.respond(to: "what time is it").reply == "Reminder: call mum. It's 6:01 PM.")
        #expect(await evening.respond(to: "what are my reminders").reply == "You have no reminders.")
    }

    @Test func cancelledAlarmsAndRemindersAreNotSaidAfterARestart() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.assistant(folder: folder, now: Self.start)
        _ = await first.respond(to: "set an alarm for 7 am")
        _ = await first.respond(to: "set an alarm for 8 am every day")
        _ = await first.respond(to: "remind me to call mum at six")
        _ = await first.respond(to: "remind me to feed the cat in an hour")
        #expect(await first.respond(to: "cancel my 7 am alarm").reply == "Okay, I've cancelled your 7 AM alarm.")
        #expect(await first.respond(to: "cancel the reminder to call mum").reply == "Okay, I've cancelled the reminder to call mum.")

        let restarted = try Self.assistant(folder: folder, now: Self.start.addingTimeInterval(30 * 60))
        #expect(await restarted.respond(to: "what alarms do i have").reply == "You have one alarm: 8 AM every day.")
        #expect(await restarted.respond(to: "what are my reminders").reply == "You have one reminder: feed the cat at 11 AM.")
        #expect(await restarted.respond(to: "cancel all alarms").reply == "Okay, I've cancelled one alarm.")
        #expect(await restarted.respond(to: "cancel all reminders").reply == "Okay, I've cancelled one reminder.")

        let tomorrow = try Self.assistant(folder: folder, now: Self.friday(9))
        #expect(await tomorrow.respond(to: "what time is it").reply == "It's 9:00 AM.")
    }

    @Test(arguments: [
        (7, 0, "7 AM"), (6, 30, "6:30 AM"), (19, 5, "7:05 PM"), (0, 0, "12 AM"), (12, 0, "12 PM"),
    ])
    func alarmTimesAreSaidOnATwelveHourClock(hour: Int, minute: Int, spoken: String) {
        #expect(ClockSpeech.clockTime(hour: hour, minute: minute) == spoken)
    }

    @Test func aTimeWithoutAmOrPmMayBeEither() {
        #expect(ClockSkill.hours(7, spoken: "seven") == [7, 19])
        #expect(ClockSkill.hours(7, spoken: "7 am") == [7])
        #expect(ClockSkill.hours(7, spoken: "seven in the morning") == [7])
        #expect(ClockSkill.hours(19, spoken: "7 pm") == [19])
        #expect(ClockSkill.hours(12, spoken: "twelve") == [12])
    }

    // MARK: Words

    @Test(arguments: [
        (30.0, "30 seconds", "30 second"), (60, "1 minute", "1 minute"), (270, "4 minutes 30 seconds", "4 minute 30 second"),
        (3600, "1 hour", "1 hour"), (5400, "1 hour 30 minutes", "1 hour 30 minute"), (0.2, "1 second", "1 second"),
    ])
    func lengthsAreSaidLargestUnitFirst(seconds: Double, spoken: String, label: String) {
        #expect(ClockSpeech.length(seconds) == spoken)
        #expect(ClockSpeech.lengthLabel(seconds) == label)
    }
}
