import ArgumentParser
import HarkAssistant
import HarkRuntime
import HarkWyoming
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
/// Both share one ``HarkWyomingBackend`` over the assistant in force. The server's recognizer is built when the
/// server starts (in the background: `describe` and `synthesize` answer meanwhile); each satellite gets its own
/// recognizer when it first asks for a pipeline. The active skills are those of `request.assistant()` (which
/// `--skills` already shaped), so `request.skills` needs no handling here.
func makeWyomingServices(_ request: WyomingServeRequest) throws -> WyomingServeHandle {
    let configuration = request.environment.configuration
    let backend = HarkWyomingBackend(
        assistant: request.assistant,
        settings: HarkWyomingSettings(
            wakePhrase: configuration.wakePhrase, voice: configuration.voice, speechModels: configuration.speechModels),
        logger: request.logger)
    var services: [any Service] = []
    if let host = request.host {
        guard let port = request.port, (0...65535).contains(port) else {
            throw ValidationError("--wyoming: give HOST:PORT with a port from 0 to 65535")
        }
        let logger = request.logger
        services.append(
            WyomingServer(
                host: host, port: port, backend: backend, logger: logger,
                onListening: { _, _ in
                    Task {
                        do {
                            try await backend.prepare()
                        } catch {
                            logger.error("the Wyoming recognizer cannot be built", metadata: ["error": "\(error)"])
                        }
                    }
                }))
    }
    let endpoints = configuration.satellites.map { SatelliteEndpoint(host: $0.host, port: $0.port, area: $0.area) }
    guard !endpoints.isEmpty else {
        return WyomingServeHandle(services: services, satellites: { [] })
    }
    let hub = SatelliteHub(
        satellites: endpoints, wakeName: configuration.wakePhrase, logger: request.logger,
        makeVoice: { area in
            let voice = try await backend.makeVoiceLoop(area: area)
            return (voice.loop, ObjectIdentifier(voice.assistant))
        },
        currentAssistant: { [assistant = request.assistant] in ObjectIdentifier(await assistant()) })
    services.append(hub)
    return WyomingServeHandle(
        services: services,
        satellites: {
            hub.statuses().map {
                SatelliteHealth(
                    uri: $0.endpoint.uri, area: $0.endpoint.area, connected: $0.connected, lastError: $0.lastError)
            }
        })
}
