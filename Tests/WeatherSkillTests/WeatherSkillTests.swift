import Foundation
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import Testing
import WeatherSkill

/// The weather skill against a real local HTTP server that answers with recorded Open-Meteo responses.
@Suite struct WeatherSkillTests {
    typealias Support = WeatherTestSupport

    @Test func theSkillsTestFilePasses() async throws {
        try await Support.withTester { tester, _ in
            let report = try await tester.runTestFile(of: tester.skills[0])
            for failure in report.failures { print(failure) }
            #expect(report.failures.isEmpty)
            #expect(report.sentencesRun >= 40)
            #expect(report.dialogsRun >= 5)
        }
    }

    @Test func answersARainQuestionWithTheDecidingFigures() async throws {
        try await Support.withTester { tester, _ in
            let reply = await tester.ask("will it rain tomorrow")
            #expect(reply.intent == "GetWeather")
            #expect(reply.reply == "Yes, rain is likely tomorrow in London: 80 percent chance, about 6 millimetres.")
            #expect(!reply.endSession)
            let days = reply.data["days"]?.arrayValue ?? []
            #expect(days.count == 1)
            #expect(days.first?.objectValue?["date"] == "2026-01-02")

            let sunday = await tester.ask("do i need an umbrella on sunday")
            #expect(sunday.reply == "No, you shouldn't need an umbrella on Sunday in London: 5 percent chance.")
        }
    }

    @Test func summarisesTodayTomorrowAWeekdayAndTheWeekend() async throws {
        try await Support.withTester { tester, _ in
            #expect(
                await tester.ask("what's the weather").reply
                    == "Right now in London: overcast, 5 degrees. Today: overcast, with a high of 7 and a low of 2.")
            #expect(
                await tester.ask("what's the weather tomorrow").reply
                    == "In London tomorrow: rain, with a high of 9 and a low of 4. Chance of rain: 80 percent.")
            #expect(
                await tester.ask("what's the weather on tuesday").reply
                    == "In London on Tuesday: partly cloudy, with a high of 3 and a low of minus 2.")
            #expect(
                await tester.ask("what's the weather this weekend").reply
                    == "In London this weekend: Saturday, light rain, 2 to 7 degrees, 55 percent chance of rain; "
                    + "Sunday, mainly clear skies, minus 2 to 4 degrees.")
            #expect(
                await tester.ask("how cold will it be tomorrow").reply
                    == "In London tomorrow it will be between 4 and 9 degrees.")
        }
    }

    @Test func looksUpNamedPlacesAndSendsTheDocumentedQueries() async throws {
        try await Support.withTester { tester, server in
            let reply = await tester.ask("is it going to be sunny in paris on saturday")
            #expect(reply.reply == "Yes, it should be sunny on Saturday in Paris: clear skies.")
            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests.first == "/v1/search?count=1&format=json&language=en&name=paris")
            let forecast = try #require(requests.last)
            for parameter in [
                "latitude=48.85341", "longitude=2.3488",
                "daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,"
                    + "precipitation_sum,wind_speed_10m_max",
                "current=temperature_2m,weather_code,wind_speed_10m", "timezone=auto", "forecast_days=7",
                "temperature_unit=celsius", "wind_speed_unit=kmh",
            ] {
                #expect(forecast.contains(parameter), "\(parameter) missing from \(forecast)")
            }
        }
    }

    @Test func speaksImperialUnitsWhenTheSettingsSaySo() async throws {
        try await Support.withTester(["units": "imperial"]) { tester, server in
            let wind = await tester.ask("will it be windy tomorrow")
            #expect(wind.reply == "Yes, it will be windy tomorrow in London: winds up to 22 miles per hour.")
            let rain = await tester.ask("will it rain on wednesday")
            #expect(rain.reply == "Yes, rain is likely on Wednesday in London: 85 percent chance, about 0.5 inches.")
            let forecast = try #require(server.requests.last { $0.hasPrefix("/v1/forecast") })
            #expect(forecast.contains("temperature_unit=fahrenheit"))
            #expect(forecast.contains("wind_speed_unit=mph"))
            #expect(forecast.contains("precipitation_unit=inch"))
        }
    }

    @Test func aSecondQuestionTheSameDayMakesNoNewRequest() async throws {
        try await Support.withTester { tester, server in
            _ = await tester.ask("what's the weather")
            #expect(server.count("/v1/search") == 1)
            #expect(server.count("/v1/forecast") == 1)
            let rain = await tester.ask("will it rain tomorrow")
            #expect(rain.reply.hasPrefix("Yes, rain is likely tomorrow in London"))
            _ = await tester.ask("what's the weather this weekend", session: "another-session")
            #expect(server.count("/v1/search") == 1)
            #expect(server.count("/v1/forecast") == 1)
        }
    }

    @Test func aForecastOlderThanTheCacheLifetimeIsFetchedAgain() async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let skill = WeatherSkill(settings: Support.settings(server))
        let storage = MemoryStorage()
        let question = Support.request("what's the weather")

        _ = try await skill.handle(question, context: Support.context(settings: [:], storage: storage))
        _ = try await skill.handle(
            question, context: Support.context(settings: [:], now: Support.now + 9 * 60, storage: storage))
        #expect(server.count("/v1/forecast") == 1)
        _ = try await skill.handle(
            question, context: Support.context(settings: [:], now: Support.now + 11 * 60, storage: storage))
        #expect(server.count("/v1/forecast") == 2)
        // The place name was geocoded once: later answers come from the cache and the skill's storage.
        #expect(server.count("/v1/search") == 1)
        #expect(try await storage.value(forKey: "place:london")?.objectValue?["name"] == "London")
        try await skill.shutdown()
        try await server.stop()
    }

    @Test func aDayBeyondTheSevenDayForecastIsSaidWithoutAskingTheService() async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let skill = WeatherSkill(settings: Support.settings(server))
        let response = try await skill.handle(
            Support.request("weather on the 20th of january", ["date": Support.january(20)]),
            context: Support.context(settings: [:]))
        #expect(response.speech == "Sorry, I only have the forecast for the next 7 days, up to Wednesday.")
        #expect(server.requests.isEmpty)
        try await skill.shutdown()
        try await server.stop()
    }
}

/// The words the skill says for Open-Meteo's WMO weather codes.
@Suite struct WeatherCodeWordsTests {
    /// Every code Open-Meteo documents for `weather_code`.
    static let documentedCodes = [
        0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 71, 73, 75, 77, 80, 81, 82, 85, 86, 95, 96, 99,
    ]

    @Test func everyDocumentedCodeHasItsOwnWords() throws {
        let responses = try ResponseTemplates.load(
            path: WeatherSkill.folder + "/responses/en.yaml", variation: .first)
        var seen: [String: Int] = [:]
        for code in Self.documentedCodes {
            let words = try responses.render("wmo_\(code)")
            #expect(seen[words] == nil, "codes \(seen[words] ?? -1) and \(code) are both '\(words)'")
            seen[words] = code
        }
        #expect(try responses.render("wmo_61") == "light rain")
        #expect(try responses.render("wmo_95") == "thunderstorms")
        #expect(try responses.render("wmo_51") == "light drizzle")
    }
}
