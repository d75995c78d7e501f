import Foundation
import HarkUnderstanding

/// A named place with coordinates: from the geocoder, the settings, or an earlier turn of the session.
struct Place: Sendable, Hashable, Codable {
    var name: String
    var latitude: Double
    var longitude: Double
}

/// The weather of one day, in the units it was fetched in. Any figure may be missing (Open-Meteo sends
/// `null` where a model has no value).
struct DayForecast: Sendable, Equatable {
    var day: CalendarDay
    /// WMO weather interpretation code.
    var code: Int?
    var high: Double?
    var low: Double?
    /// Highest chance of precipitation during the day, 0–100.
    var precipitationChance: Double?
    /// Total precipitation (mm or inches).
    var precipitation: Double?
    /// Highest wind speed (km/h or mph).
    var windMax: Double?
}

/// The weather now.
struct CurrentWeather: Sendable, Equatable {
    var temperature: Double?
    var code: Int?
    var wind: Double?
}

/// One Open-Meteo forecast: the weather now and the next days, for one place and one set of units.
struct Forecast: Sendable, Equatable {
    var place: Place
    var units: WeatherSettings.Units
    /// Offset of the place's local time from UTC; `daily.time` days are local days of the place.
    var utcOffsetSeconds: Int
    var current: CurrentWeather?
    var days: [DayForecast]

    /// The forecast of `day`, if it covers it.
    func day(_ day: CalendarDay) -> DayForecast? { days.first { $0.day == day } }

    /// The day it is now at the place.
    func localToday(now: Date) -> CalendarDay {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        return CalendarDay(now.addingTimeInterval(TimeInterval(utcOffsetSeconds)), calendar: utc)
    }
}

/// The JSON shapes of Open-Meteo's forecast and geocoding answers, and their conversion to the skill's
/// model. Field names are Open-Meteo's (`daily.time`, `temperature_2m_max`, …).
enum OpenMeteoJSON {
    /// `GET /v1/forecast` with `daily=…&current=…&timezone=auto`.
    struct ForecastResponse: Decodable {
        var latitude: Double
        var longitude: Double
        var utcOffsetSeconds: Int
        var timezone: String?
        var current: Current?
        var daily: Daily

        struct Current: Decodable {
            var time: String
            var temperature2m: Double?
            var weatherCode: Int?
            var windSpeed10m: Double?

            enum CodingKeys: String, CodingKey {
                case time
                case temperature2m = "temperature_2m"
                case weatherCode = "weather_code"
                case windSpeed10m = "wind_speed_10m"
            }
        }

        struct Daily: Decodable {
            var time: [String]
            var weatherCode: [Int?]
            var temperature2mMax: [Double?]
            var temperature2mMin: [Double?]
            var precipitationProbabilityMax: [Double?]?
            var precipitationSum: [Double?]?
            var windSpeed10mMax: [Double?]?

            enum CodingKeys: String, CodingKey {
                case time
                case weatherCode = "weather_code"
                case temperature2mMax = "temperature_2m_max"
                case temperature2mMin = "temperature_2m_min"
                case precipitationProbabilityMax = "precipitation_probability_max"
                case precipitationSum = "precipitation_sum"
                case windSpeed10mMax = "wind_speed_10m_max"
            }
        }

        enum CodingKeys: String, CodingKey {
            case latitude, longitude, timezone, current, daily
            case utcOffsetSeconds = "utc_offset_seconds"
        }
    }

    /// `GET /v1/search`: `results` is absent when nothing matched.
    struct GeocodingResponse: Decodable {
        var results: [Result]?

        struct Result: Decodable {
            var name: String
            var latitude: Double
            var longitude: Double
            var country: String?
        }
    }

    /// The body of an Open-Meteo error answer: `{"error": true, "reason": "…"}`.
    struct ErrorResponse: Decodable {
        var reason: String
    }

    /// Converts a decoded forecast, checking that the daily arrays line up with `daily.time`.
    static func forecast(_ response: ForecastResponse, place: Place, units: WeatherSettings.Units) throws -> Forecast {
        let daily = response.daily
        let count = daily.time.count
        guard count > 0 else { throw ShapeProblem("daily.time is empty") }
        let columns: [(String, Int?)] = [
            ("weather_code", daily.weatherCode.count), ("temperature_2m_max", daily.temperature2mMax.count),
            ("temperature_2m_min", daily.temperature2mMin.count),
            ("precipitation_probability_max", daily.precipitationProbabilityMax?.count),
            ("precipitation_sum", daily.precipitationSum?.count), ("wind_speed_10m_max", daily.windSpeed10mMax?.count),
        ]
        for (name, length) in columns where length.map({ $0 != count }) ?? false {
            throw ShapeProblem("daily.\(name) has \(length ?? 0) values for \(count) days")
        }
        var days: [DayForecast] = []
        for index in 0..<count {
            guard let day = calendarDay(daily.time[index]) else {
                throw ShapeProblem("daily.time[\(index)] is '\(daily.time[index])', not YYYY-MM-DD")
            }
            days.append(
                DayForecast(
                    day: day, code: daily.weatherCode[index], high: daily.temperature2mMax[index],
                    low: daily.temperature2mMin[index],
                    precipitationChance: daily.precipitationProbabilityMax?[index] ?? nil,
                    precipitation: daily.precipitationSum?[index] ?? nil,
                    windMax: daily.windSpeed10mMax?[index] ?? nil))
        }
        let current = response.current.map {
            CurrentWeather(temperature: $0.temperature2m, code: $0.weatherCode, wind: $0.windSpeed10m)
        }
        return Forecast(
            place: place, units: units, utcOffsetSeconds: response.utcOffsetSeconds, current: current, days: days)
    }

    private static func calendarDay(_ text: String) -> CalendarDay? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// A well-formed JSON answer whose content does not fit together.
    struct ShapeProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
