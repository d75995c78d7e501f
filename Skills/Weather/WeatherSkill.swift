import AsyncHTTPClient
import Foundation
import HarkSkillKit
import HarkUnderstanding
import Logging

/// The built-in weather skill: forecasts and yes/no weather questions ("will it rain tomorrow", "what's the
/// weather in Paris on Saturday", "do I need an umbrella") answered from Open-Meteo.
///
/// Intent `GetWeather` with slots `location` (a place name), `date` (a day or days) and `condition`
/// (rain, umbrella, snow, sun, cloud, wind, cold, hot, storm, temperature); `Help`; and, while a weather
/// conversation is open, follow-ups such as "and tomorrow?" or "what about in Berlin?".
///
/// Settings (see ``WeatherSettings``) come from `config.yaml` over the `settings` given to the
/// initialiser. Forecasts are cached for `cache_minutes`; place names are geocoded once and kept in the
/// skill's storage.
///
/// The skill owns one `HTTPClient`, started on the first request. **Call ``shutdown()`` once when the
/// skill is no longer needed** (AsyncHTTPClient requires it, and traps in debug builds when a client that
/// was started is released without it). A client passed to ``init(settings:httpClient:)`` belongs to the
/// caller and is not shut down by the skill.
public final class WeatherSkill: BriefingSkill {
    public let id = "weather"

    /// The skill's folder (`skill.yaml`, `intents/`, `responses/`, `tests/`) inside the installed bundle.
    public static var folder: String { Bundle.module.resourcePath! }

    private let defaults: [String: JSONValue]
    private let http: HTTPClientHolder
    private let cache = WeatherCache()

    /// A weather skill. `settings` are defaults under the `config.yaml` settings (tests and embedders
    /// pass `forecast_url`, `geocoding_url`, `location`, … here). With `httpClient`, requests go through
    /// that client, which the caller keeps and shuts down; without, the skill makes and owns its own.
    public init(settings: [String: JSONValue] = [:], httpClient: HTTPClient? = nil) {
        defaults = settings
        http = HTTPClientHolder(supplied: httpClient)
    }

    /// Shuts down the skill's own HTTP client; later requests are answered with an apology. Call it once
    /// when the runtime stops (idempotent; does nothing to a client supplied by the caller).
    public func shutdown() async throws {
        try await http.shutdown()
    }

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        switch request.kind {
        case .sessionEnded:
            return SkillResponse(speech: "")
        case .launch:
            return try await getWeather(request, context: context)
        case .intent:
            break
        }
        let responses = context.responses
        switch request.intent {
        case "GetWeather":
            return try await getWeather(request, context: context)
        case "Help":
            return .speak(try responses.render("help")).reprompt(try responses.render("help_reprompt"))
        case "Yes":
            return .speak(try responses.render("what_else")).reprompt(try responses.render("help_reprompt"))
                .remembering(request.session.attributes)
        case "No":
            return .speak(try responses.render("goodbye"))
        default:
            throw SkillError.invalid("the weather skill has no intent '\(request.intent)'")
        }
    }

    // MARK: - The morning briefing

    /// Today's forecast at the configured place, as "what's the weather" answers it; nil when the setting `briefing` is
    /// false or there is no forecast (no place set, offline: the briefing goes on without it, and the log says why).
    public func briefing(context: SkillContext) async throws -> String? {
        let settings = try WeatherSettings(defaults.merging(context.settings) { _, configured in configured })
        guard settings.briefing else { return nil }
        let request = SkillRequest(kind: .intent, intent: "GetWeather", session: SessionInfo(id: "briefing"))
        let response = try await getWeather(request, context: context)
        return response.data.isEmpty ? nil : response.speech
    }

    // MARK: - GetWeather

    /// Words that make an utterance a follow-up of the previous weather answer ("and tomorrow?").
    private static let followUpOpenings = ["and ", "what about ", "how about ", "and what about ", "and how about "]

    private func getWeather(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let responses = context.responses
        let remembered = request.session.isNew ? [:] : request.session.attributes
        let utterance = request.utterance.lowercased()
        let isFollowUp = !remembered.isEmpty && Self.followUpOpenings.contains { utterance.hasPrefix($0) }
        do {
            let settings = try WeatherSettings(defaults.merging(context.settings) { _, configured in configured })

            // When and what: a follow-up keeps what it does not say.
            let today = CalendarDay(context.clock.now, calendar: context.clock.calendar)
            var range = request.slots.date("date")
            if range == nil, isFollowUp, let earlier = try? remembered["date"]?.decode(DateRange.self) {
                range = earlier
            }
            var conditionName = request.slots.text("condition")
            if conditionName == nil, isFollowUp { conditionName = remembered["condition"]?.stringValue }
            // A word the condition list does not hold ("will it be nice tomorrow": the dialog passes a near miss on
            // with the word as said) cannot be judged from a forecast: the answer is the forecast, saying so.
            let condition = conditionName.flatMap(WeatherCondition.init(rawValue:))
            let unjudged = condition == nil ? conditionName : nil

            let speech = WeatherSpeech(responses: responses, units: settings.units, today: today)
            if let range, let early = try Self.outOfReach(range, today: today, speech: speech, responses: responses) {
                // Said without asking the network; the conversation keeps its place.
                return .speak(early).reprompt(try responses.render("anything_else")).remembering(remembered)
            }

            let place = try await place(
                named: request.slots.text("location"), remembered: remembered, settings: settings, context: context)
            let forecast = try await forecast(for: place, settings: settings, today: today, context: context)
            let localToday = forecast.localToday(now: context.clock.now)
            let wanted = range.map(Self.days(in:)) ?? [localToday]
            let days = wanted.compactMap(forecast.day)
            guard !days.isEmpty else {
                let last = forecast.days.last!.day
                let key = wanted.last! < forecast.days.first!.day ? "past_date" : "beyond_forecast"
                return .speak(try responses.render(key, ["last": speech.weekday(last)]))
                    .reprompt(try responses.render("anything_else"))
                    .remembering(Self.attributes(place: place, range: nil, condition: condition))
            }
            let includeNow = days.count == 1 && days[0].day == localToday
            var text: String
            switch condition {
            case nil:
                text = try speech.summary(forecast, days: days, includeNow: includeNow)
                if let unjudged {
                    text = try responses.render("unjudged_condition", ["condition": unjudged]) + " " + text
                }
            case .temperature?: text = try speech.temperatures(forecast, days: days, includeNow: includeNow)
            case let condition?: text = try speech.answer(condition, forecast, days: days)
            }
            if days.count < wanted.count, let last = forecast.days.last, wanted.last.map({ $0 > last.day }) == true {
                text += " " + (try responses.render("partial_forecast", ["last": speech.weekday(last.day)]))
            }
            return .speak(text).reprompt(try responses.render("anything_else"))
                .remembering(Self.attributes(place: place, range: range, condition: condition))
                .with(data: Self.data(forecast, days: days))
        } catch let error as WeatherError {
            context.logger.error("weather: \(error)")
            let (key, values) = error.reply
            let apology = try responses.render(key, values)
            if key == "error_unknown_place" {
                // Ask again: a bare "Paris" then fills the location and the question goes on.
                var slots = request.slots
                slots["location"] = nil
                slots.unresolved.remove("location")
                return .speak(apology).elicitSlot("location", keeping: slots)
                    .remembering(remembered)
            }
            return .speak(apology)
        }
    }

    /// Where: the place the request names, else the conversation's place, else the settings' place.
    private func place(
        named name: String?, remembered: [String: JSONValue], settings: WeatherSettings, context: SkillContext
    ) async throws -> Place {
        if let name {
            guard let found = try await findPlace(name, settings: settings, context: context) else {
                throw WeatherError.unknownPlace(name)
            }
            return found
        }
        if let earlier = try? remembered["place"]?.decode(Place.self) { return earlier }
        return try await defaultPlace(settings, context: context)
    }

    /// The settings' place: coordinates as they are, or the `location` name geocoded once.
    private func defaultPlace(_ settings: WeatherSettings, context: SkillContext) async throws -> Place {
        if let coordinates = settings.coordinates {
            let name = try settings.coordinatesName ?? context.responses.render("your_location")
            return Place(name: name, latitude: coordinates.latitude, longitude: coordinates.longitude)
        }
        guard let name = settings.locationName else { throw WeatherError.noLocation }
        guard let place = try await findPlace(name, settings: settings, context: context) else {
            throw WeatherError.settings("the geocoder found no place called '\(name)' (setting 'location')")
        }
        return place
    }

    /// The place called `name`: from memory, from the skill's storage, or from the geocoder (then kept in both).
    private func findPlace(_ name: String, settings: WeatherSettings, context: SkillContext) async throws -> Place? {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
        if let place = await cache.place(named: key) { return place }
        let storageKey = "place:" + key
        if let stored = try? await context.storage.value(Place.self, forKey: storageKey) {
            await cache.store(stored, named: key)
            return stored
        }
        let service = OpenMeteoService(http: http)
        var found = try await service.geocode(key, settings: settings, logger: context.logger)
        let words = key.split(separator: " ")
        if found == nil, words.count > 1 {
            // "paris france", "springfield illinois": Open-Meteo narrows by a country or region after a comma.
            let narrowed = words.dropLast().joined(separator: " ") + ", " + words.last!
            found = try await service.geocode(narrowed, settings: settings, logger: context.logger)
        }
        guard let place = found else { return nil }
        await cache.store(place, named: key)
        do {
            try await context.storage.set(place, forKey: storageKey)
        } catch {
            context.logger.warning("weather: could not keep the place '\(key)' in storage: \(error)")
        }
        return place
    }

    /// The forecast of `place`, from the cache when it was fetched recently.
    private func forecast(
        for place: Place, settings: WeatherSettings, today: CalendarDay, context: SkillContext
    ) async throws -> Forecast {
        let key = WeatherCache.ForecastKey(place: place, units: settings.units, day: today)
        let now = context.clock.now
        if let cached = await cache.forecast(key, now: now, lifetime: settings.cacheLifetime) {
            return Forecast(
                place: place, units: cached.units, utcOffsetSeconds: cached.utcOffsetSeconds, current: cached.current,
                days: cached.days)
        }
        let service = OpenMeteoService(http: http)
        let forecast = try await service.forecast(for: place, settings: settings, logger: context.logger)
        if settings.cacheLifetime > .zero { await cache.store(forecast, under: key, now: now) }
        return forecast
    }

    /// A reply for a range no 7-day forecast can cover (before asking the network), or nil.
    private static func outOfReach(
        _ range: DateRange, today: CalendarDay, speech: WeatherSpeech, responses: ResponseTemplates
    ) throws -> String? {
        if range.end < today { return try responses.render("past_date") }
        if WeatherSpeech.offset(from: today, to: range.start) > 7 {
            return try responses.render("beyond_forecast", ["last": speech.weekday(WeatherSpeech.day(today, plus: 6))])
        }
        return nil
    }

    /// Every day of `range` (at most 16).
    private static func days(in range: DateRange) -> [CalendarDay] {
        let count = min(max(WeatherSpeech.offset(from: range.start, to: range.end), 0), 15)
        return (0...count).map { WeatherSpeech.day(range.start, plus: $0) }
    }

    /// What a follow-up in the same conversation may reuse.
    private static func attributes(
        place: Place, range: DateRange?, condition: WeatherCondition?
    ) -> [String: JSONValue] {
        var attributes: [String: JSONValue] = [:]
        attributes["place"] = try? JSONValue.encoding(place)
        attributes["date"] = range.flatMap { try? JSONValue.encoding($0) }
        attributes["condition"] = condition.map { .string($0.rawValue) }
        return attributes
    }

    /// The answered days as structured data for `--json` output.
    private static func data(_ forecast: Forecast, days: [DayForecast]) -> [String: JSONValue] {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return [
            "place": .string(forecast.place.name),
            "units": .string(forecast.units.rawValue),
            "days": .array(
                days.map { day in
                    [
                        "date": .string(day.day.description), "weather_code": number(day.code.map(Double.init)),
                        "high": number(day.high), "low": number(day.low),
                        "precipitation_probability": number(day.precipitationChance),
                        "precipitation": number(day.precipitation), "wind_max": number(day.windMax),
                    ]
                }),
        ]
    }
}
