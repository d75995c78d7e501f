import ArgumentParser
import Foundation
import HarkRuntime
import Logging
import ServiceLifecycle
import UnixSignals

/// TEMPORARY, hidden: `hark wyoming-dev --wyoming HOST:PORT` runs the Wyoming server and the satellite hub
/// (``makeWyomingServices(_:)``) until SIGINT/SIGTERM, for testing them before `hark serve` (issue 18, the HTTP
/// side) is merged. `hark serve --wyoming HOST:PORT` replaces it; delete this file then.
struct WyomingDevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wyoming-dev", abstract: "Run the Wyoming server and satellites (temporary; use hark serve).",
        shouldDisplay: false)

    @Option(help: ArgumentHelp("Where to listen for Wyoming clients.", valueName: "HOST:PORT")) var wyoming: String?
    @OptionGroup var assistantOptions: AssistantOptionsGroup

    func run() async throws {
        let environment = try assistantOptions.environment()
        var host: String?
        var port: Int?
        if let wyoming {
            guard let colon = wyoming.lastIndex(of: ":"), let number = Int(wyoming[wyoming.index(after: colon)...])
            else {
                throw ValidationError("--wyoming: give HOST:PORT, e.g. 127.0.0.1:10400")
            }
            host = String(wyoming[..<colon])
            port = number
        }
        guard host != nil || !environment.configuration.satellites.isEmpty else {
            throw ValidationError("nothing to run: give --wyoming HOST:PORT or configure satellites:")
        }
        let logger = Logger(label: "hark.wyoming")
        let assistant = try environment.makeAssistant(devicesFile: assistantOptions.devices)
        let handle = try makeWyomingServices(
            WyomingServeRequest(
                host: host, port: port, environment: environment, assistant: { assistant }, skills: nil, logger: logger)
        )
        let group = ServiceGroup(
            services: handle.services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger)
        do {
            try await group.run()
        } catch {
            await assistant.shutdown()
            throw error
        }
        await assistant.shutdown()
    }
}
