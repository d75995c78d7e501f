import ArgumentParser
import Foundation
import HarkAssistant
import HarkRuntime
import HarkServe
import Logging
import ServiceLifecycle
import UnixSignals

/// `hark serve`: the HTTP API (and the Wyoming server) as one long-running service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer over HTTP (and Wyoming): /v1/ask, /v1/run, /v1/say, /v1/skills, /healthz, /metrics.",
        discussion: """
            Listens on serve.http from the configuration (default 127.0.0.1:8088) or --http; port 0 picks a free \
            port. Prints "hark serve: HTTP API on http://HOST:PORT" when it accepts requests.

            Only loopback addresses are allowed unless serve.token is set; with a token, every HTTP request but \
            /healthz must carry "Authorization: Bearer TOKEN" (/healthz then answers only {"status":"ok"} without it). \
            Request bodies over serve.max_body_bytes (default 10 MiB) are refused with 413.

            SIGTERM or SIGINT ends cleanly; SIGHUP reloads the configuration and the skills (a configuration that \
            cannot be read is reported and the previous one goes on; listening addresses and the token stay as they \
            were started). docs/openapi.yaml describes the API.
            """)

    @Option(help: ArgumentHelp("Where the HTTP API listens (default: serve.http, else 127.0.0.1:8088).", valueName: "HOST:PORT"))
    var http: String?
    @Option(help: ArgumentHelp("Where the Wyoming server listens (default: serve.wyoming, else none).", valueName: "HOST:PORT"))
    var wyoming: String?
    @Option(
        help: ArgumentHelp(
            "Only these skills listen (ids, comma-separated), instead of enabled_skills and disabled_skills.",
            valueName: "ID,ID"))
    var skills: String?
    @Option(help: "A device registry to use (Hark YAML or Home Assistant fixtures JSON).") var devices: String?

    func validate() throws {
        if let skills, SkillSelection.only(skills).enabled?.isEmpty != false {
            throw ValidationError("--skills: name at least one skill id (hark skills list shows them)")
        }
        for (flag, value) in [("--http", http), ("--wyoming", wyoming)] {
            if let value {
                do { _ = try ServeAddress.parse(value) } catch { throw ValidationError("\(flag): \(error)") }
            }
        }
    }

    func run() async throws {
        let skills = self.skills
        let load: @Sendable () throws -> HarkEnvironment = {
            var environment = try HarkEnvironment.fromEnvironment()
            if let skills { environment.configuration.skillSelection = .only(skills) }
            return environment
        }
        let environment = try load()
        HarkLogging.apply(environment.configuration)
        let settings = environment.configuration.serve
        let httpAddress = try http.map { try ServeAddress.parse($0) } ?? settings.http
        let wyomingAddress = try wyoming.map { try ServeAddress.parse($0) } ?? settings.wyoming
        try Self.checkExposure([("HTTP", httpAddress), ("Wyoming", wyomingAddress)], token: settings.token)

        let logger = Logger(label: "hark.serve")
        let registry = ServeMetrics.bootstrap()
        let engine = try ServeEngine(devicesFile: devices, logger: logger, load: load)
        let wyomingHandle: WyomingServeHandle
        do {
            wyomingHandle = try makeWyomingServices(
                WyomingServeRequest(
                    host: wyomingAddress?.host, port: wyomingAddress?.port, environment: environment,
                    assistant: { await engine.generation.assistant },
                    skills: skills.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                    logger: Logger(label: "hark.serve.wyoming")))
        } catch {
            await engine.shutdown()
            throw error
        }

        let api = HTTPAPI(
            settings: HTTPServeSettings(address: httpAddress, token: settings.token, maxBodyBytes: settings.maxBodyBytes),
            engine: engine, registry: registry,
            satellites: { await wyomingHandle.satellites().map { $0 as any Encodable & Sendable } },
            logger: Logger(label: "hark.serve.http"))
        let buttons: DashButtons?
        do {
            buttons = try DashButtons.start(
                configuration: environment.configuration, assistant: { await engine.generation.assistant }
            ) {
                print("hark serve: \($0)")
                fflush(nil)
            }
        } catch {
            await engine.shutdown()
            throw error
        }
        defer { buttons?.stop() }
        let application = api.application { address in
            print("hark serve: HTTP API on http://\(address)")
            fflush(nil)
        }
        // SIGHUP is trapped before the server says it is ready: a SIGHUP must never find the default action.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let reloader = ReloadService(hangups: hangups) {
            do {
                let summary = try await engine.reload()
                HarkLogging.apply(await engine.generation.environment.configuration)
                print("hark serve: \(summary)")
            } catch {
                print("hark serve: reload failed: \(error); still serving with the previous configuration and skills")
            }
            fflush(nil)
        }
        let services: [ServiceGroupConfiguration.ServiceConfiguration] =
            [
                .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: reloader),
            ] + wyomingHandle.services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
        print("hark serve: stopped")
    }

    /// Refuses an address other than loopback without a token: anyone on the network could otherwise drive the
    /// assistant (order things, unlock doors).
    static func checkExposure(_ addresses: [(String, ServeAddress?)], token: String?) throws {
        guard token == nil else { return }
        for case let (name, address?) in addresses where !address.isLoopback {
            throw ExposureError(endpoint: name, address: address)
        }
    }
}

/// A non-loopback listening address without `serve.token`.
struct ExposureError: Error, CustomStringConvertible {
    var endpoint: String
    var address: ServeAddress
    var description: String {
        "refusing to serve \(endpoint) on \(address) without a token: anyone who can reach this machine could use Hark. "
            + "Set serve.token in the configuration (clients then send Authorization: Bearer TOKEN), or listen on "
            + "127.0.0.1"
    }
}

/// Reloads on every SIGHUP until the group shuts down.
struct ReloadService: Service {
    var hangups: UnixSignalsSequence
    var reload: @Sendable () async -> Void

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() { await reload() }
    }
}
