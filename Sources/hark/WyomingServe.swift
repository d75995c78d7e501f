// Placeholder from the HTTP side of issue 18: the Wyoming helper's real file replaces this one at merge.
import ArgumentParser
import HarkAssistant
import HarkRuntime
import Logging
import ServiceLifecycle

/// What `hark serve` hands the Wyoming side.
struct WyomingServeRequest: Sendable {
    /// Where to listen for Wyoming clients (nil: no Wyoming server, satellites only).
    var host: String?
    var port: Int?
    /// The configuration and paths in force (satellites come from `environment.configuration.satellites`).
    var environment: HarkEnvironment
    /// The assistant in force; after a SIGHUP reload it returns the new one.
    var assistant: @Sendable () async -> Assistant
    /// `--skills` from the command line (nil: the configuration's selection).
    var skills: [String]?
    var logger: Logger
}

/// Satellite state for `/healthz`.
struct SatelliteHealth: Sendable, Codable, Equatable {
    var uri: String
    var area: String?
    var connected: Bool
    var lastError: String?
}

/// What the Wyoming side gives back: services to run in the serve command's ServiceGroup, and satellite health.
struct WyomingServeHandle: Sendable {
    var services: [any Service]
    var satellites: @Sendable () async -> [SatelliteHealth]
}

/// Builds the Wyoming server (when host/port are set) and the satellite hub (when satellites are configured).
///
/// This build has neither: without a Wyoming address it returns no services and no satellites; with one it refuses.
func makeWyomingServices(_ request: WyomingServeRequest) throws -> WyomingServeHandle {
    guard request.host == nil else { throw ValidationError("the Wyoming server is not part of this build yet") }
    return WyomingServeHandle(services: [], satellites: { [] })
}
