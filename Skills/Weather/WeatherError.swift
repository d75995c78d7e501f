/// What went wrong while answering a weather question. The skill speaks each kind as a plain-words
/// apology (its `error_*` response) and logs ``description`` through the request's logger.
public struct WeatherError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case settings(String)
        case noLocation
        case unknownPlace(String)
        case unreachable(service: String, detail: String)
        case timeout(service: String, milliseconds: Int)
        case httpStatus(service: String, status: Int, reason: String?)
        case malformed(service: String, detail: String)
        case shutDown
    }
    private let kind: Kind

    /// The skill's settings are wrong (the message names the key).
    public static func settings(_ message: String) -> WeatherError { WeatherError(kind: .settings(message)) }
    /// Neither the request nor the settings say where.
    public static let noLocation = WeatherError(kind: .noLocation)
    /// The geocoder knows no place by that name.
    public static func unknownPlace(_ name: String) -> WeatherError { WeatherError(kind: .unknownPlace(name)) }
    /// The service could not be reached (no network, refused connection, name lookup failed).
    public static func unreachable(service: String, detail: String) -> WeatherError {
        WeatherError(kind: .unreachable(service: service, detail: detail))
    }
    /// The service did not answer in time.
    public static func timeout(service: String, milliseconds: Int) -> WeatherError {
        WeatherError(kind: .timeout(service: service, milliseconds: milliseconds))
    }
    /// The service answered with an HTTP error status.
    public static func httpStatus(service: String, status: Int, reason: String?) -> WeatherError {
        WeatherError(kind: .httpStatus(service: service, status: status, reason: reason))
    }
    /// The service's answer could not be read.
    public static func malformed(service: String, detail: String) -> WeatherError {
        WeatherError(kind: .malformed(service: service, detail: detail))
    }
    /// The skill was shut down and can make no more requests.
    public static let shutDown = WeatherError(kind: .shutDown)

    public var description: String {
        switch kind {
        case .settings(let message): return "weather settings: \(message)"
        case .noLocation: return "no location: the request names none and the settings have no 'location'"
        case .unknownPlace(let name): return "the geocoder found no place called '\(name)'"
        case .unreachable(let service, let detail): return "cannot reach \(service): \(detail)"
        case .timeout(let service, let milliseconds): return "\(service) did not answer within \(milliseconds) ms"
        case .httpStatus(let service, let status, let reason):
            return "\(service) answered HTTP \(status)" + (reason.map { ": \($0)" } ?? "")
        case .malformed(let service, let detail): return "\(service) sent an answer that is not a forecast: \(detail)"
        case .shutDown: return "the weather skill was shut down"
        }
    }

    /// The `responses/en.yaml` key that says this to the user, with its values.
    var reply: (key: String, values: [String: String]) {
        switch kind {
        case .settings(let message): return ("error_settings", ["problem": message])
        case .noLocation: return ("error_no_location", [:])
        case .unknownPlace(let name): return ("error_unknown_place", ["place": name])
        case .unreachable: return ("error_unreachable", [:])
        case .timeout: return ("error_timeout", [:])
        case .httpStatus(_, let status, _): return ("error_service", ["status": String(status)])
        case .malformed: return ("error_malformed", [:])
        case .shutDown: return ("error_shut_down", [:])
        }
    }
}
