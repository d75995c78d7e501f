import Foundation
import HarkAssistant
import HarkAudio
import HarkRuntime
import HarkSkillHost
import HarkSpeech
import HarkVoice
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// Where and how the HTTP API listens.
public struct HTTPServeSettings: Sendable {
    public var address: ServeAddress
    /// The bearer token clients must send (nil: none; only allowed on loopback, which the command checks).
    public var token: String?
    /// The largest request body accepted (a WAV for `/v1/run`); JSON bodies are held to the smaller of this and
    /// ``jsonBodyLimit``.
    public var maxBodyBytes: Int

    public init(address: ServeAddress, token: String?, maxBodyBytes: Int) {
        self.address = address
        self.token = token
        self.maxBodyBytes = maxBodyBytes
    }

    /// The largest JSON body accepted by `/v1/ask` and `/v1/say`.
    public static let jsonBodyLimit = 64 << 10
}

/// `hark serve`'s HTTP API on Hummingbird: `/v1/ask`, `/v1/run`, `/v1/say`, `/v1/skills`, `/healthz`, `/metrics`
/// (described in `docs/openapi.yaml`).
///
/// Every failure is an HTTP status with a JSON body `{"error": "…"}`: 400 for a body that is not what the endpoint
/// takes, 401 without the bearer token, 404 for an unknown path, 413 for a body over the limit, 503 when speech
/// recognition cannot be built. With a token, `/healthz` still answers without it, but only `{"status": "ok"}`.
public struct HTTPAPI: Sendable {
    public var settings: HTTPServeSettings
    public var engine: ServeEngine
    public var registry: PrometheusCollectorRegistry
    /// Satellite state for `/healthz` (from the Wyoming side).
    public var satellites: @Sendable () async -> [any Encodable & Sendable]
    public var logger: Logger
    private let sessions = SessionLocks()

    public init(
        settings: HTTPServeSettings, engine: ServeEngine, registry: PrometheusCollectorRegistry,
        satellites: @escaping @Sendable () async -> [any Encodable & Sendable], logger: Logger
    ) {
        self.settings = settings
        self.engine = engine
        self.registry = registry
        self.satellites = satellites
        self.logger = logger
    }

    /// The server as a `Service` for the serve command's `ServiceGroup`; `onListening` gets the bound address
    /// (the port chosen when the settings say 0).
    public func application(
        onListening: @escaping @Sendable (ServeAddress) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: BearerTokenMiddleware(token: settings.token))
        let api = self
        router.post("/v1/ask") { request, context in try await api.ask(request, context: context) }
        router.post("/v1/run") { request, context in try await api.run(request, context: context) }
        router.post("/v1/say") { request, context in try await api.say(request, context: context) }
        router.get("/v1/skills") { _, _ in try await api.skills() }
        router.get("/healthz") { request, _ in try await api.health(request) }
        router.get("/metrics") { _, _ in api.metrics() }
        let host = settings.address.host
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: settings.address.port), serverName: "hark"),
            onServerRunning: { channel in
                await onListening(ServeAddress(host: host, port: channel.localAddress?.port ?? 0))
            },
            logger: logger)
    }

    // MARK: - Endpoints

    func ask(_ request: Request, context: BasicRequestContext) async throws -> Response {
        ServeMetrics.countRequest(entry: "http_ask")
        let body = try await JSONBody.read(request, limit: min(settings.maxBodyBytes, HTTPServeSettings.jsonBodyLimit))
        try body.allowOnly(["text", "session", "area"])
        let text = try body.text("text")
        let session = try body.optionalString("session", maxLength: 200)
        let area = try body.optionalString("area", maxLength: 200)
        let reply = try await sessions.withLock(session) {
            try await engine.withGeneration { generation in
                await generation.assistant.respond(to: text, sessionID: session, area: area)
            }
        }
        ServeMetrics.record(reply)
        context.logger.info(
            "answered",
            metadata: [
                "entry": "http_ask", "skill": "\(reply.skill ?? "-")", "intent": "\(reply.intent ?? "-")",
                "session": "\(reply.sessionID)",
            ])
        return .json(try reply.jsonText())
    }

    func run(_ request: Request, context: BasicRequestContext) async throws -> Response {
        ServeMetrics.countRequest(entry: "http_run")
        var options = RecordingRunOptions()
        for (name, value) in request.uri.queryParameters {
            switch String(name) {
            case "session": options.session = try Self.checked(String(value), "session")
            case "area": options.area = try Self.checked(String(value), "area")
            case "wake":
                switch value {
                case "optional": (options.noWake, options.wakeRequired) = (false, false)
                case "none": options.noWake = true
                case "required": options.wakeRequired = true
                default: throw APIError(.badRequest, "wake: '\(value)' is not one of optional, none, required")
                }
            default: throw APIError(.badRequest, "unknown query parameter '\(name)' (known: area, session, wake)")
            }
        }
        let started = ContinuousClock.now
        let bytes = try await Self.collect(request, limit: settings.maxBodyBytes)
        let audio: WAVAudio
        do {
            audio = try WAVFile.read(data: bytes, name: "the request body")
        } catch {
            throw APIError(.badRequest, "\(error)")
        }
        guard audio.format.sampleRate >= Self.minimumSampleRate else {
            throw APIError(
                .badRequest,
                "the recording's sample rate is \(audio.format.sampleRate) Hz; speech needs at least "
                    + "\(Self.minimumSampleRate) Hz (16000 Hz mono is what the recognizer hears)")
        }
        let elapsed = ContinuousClock.now - started
        let readMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let outcome: RecordingOutcome
        let given = options
        do {
            outcome = try await sessions.withLock(given.session) {
                try await engine.withRecognizer { generation, recognizer in
                    var options = given
                    options.voice = generation.environment.configuration.voice
                    return try await RecordingRun.run(
                        audio, readMilliseconds: readMilliseconds, recognizer: recognizer,
                        assistant: generation.assistant, options: options)
                }
            }
        } catch let error as RecognizerUnavailable {
            throw APIError(.serviceUnavailable, error.description)
        }
        if let recognize = outcome.timings["recognize"] {
            ServeMetrics.recordRecognition(milliseconds: recognize, entry: "http_run")
        }
        if outcome.transcript?.heardWakePhrase == true { ServeMetrics.countWake(entry: "http_run") }
        ServeMetrics.record(outcome.reply)
        context.logger.info(
            "answered",
            metadata: [
                "entry": "http_run", "skill": "\(outcome.reply.skill ?? "-")", "intent": "\(outcome.reply.intent ?? "-")",
                "speech": "\(outcome.transcript != nil)", "session": "\(outcome.reply.sessionID)",
            ])
        if Self.wantsWAV(request) {
            var response = Response.wav(WAVFile.encode(WAVAudio(outcome.spoken)))
            response.headers[.init("X-Hark-Session")!] = outcome.reply.sessionID
            return response
        }
        return .json(
            try RecordingRun.report(
                input: "request", transcript: outcome.transcript, reply: outcome.reply, output: nil,
                timings: outcome.timings))
    }

    func say(_ request: Request, context: BasicRequestContext) async throws -> Response {
        ServeMetrics.countRequest(entry: "http_say")
        let body = try await JSONBody.read(request, limit: min(settings.maxBodyBytes, HTTPServeSettings.jsonBodyLimit))
        try body.allowOnly(["text", "voice"])
        let text = try body.text("text")
        var voice = await engine.generation.environment.configuration.voice
        if let name = try body.optionalString("voice", maxLength: 100) {
            try await Self.checkVoice(name)
            voice.name = name
        }
        let audio: AudioChunk
        do {
            audio = try await Synthesizer.shared.synthesize(text, voice: voice)
        } catch {
            throw APIError(.internalServerError, "cannot synthesize: \(error)")
        }
        context.logger.info("spoke", metadata: ["entry": "http_say", "voice": "\(voice.name)", "characters": "\(text.count)"])
        return .wav(WAVFile.encode(WAVAudio(audio)))
    }

    func skills() async throws -> Response {
        let installed = try await engine.withGeneration { generation in await generation.assistant.installedSkills }
        var list: [SkillDescription] = []
        for skill in installed {
            let manifest = skill.package.manifest
            list.append(
                SkillDescription(
                    id: manifest.id, name: manifest.name, version: manifest.version, description: manifest.description,
                    origin: skill.origin, health: "\(await SkillDirectoryScan.health(of: skill))",
                    intents: skill.package.templates.intents.map(\.name), permissions: manifest.permissions))
        }
        return .json(try Self.encode(["skills": list]))
    }

    func health(_ request: Request) async throws -> Response {
        guard BearerTokenMiddleware<BasicRequestContext>.authorized(request, token: settings.token) else {
            return .json(#"{"status":"ok"}"#)
        }
        let generation = await engine.generation
        let count = await generation.assistant.installedSkills.count
        let satellites = await self.satellites()
        let health = Health(
            status: "ok", skills: count, recognizer: await engine.recognizerStatus.rawValue,
            configurationGeneration: generation.number, satellites: satellites.map(AnyEncodable.init))
        return .json(try Self.encode(health))
    }

    func metrics() -> Response {
        var response = Response(
            status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return response
    }

    // MARK: - Helpers

    /// The lowest sample rate `/v1/run` accepts: below it a recording cannot hold the sounds speech is told by.
    static let minimumSampleRate = 8000

    /// The body, refused with 413 when it is (or declares itself) over `limit` bytes.
    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError(.contentTooLarge, "the body is \(declared) bytes; the limit is \(limit) (serve.max_body_bytes)")
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is over the limit of \(limit) bytes (serve.max_body_bytes)")
        }
    }

    static func checked(_ value: String, _ name: String) throws -> String {
        guard !value.isEmpty, value.count <= 200 else { throw APIError(.badRequest, "\(name): give 1 to 200 characters") }
        return value
    }

    static func wantsWAV(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        let types = accept.split(separator: ",").map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
        return types.contains { ["audio/wav", "audio/x-wav", "audio/wave"].contains($0) }
    }

    /// Refuses a voice eSpeak NG does not have: `NAME` or `NAME+VARIANT`.
    static func checkVoice(_ name: String) async throws {
        let parts = name.split(separator: "+", maxSplits: 1).map(String.init)
        let voices = await Synthesizer.shared.listVoices()
        guard let base = parts.first, voices.contains(base) else {
            throw APIError(.badRequest, "voice: '\(name)' is not an eSpeak NG voice (e.g. en-us, en-gb, en-us+f2)")
        }
        if parts.count == 2 {
            let variants = await Synthesizer.shared.listVariants()
            guard variants.contains(parts[1]) else {
                throw APIError(
                    .badRequest,
                    "voice: '\(parts[1])' is not an eSpeak NG variant (\(variants.sorted().prefix(12).joined(separator: ", "))…)")
            }
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// An installed skill as `GET /v1/skills` lists it.
struct SkillDescription: Encodable {
    var id: String
    var name: String
    var version: String
    var description: String
    var origin: String
    var health: String
    var intents: [String]
    var permissions: [String]
}

/// `GET /healthz`'s answer.
struct Health: Encodable {
    var status: String
    var skills: Int
    var recognizer: String
    var configurationGeneration: Int
    var satellites: [AnyEncodable]
}

/// An encodable value of any type.
struct AnyEncodable: Encodable {
    var value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// A JSON object read from a request body, refused with 400 when it is not one.
struct JSONBody {
    var object: [String: Any]

    static func read(_ request: Request, limit: Int) async throws -> JSONBody {
        let bytes = try await HTTPAPI.collect(request, limit: limit)
        guard !bytes.isEmpty else { throw APIError(.badRequest, "the body is empty; send a JSON object") }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw APIError(.badRequest, "the body is not JSON (\(Self.reason(error)))")
        }
        guard let object = value as? [String: Any] else { throw APIError(.badRequest, "the body must be a JSON object") }
        return JSONBody(object: object)
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    func allowOnly(_ known: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError(.badRequest, "unknown field '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// A required, non-blank string of at most 2000 characters.
    func text(_ key: String) throws -> String {
        guard let value = object[key] else { throw APIError(.badRequest, "'\(key)' is missing") }
        guard let text = value as? String else { throw APIError(.badRequest, "'\(key)' must be a string") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.badRequest, "'\(key)' is empty")
        }
        guard text.count <= 2000 else { throw APIError(.badRequest, "'\(key)' is longer than 2000 characters") }
        return text
    }

    func optionalString(_ key: String, maxLength: Int) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError(.badRequest, "'\(key)' must be a string") }
        guard !text.isEmpty, text.count <= maxLength else {
            throw APIError(.badRequest, "'\(key)' must have 1 to \(maxLength) characters")
        }
        return text
    }
}

extension Response {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
        response.headers[.contentType] = "application/json"
        return response
    }

    static func wav(_ bytes: [UInt8]) -> Response {
        var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        response.headers[.contentType] = "audio/wav"
        return response
    }
}
