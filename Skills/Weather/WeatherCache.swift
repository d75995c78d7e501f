import Foundation
import HarkUnderstanding

/// Recent answers of Open-Meteo, so that a follow-up question does not fetch again: forecasts for a
/// short time (keyed by place, units and the day they were fetched on), place names for the life of the
/// skill (they are also kept in the skill's storage).
actor WeatherCache {
    /// What a forecast is cached under.
    struct ForecastKey: Hashable {
        var latitude: Double
        var longitude: Double
        var units: WeatherSettings.Units
        /// The day it was fetched on: a forecast fetched yesterday is not today's.
        var day: CalendarDay

        init(place: Place, units: WeatherSettings.Units, day: CalendarDay) {
            // Coordinates to about 100 m, so a place geocoded twice hits the same entry.
            latitude = (place.latitude * 1000).rounded() / 1000
            longitude = (place.longitude * 1000).rounded() / 1000
            self.units = units
            self.day = day
        }
    }

    /// Entries kept at most; the oldest go first.
    static let capacity = 64

    private var forecasts: [ForecastKey: (fetchedAt: Date, forecast: Forecast)] = [:]
    private var places: [String: Place] = [:]

    /// The forecast under `key` if it was fetched less than `lifetime` before `now`.
    func forecast(_ key: ForecastKey, now: Date, lifetime: Duration) -> Forecast? {
        guard let entry = forecasts[key] else { return nil }
        let age = now.timeIntervalSince(entry.fetchedAt)
        guard age >= 0, age < lifetime.inSeconds else {
            forecasts[key] = nil
            return nil
        }
        return entry.forecast
    }

    func store(_ forecast: Forecast, under key: ForecastKey, now: Date) {
        forecasts[key] = (now, forecast)
        if forecasts.count > Self.capacity,
            let oldest = forecasts.min(by: { $0.value.fetchedAt < $1.value.fetchedAt })?.key
        {
            forecasts[oldest] = nil
        }
    }

    /// A place found earlier under `name` (lower-cased).
    func place(named name: String) -> Place? { places[name] }

    func store(_ place: Place, named name: String) {
        if places.count >= Self.capacity * 4 { places.removeAll() }
        places[name] = place
    }
}
