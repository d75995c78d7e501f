import Foundation
import HarkSkillKit
import HarkUnderstanding
import Testing
import WeatherSkill

/// What the user hears, and what is logged, when the weather service or the settings fail.
@Suite struct WeatherFailureTests {
    typealias Support = WeatherTestSupport

    static let rainTomorrow = Support.request(
        "will it rain tomorrow", ["condition": .text("rain"), "date": Support.january(2)])

    /// Asks a skill whose service misbehaves (by default "will it rain tomorrow"); returns the reply and the
    /// errors logged.
    private func ask(
        _ server: OpenMeteoFixtureServer, settings extra: [String: JSONValue] = [:],
        request: SkillRequest = rainTomorrow
    ) async throws -> (response: SkillResponse, errors: [String]) {
        let skill = WeatherSkill(settings: Support.settings(server, extra))
        let logs = CapturedLogs()
        let response = try await skill.handle(request, context: Support.context(settings: [:], logs: logs))
        try await skill.shutdown()
        return (response, logs.errors)
    }

    @Test func anHTTP500IsAnApologyNamingTheError() async throws {
        let server = try await OpenMeteoFixtureServer.start(.status(500))
        let (response, errors) = try await ask(server)
        #expect(
            response.speech
                == "Sorry, the weather service has a problem right now: it answered with error 500. "
                + "Please try again later.")
        #expect(response.endSession)
        #expect(errors == ["weather: the Open-Meteo geocoder answered HTTP 500: Internal server error"])
        try await server.stop()
    }

    @Test func garbageInsteadOfJSONIsAnApology() async throws {
        let server = try await OpenMeteoFixtureServer.start(.garbage)
        let (response, errors) = try await ask(server, settings: ["latitude": 51.5, "longitude": -0.12])
        #expect(
            response.speech
                == "Sorry, the weather service sent an answer I couldn't make sense of. Please try again later.")
        #expect(errors.count == 1)
        let expected = "weather: the Open-Meteo forecast service sent an answer that is not a forecast: not valid JSON"
        #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
        try await server.stop()
    }

    @Test(arguments: [
        (#"{"latitude":51.5,"longitude":-0.12,"utc_offset_seconds":0}"#, "no 'daily'"),
        (
            #"{"latitude":51.5,"longitude":-0.12,"utc_offset_seconds":0,"daily":{"time":["2026-01-01","2026-01-02"],"#
                + #""weather_code":[3],"temperature_2m_max":[7.2,8.9],"temperature_2m_min":[1.8,4.1]}}"#,
            "daily.weather_code has 1 values for 2 days"
        ),
        (
            #"{"latitude":51.5,"longitude":-0.12,"utc_offset_seconds":0,"daily":{"time":["1 January"],"#
                + #""weather_code":[3],"temperature_2m_max":[7.2],"temperature_2m_min":[1.8]}}"#,
            "daily.time[0] is '1 January', not YYYY-MM-DD"
        ),
        (
            #"{"latitude":51.5,"longitude":-0.12,"utc_offset_seconds":0,"daily":{"time":["2026-01-01"],"#
                + #""weather_code":["cloudy"],"temperature_2m_max":[7.2],"temperature_2m_min":[1.8]}}"#,
            "'daily.weather_code[0]' has the wrong type"
        ),
    ])
    func aForecastOfTheWrongShapeIsAnApology(body: String, problem: String) async throws {
        let server = try await OpenMeteoFixtureServer.start(.body(body))
        let (response, errors) = try await ask(server, settings: ["latitude": 51.5, "longitude": -0.12])
        #expect(response.speech.hasPrefix("Sorry, the weather service sent an answer I couldn't make sense of."))
        let expected = "weather: the Open-Meteo forecast service sent an answer that is not a forecast: \(problem)"
        #expect(errors == [expected])
        try await server.stop()
    }

    @Test func aClosedServerIsUnreachable() async throws {
        // Port 1 on loopback: nothing listens there. (A stopped fixture server's port can be handed to a
        // server of a test running in parallel, which made this test flaky.)
        let server = try await OpenMeteoFixtureServer.start()
        try await server.stop()
        let closed: [String: JSONValue] = [
            "geocoding_url": "http://127.0.0.1:1/v1/search", "forecast_url": "http://127.0.0.1:1/v1/forecast",
            "timeout_ms": 10_000,
        ]
        let started = ContinuousClock.now
        let (response, errors) = try await ask(server, settings: closed)
        #expect(ContinuousClock.now - started < .seconds(5))  // the time limit is 10 s: no waiting for it
        #expect(
            response.speech
                == "Sorry, I can't reach the weather service right now. Check the internet connection and try again.")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("weather: cannot reach the Open-Meteo geocoder") == true)
    }

    @Test func aSlowServerTimesOut() async throws {
        // The server answers after 8 s; the 300 ms limit must cut that short even on a busy machine (a parallel test
        // run saturates both cores, and timers then fire late).
        let server = try await OpenMeteoFixtureServer.start(.slow(milliseconds: 8000))
        let started = ContinuousClock.now
        let (response, errors) = try await ask(server, settings: ["timeout_ms": 300])
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(250) && elapsed < .milliseconds(7500), "took \(elapsed)")
        #expect(
            response.speech == "Sorry, the weather service is taking too long to answer. Please try again in a moment.")
        #expect(errors == ["weather: the Open-Meteo geocoder did not answer within 300 ms"])
        try await server.stop()
    }

    @Test func anUnknownPlaceAsksWhichPlaceWasMeant() async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let request = Support.request(
            "what's the weather in atlantis", ["location": .text("atlantis"), "date": Support.january(2)])
        let (response, errors) = try await ask(server, request: request)
        #expect(response.speech == "Sorry, I couldn't find a place called atlantis. Which place did you mean?")
        #expect(response.directive == .elicitSlot("location"))
        #expect(response.updatedSlots?.values == ["date": Support.january(2)])
        #expect(errors == ["weather: the geocoder found no place called 'atlantis'"])
        #expect(server.count("/v1/forecast") == 0)
        try await server.stop()
    }

    @Test func noLocationAnywhereSaysHowToGiveOne() async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let skill = WeatherSkill(settings: ["forecast_url": .string(server.forecastURL)])
        let logs = CapturedLogs()
        let response = try await skill.handle(
            Support.request("what's the weather"), context: Support.context(settings: [:], logs: logs))
        #expect(response.speech.hasPrefix("I don't know where you are yet."))
        #expect(logs.errors.count == 1)
        #expect(server.requests.isEmpty)
        try await skill.shutdown()
        try await server.stop()
    }

    @Test(arguments: [
        (["units": "kelvin"], "'units' must be metric or imperial, not 'kelvin'"),
        (["latitude": 51.5], "'latitude' and 'longitude' go together; one of them is missing"),
        (["forecast_url": "ftp://x.org"], "'forecast_url' must be an http or https address, not 'ftp://x.org'"),
        (["timeout_ms": "soon"], "'timeout_ms' must be a number, not \"soon\""),
    ] as [([String: JSONValue], String)])
    func badSettingsAreSaidAndLogged(settings: [String: JSONValue], problem: String) async throws {
        let skill = WeatherSkill(settings: ["location": "London"])
        let logs = CapturedLogs()
        let response = try await skill.handle(
            Support.request("what's the weather"), context: Support.context(settings: settings, logs: logs))
        #expect(response.speech == "Sorry, the weather settings have a problem: \(problem).")
        #expect(logs.errors == ["weather: weather settings: \(problem)"])
        try await skill.shutdown()
    }

    @Test func afterShutdownTheSkillApologisesAndShutdownIsIdempotent() async throws {
        let server = try await OpenMeteoFixtureServer.start()
        let skill = WeatherSkill(settings: Support.settings(server))
        let context = try Support.context(settings: [:])
        let before = try await skill.handle(Support.request("what's the weather"), context: context)
        #expect(before.speech.hasPrefix("Right now in London"))
        try await skill.shutdown()
        try await skill.shutdown()
        let after = try await skill.handle(Support.request("what's the weather"), context: context)
        // The place and forecast are cached, so ask about a place not yet looked up.
        let elsewhere = try await skill.handle(
            Support.request("what's the weather in paris", ["location": .text("paris")]), context: context)
        #expect(after.speech.hasPrefix("Right now in London"))
        #expect(elsewhere.speech == "Sorry, the weather skill is shutting down.")
        try await server.stop()
    }
}
