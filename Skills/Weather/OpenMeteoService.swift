import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Open-Meteo over HTTP: the geocoder for place names and the forecast for coordinates. Every failure
/// comes out as a ``WeatherError`` that says which service failed and how.
struct OpenMeteoService: Sendable {
    let http: HTTPClientHolder

    static let geocoderName = "the Open-Meteo geocoder"
    static let forecastName = "the Open-Meteo forecast service"
    /// The largest answer accepted (a 7-day daily forecast is about 1 kB).
    static let maxBodyBytes = 1 << 20

    /// The best match for `name`, or nil when the geocoder knows no such place.
    func geocode(_ name: String, settings: WeatherSettings, logger: Logger) async throws -> Place? {
        let url = try Self.url(
            settings.geocodingURL,
            ["name": name, "count": "1", "language": "en", "format": "json"], service: Self.geocoderName)
        let body = try await get(url, service: Self.geocoderName, settings: settings, logger: logger)
        let response: OpenMeteoJSON.GeocodingResponse
        do {
            response = try JSONDecoder().decode(OpenMeteoJSON.GeocodingResponse.self, from: body)
        } catch {
            throw WeatherError.malformed(service: Self.geocoderName, detail: Self.explain(error))
        }
        guard let first = response.results?.first else { return nil }
        return Place(name: first.name, latitude: first.latitude, longitude: first.longitude)
    }

    /// The current weather and the 7-day daily forecast of `place`.
    func forecast(for place: Place, settings: WeatherSettings, logger: Logger) async throws -> Forecast {
        let imperial = settings.units == .imperial
        var query = [
            "latitude": String(place.latitude), "longitude": String(place.longitude),
            "daily": "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,"
                + "precipitation_sum,wind_speed_10m_max",
            "current": "temperature_2m,weather_code,wind_speed_10m", "timezone": "auto", "forecast_days": "7",
            "temperature_unit": imperial ? "fahrenheit" : "celsius", "wind_speed_unit": imperial ? "mph" : "kmh",
        ]
        if imperial { query["precipitation_unit"] = "inch" }
        let url = try Self.url(settings.forecastURL, query, service: Self.forecastName)
        let body = try await get(url, service: Self.forecastName, settings: settings, logger: logger)
        do {
            let response = try JSONDecoder().decode(OpenMeteoJSON.ForecastResponse.self, from: body)
            return try OpenMeteoJSON.forecast(response, place: place, units: settings.units)
        } catch {
            throw WeatherError.malformed(service: Self.forecastName, detail: Self.explain(error))
        }
    }

    /// `base` with `query` appended (keys in a fixed order, so request URLs are reproducible).
    static func url(_ base: String, _ query: [String: String], service: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw WeatherError.settings("the address of \(service) is not a URL: '\(base)'")
        }
        components.queryItems = (components.queryItems ?? []) + query.keys.sorted().map {
            URLQueryItem(name: $0, value: query[$0])
        }
        guard let url = components.string else {
            throw WeatherError.settings("the address of \(service) is not a URL: '\(base)'")
        }
        return url
    }

    /// GETs `url` within the settings' timeout and returns the body of a 2xx answer.
    private func get(_ url: String, service: String, settings: WeatherSettings, logger: Logger) async throws -> Data {
        let client = try await http.client()
        let milliseconds = Int64((settings.timeout.inSeconds * 1000).rounded())
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        logger.debug("GET \(url)")
        do {
            let response = try await client.execute(request, timeout: .milliseconds(milliseconds))
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            let data = Data(body.readableBytesView)
            guard (200..<300).contains(response.status.code) else {
                let reason = (try? JSONDecoder().decode(OpenMeteoJSON.ErrorResponse.self, from: data))?.reason
                throw WeatherError.httpStatus(service: service, status: Int(response.status.code), reason: reason)
            }
            return data
        } catch let error as WeatherError {
            throw error
        } catch let error as HTTPClientError
            where [.deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
                   .getConnectionFromPoolTimeout].contains(error)
        {
            throw WeatherError.timeout(service: service, milliseconds: Int(milliseconds))
        } catch is NIOTooManyBytesError {
            let detail = "the answer is larger than \(Self.maxBodyBytes) bytes"
            throw WeatherError.malformed(service: service, detail: detail)
        } catch {
            throw WeatherError.unreachable(service: service, detail: String(describing: error))
        }
    }

    /// One line saying why a JSON answer could not be read.
    static func explain(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON (\(context.debugDescription))"
        case DecodingError.keyNotFound(let key, let context):
            return "no '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "'\(path(context.codingPath))' has the wrong type"
        default:
            return String(describing: error)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }
}

/// The one `HTTPClient` of a weather skill: created on first use (so a skill that never asks the
/// network never starts one), or supplied by the caller, who then owns it.
actor HTTPClientHolder {
    private var owned: HTTPClient?
    private let supplied: HTTPClient?
    private var isShutDown = false

    init(supplied: HTTPClient?) {
        self.supplied = supplied
    }

    /// The client; a ``WeatherError/shutDown`` after ``shutdown()``.
    func client() throws -> HTTPClient {
        guard !isShutDown else { throw WeatherError.shutDown }
        if let supplied { return supplied }
        if let owned { return owned }
        var configuration = HTTPClient.Configuration()
        // A refused connection fails at once instead of being retried until the deadline: a voice
        // assistant should say "I can't reach the weather service" now, not after the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        owned = client
        return client
    }

    /// Shuts the owned client down (a supplied client is left to its owner). Idempotent.
    func shutdown() async throws {
        guard !isShutDown else { return }
        isShutDown = true
        if let owned {
            self.owned = nil
            try await owned.shutdown()
        }
    }
}
