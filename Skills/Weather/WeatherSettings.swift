import Foundation
import HarkSkillKit

/// The weather skill's settings, read from `config.yaml` (`skills: { weather: { … } }`) over the defaults
/// the skill was created with.
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `location` | a place name, geocoded once and cached | none |
/// | `latitude`, `longitude` | coordinates instead of a name (both or neither) | none |
/// | `location_name` | how to say the place given by coordinates | "your location" |
/// | `units` | `metric` (°C, km/h, mm) or `imperial` (°F, mph, inches) | `metric` |
/// | `forecast_url` | Open-Meteo forecast endpoint | `https://api.open-meteo.com/v1/forecast` |
/// | `geocoding_url` | Open-Meteo geocoding endpoint | `https://geocoding-api.open-meteo.com/v1/search` |
/// | `timeout_ms` | limit for one request, connect and read together | 5000 |
/// | `cache_minutes` | how long a fetched forecast is reused | 10 |
public struct WeatherSettings: Sendable, Equatable {
    /// Units of the figures the skill fetches and speaks.
    public enum Units: String, Sendable, Equatable, Codable {
        /// Degrees Celsius, kilometres per hour, millimetres.
        case metric
        /// Degrees Fahrenheit, miles per hour, inches.
        case imperial
    }

    /// The default place as a name to geocode (`location`).
    public var locationName: String?
    /// The default place as coordinates (`latitude`, `longitude`).
    public var coordinates: Coordinates?
    /// How to say the place given by coordinates (`location_name`).
    public var coordinatesName: String?
    /// Units of the figures.
    public var units: Units
    /// Open-Meteo's forecast endpoint (no query).
    public var forecastURL: String
    /// Open-Meteo's geocoding endpoint (no query).
    public var geocodingURL: String
    /// The limit for one HTTP request, connect and read together.
    public var timeout: Duration
    /// How long a fetched forecast is reused.
    public var cacheLifetime: Duration
    /// The morning briefing has today's weather (`briefing`, on by default).
    public var briefing: Bool

    /// A point on Earth.
    public struct Coordinates: Sendable, Equatable, Hashable, Codable {
        public var latitude: Double
        public var longitude: Double

        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public static let defaultForecastURL = "https://api.open-meteo.com/v1/forecast"
    public static let defaultGeocodingURL = "https://geocoding-api.open-meteo.com/v1/search"

    /// Reads settings; a value of the wrong kind or out of range is a ``WeatherError`` naming the key.
    public init(_ values: [String: JSONValue]) throws {
        func text(_ key: String) throws -> String? {
            guard let value = values[key], value != .null else { return nil }
            guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                throw WeatherError.settings("'\(key)' must be text, not \(value)")
            }
            return text
        }
        func number(_ key: String) throws -> Double? {
            guard let value = values[key], value != .null else { return nil }
            if let number = value.numberValue { return number }
            if let text = value.stringValue, let number = Double(text) { return number }
            throw WeatherError.settings("'\(key)' must be a number, not \(value)")
        }
        func url(_ key: String, default fallback: String) throws -> String {
            guard let url = try text(key) else { return fallback }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw WeatherError.settings("'\(key)' must be an http or https address, not '\(url)'")
            }
            return url
        }

        locationName = try text("location")
        coordinatesName = try text("location_name")
        switch (try number("latitude"), try number("longitude")) {
        case (nil, nil):
            coordinates = nil
        case (let latitude?, let longitude?):
            guard (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                throw WeatherError.settings("'latitude' must be within ±90 and 'longitude' within ±180")
            }
            coordinates = Coordinates(latitude: latitude, longitude: longitude)
        default:
            throw WeatherError.settings("'latitude' and 'longitude' go together; one of them is missing")
        }
        let unitsText = try text("units") ?? Units.metric.rawValue
        guard let units = Units(rawValue: unitsText.lowercased()) else {
            throw WeatherError.settings("'units' must be metric or imperial, not '\(unitsText)'")
        }
        self.units = units
        forecastURL = try url("forecast_url", default: Self.defaultForecastURL)
        geocodingURL = try url("geocoding_url", default: Self.defaultGeocodingURL)
        let timeoutMs = try number("timeout_ms") ?? 5000
        guard timeoutMs > 0, timeoutMs <= 120_000 else {
            throw WeatherError.settings("'timeout_ms' must be between 1 and 120000, not \(timeoutMs)")
        }
        timeout = .milliseconds(timeoutMs)
        let cacheMinutes = try number("cache_minutes") ?? 10
        guard cacheMinutes >= 0 else { throw WeatherError.settings("'cache_minutes' must not be negative") }
        cacheLifetime = .seconds(cacheMinutes * 60)
        if let value = values["briefing"], value.boolValue == nil {
            throw WeatherError.settings("'briefing' must be true or false, not \(value)")
        }
        briefing = values["briefing"]?.boolValue ?? true
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
