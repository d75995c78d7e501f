import Foundation
import HarkAssistant
import HarkSkillKit
import HarkSkillTesting
import ShoppingSkill
import Testing
import WeatherSkill

/// The shopping skill's product advice with the weather skill beside it, asking the local Open-Meteo fixture server:
/// days the forecast covers are advised on the forecast (asked through the weather skill), months beyond it on the
/// place's typical climate, and the chosen product is ordered with the purchase code.
@Suite struct ShoppingAdviceForecastTests {
    /// Runs `body` with a tester holding the shopping skill (purchase code 1234) and a weather skill that asks a
    /// fresh fixture server from London.
    static func withTester(_ body: (SkillTester, OpenMeteoFixtureServer) async throws -> Void) async throws {
        try await WeatherTestSupport.withTester(
            alongside: { database in
                [
                    InstalledSkill(
                        package: try SkillPackage.load(folder: ShoppingSkill.folder, variation: .first),
                        handler: try ShoppingSkill(database: database.pool, defaultSettings: ["purchase_code": "1234"]),
                        origin: "built-in")
                ]
            }, body)
    }

    @Test func aJacketForWalkingInLondonTomorrowFollowsTheRainyForecastAndIsOrdered() async throws {
        try await Self.withTester { tester, server in
            let advice = await tester.ask("what jacket should i get for walking in london tomorrow")
            #expect(advice.skill == "shopping" && advice.intent == "Advise")
            // London on 2 January 2026 in the fixture: 4.1 to 8.9 °C, 80 % chance of rain.
            #expect(
                advice.reply.hasPrefix(
                    "The forecast for London tomorrow is 4 to 9 degrees, with rain or snow likely. I have 2 suggestions. "
                        + "First, the Insulated waterproof mountain jacket for 165 pounds: waterproof, warm down to about "
                        + "0 degrees and made for walking. Second, the Waterproof insulated city parka"),
                "\(advice.reply)")
            #expect(server.count("/v1/forecast") == 1)
            // Nothing that lets the rain in is recommended.
            #expect(!advice.reply.contains("Softshell") && !advice.reply.contains("puffer"), "\(advice.reply)")

            let summary = await tester.ask("order the second one")
            #expect(summary.reply.hasPrefix("Here's your order: Waterproof insulated city parka, 130 pounds."), "\(summary.reply)")
            let placed = await tester.ask("1234")
            #expect(placed.reply == "Done. I've placed order number 1: 1 item for 130 pounds.", "\(placed.reply)")
            let status = await tester.ask("what was my last order")
            #expect(status.reply.contains("Waterproof insulated city parka"), "\(status.reply)")
        }
    }

    @Test func bootsForWalkingInBerlinThisWeekendAreWarmEnoughForTheFrost() async throws {
        try await Self.withTester { tester, server in
            // Berlin on 3 and 4 January 2026 in the fixture: down to -12.3 °C, dry.
            let advice = await tester.ask("what boots should i buy for walking in berlin this weekend")
            #expect(
                advice.reply.hasPrefix(
                    "The forecast for Berlin this weekend is minus 12 to minus 4 degrees. I'd recommend the Insulated "
                        + "snow boots for 85 pounds: warm down to about minus 10 degrees, made for walking and meant for "
                        + "winter."),
                "\(advice.reply)")
            #expect(server.count("/v1/forecast") == 1)
            let added = await tester.ask("yes")
            #expect(added.reply == "I've added snow boots to your shopping list.", "\(added.reply)")
        }
    }

    @Test func aMonthBeyondTheForecastUsesTheTypicalClimateWithoutAskingTheServer() async throws {
        try await Self.withTester { tester, server in
            let advice = await tester.ask("what jacket should i get for hiking in scotland in march")
            #expect(
                advice.reply.hasPrefix("In Scotland in March it's usually 2 to 9 degrees, with rain or snow on about 18 days."),
                "\(advice.reply)")
            #expect(server.count("/v1/forecast") == 0)
        }
    }

    @Test func twoQuestionsThenTheForecastOfTheWeatherSkillsOwnPlaceThisWeek() async throws {
        try await Self.withTester { tester, server in
            let first = await tester.ask("help me choose a jacket")
            #expect(first.reply == "What will you use the jacket for?")
            let second = await tester.ask("commuting")
            #expect(second.reply == "Where will you use the jacket?")
            // The second answer is the last question: the time is this week.
            let advice = await tester.ask("paris")
            #expect(advice.reply.hasPrefix("The forecast for Paris this week is minus 1 to 10 degrees, with rain or snow likely."), "\(advice.reply)")
            #expect(server.count("/v1/forecast") == 1)
        }
    }

    @Test func hereIsTheWeatherSkillsOwnPlace() async throws {
        try await Self.withTester { tester, server in
            _ = await tester.ask("which gloves should i get for walking")
            let when = await tester.ask("around here")
            #expect(when.reply == "When will you need the gloves: this week, or which month?")
            let advice = await tester.ask("this week")
            // The weather skill lives in London: this week's fixture is -3.4 to 9.8 °C, with rain likely.
            #expect(advice.reply.hasPrefix("The forecast for London this week is minus 3 to 10 degrees, with rain or snow likely."), "\(advice.reply)")
            #expect(advice.reply.contains("Waterproof insulated gloves"), "\(advice.reply)")
            #expect(server.count("/v1/forecast") == 1)
        }
    }
}
