import Foundation

/// Typical weather by place and month (`data/climate.yaml`), for advice about a trip beyond the forecast.
struct ClimateTable: Sendable {
    /// One place's typical month.
    struct Month: Sendable, Equatable {
        /// Mean daily lowest and highest temperatures, °C.
        var low: Double
        var high: Double
        /// Days with at least 1 mm of rain or snow.
        var wetDays: Int
        /// Days with snow falling or lying.
        var snowDays: Int
    }

    /// Lower-case place name → its twelve months, January first.
    private let places: [String: [Month]]

    /// Every place the table knows, lower case.
    var placeNames: [String] { places.keys.sorted() }

    /// The typical `month` (1–12) at `place` (any case), when the table knows the place.
    func month(_ month: Int, at place: String) -> Month? {
        guard (1...12).contains(month) else { return nil }
        return places[place.lowercased()]?[month - 1]
    }

    /// Reads the table; a place without twelve values in each field is an error naming the file and the place.
    static func load(path: String) throws -> ClimateTable {
        let entries = try ShoppingDataFile.load(path, as: [String: [String: Any]].self, expecting: "places by name")
        var places: [String: [Month]] = [:]
        for (name, fields) in entries {
            func twelve(_ key: String) throws -> [Double] {
                let values = (fields[key] as? [Any])?.compactMap(ShoppingDataFile.number) ?? []
                guard values.count == 12 else {
                    throw ShoppingDataError("\(path): \(name): \(key) needs twelve numbers, January to December")
                }
                return values
            }
            let (low, high) = (try twelve("low"), try twelve("high"))
            let (wet, snow) = (try twelve("wet_days"), try twelve("snow_days"))
            places[name.lowercased()] = (0..<12).map {
                Month(low: low[$0], high: high[$0], wetDays: Int(wet[$0]), snowDays: Int(snow[$0]))
            }
        }
        return ClimateTable(places: places)
    }
}
