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
        #expect(report.sentencesRun >= 25)
        #expect(report.dialogsRun >= 5)
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
