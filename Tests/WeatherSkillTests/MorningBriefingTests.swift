import ClockSkill
import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import ShoppingSkill
import Testing
import WeatherSkill

/// "Good morning": the weather (from the fixture server), the timers, alarms and reminders of today, the shopping list
/// and what is due, in one reply, in that order; each skill's line can be turned off in its settings.
@Suite struct MorningBriefingTests {
    /// Runs `body` with a tester holding the shopping, weather (asking a fresh fixture server) and clock skills.
    static func withTester(
        weather extra: [String: JSONValue] = [:], clock: [String: JSONValue] = [:],
        _ body: (SkillTester) async throws -> Void
    ) async throws {
        try await WeatherTestSupport.withTester(
            extra, skillSettings: ["clock": clock],
            alongside: { database in
                [
                    InstalledSkill(
                        package: try SkillPackage.load(folder: ShoppingSkill.folder, variation: .first),
                        handler: try ShoppingSkill(database: database.pool), origin: "built-in"),
                    InstalledSkill(
                        package: try SkillPackage.load(folder: ClockSkill.folder, variation: .first),
                        handler: try ClockSkill(database: database.pool), origin: "built-in"),
                ]
            }, { tester, _ in try await body(tester) })
    }

    @Test func goodMorningSaysTheWeatherTheClockAndTheListInOrder() async throws {
        try await Self.withTester { tester in
            _ = await tester.ask("set an alarm for 7 pm", session: "a")
            _ = await tester.ask("set a pasta timer for 10 minutes", session: "b")
            _ = await tester.ask("add milk and eggs", session: "c")
            let weather = await tester.ask("what's the weather", session: "d").reply
            let briefing = await tester.ask("good morning", session: "e")
            #expect(briefing.intent == "Briefing")
            let expected =
                "Good morning. \(weather) You have one timer: the pasta timer with 10 minutes left. Alarms today: 7 PM. "
                + "Your shopping list has 2 items: milk and eggs."
            #expect(briefing.reply == expected, "\(briefing.reply)")
            #expect(briefing.endSession)
        }
    }

    @Test func eachLineCanBeTurnedOffAndAnEmptyDayIsSaidPlainly() async throws {
        try await Self.withTester(weather: ["briefing": false]) { tester in
            let briefing = await tester.ask("good morning")
            #expect(
                briefing.reply == "Good morning. No timers, alarms or reminders today. Your shopping list is empty.",
                "\(briefing.reply)")
        }
        try await Self.withTester(weather: ["briefing": false], clock: ["briefing": false]) { tester in
            let briefing = await tester.ask("good morning")
            #expect(briefing.reply == "Good morning. Your shopping list is empty.", "\(briefing.reply)")
        }
    }
}
