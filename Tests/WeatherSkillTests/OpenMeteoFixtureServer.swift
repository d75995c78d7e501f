import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP server on 127.0.0.1 that answers like Open-Meteo from recorded responses in `Fixtures/`,
/// counts the requests it gets, and can misbehave on purpose (an error status, garbage, slowness).
///
/// `/v1/search?name=X` answers `geocoding_X.json`, or `geocoding_none.json` (no `results`) for unknown
/// names; `/v1/forecast?latitude=…` answers the forecast of the fixture place nearest to the latitude
/// (`forecast_london_imperial.json` when `temperature_unit=fahrenheit`).
final class OpenMeteoFixtureServer: Sendable {
    /// How the server answers.
    enum Behaviour: Sendable {
        /// The recorded responses.
        case recorded
        /// This HTTP status with an Open-Meteo style error body.
        case status(Int)
        /// 200 with a body that is not JSON.
        case garbage
        /// The recorded responses, each after this delay.
        case slow(milliseconds: Int64)
        /// 200 with this body for every request.
        case body(String)
    }

    /// Requests received so far, as path and query (`/v1/forecast?latitude=…`).
    var requests: [String] { log.requests }
    /// Number of requests whose path is `path`.
    func count(_ path: String) -> Int { log.requests.filter { $0.hasPrefix(path + "?") || $0 == path }.count }

    /// The forecast endpoint of this server.
    var forecastURL: String { "http://127.0.0.1:\(port)/v1/forecast" }
    /// The geocoding endpoint of this server.
    var geocodingURL: String { "http://127.0.0.1:\(port)/v1/search" }

    let port: Int
    private let channel: any Channel
    private let log: RequestLog

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Starts a server on a free port of 127.0.0.1.
    static func start(_ behaviour: Behaviour = .recorded) async throws -> OpenMeteoFixtureServer {
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                log.opened(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FixtureHandler(behaviour: behaviour, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ServerError(message: "the server has no port") }
        return OpenMeteoFixtureServer(port: port, channel: channel, log: log)
    }

    private init(port: Int, channel: any Channel, log: RequestLog) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// Closes the listening socket and every open connection; afterwards the port refuses connections.
    func stop() async throws {
        try await channel.close()
        for child in log.openChannels() {
            try? await child.close()
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The body and status for a request path and query, from the fixtures.
    static func recordedResponse(path: String, query: [String: String]) -> (status: HTTPResponseStatus, body: String) {
        func fixture(_ name: String) -> String? {
            try? String(contentsOf: fixtures.appendingPathComponent(name + ".json"), encoding: .utf8)
        }
        switch path {
        case "/v1/search":
            // Like Open-Meteo, "name, country" searches the name (the fixtures are all in the right country).
            let name = (query["name"] ?? "").split(separator: ",").first.map(String.init) ?? ""
            let file = "geocoding_" + name.lowercased().replacingOccurrences(of: " ", with: "_")
            return (.ok, fixture(file) ?? fixture("geocoding_none")!)
        case "/v1/forecast":
            guard let latitude = query["latitude"].flatMap(Double.init) else {
                return (.badRequest, #"{"error":true,"reason":"Parameter 'latitude' is missing"}"#)
            }
            let places: [(String, Double)] = [("london", 51.5), ("paris", 48.85), ("berlin", 52.52)]
            guard let place = places.first(where: { abs($0.1 - latitude) < 0.2 })?.0 else {
                return (.badRequest, #"{"error":true,"reason":"No recorded forecast for this latitude"}"#)
            }
            let imperial = query["temperature_unit"] == "fahrenheit"
            if imperial, let body = fixture("forecast_\(place)_imperial") { return (.ok, body) }
            return (.ok, fixture("forecast_\(place)")!)
        default:
            return (.notFound, #"{"error":true,"reason":"Not found"}"#)
        }
    }
}

/// What the server has seen, shared between its connections.
private final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [String] = []
    private var channels: [any Channel] = []

    var requests: [String] { lock.withLock { received } }

    func record(_ uri: String) { lock.withLock { received.append(uri) } }
    func opened(_ channel: any Channel) { lock.withLock { channels.append(channel) } }
    func openChannels() -> [any Channel] { lock.withLock { channels } }
}

/// Answers each HTTP request once it has been read completely.
private final class FixtureHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let behaviour: OpenMeteoFixtureServer.Behaviour
    let log: RequestLog
    private var head: HTTPRequestHead?

    init(behaviour: OpenMeteoFixtureServer.Behaviour, log: RequestLog) {
        self.behaviour = behaviour
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            log.record(head.uri)
            let (status, body) = response(to: head.uri)
            if case .slow(let milliseconds) = behaviour {
                let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) {
                    Self.write(status: status, body: body, version: head.version, context: loopBoundContext.value)
                }
            } else {
                Self.write(status: status, body: body, version: head.version, context: context)
            }
        }
    }

    private func response(to uri: String) -> (HTTPResponseStatus, String) {
        switch behaviour {
        case .status(let code):
            return (HTTPResponseStatus(statusCode: code), #"{"error":true,"reason":"Internal server error"}"#)
        case .garbage:
            return (.ok, "<html><body>502 Bad Gateway</body></html> {\"daily\": [")
        case .body(let body):
            return (.ok, body)
        case .recorded, .slow:
            let components = URLComponents(string: uri)
            var query: [String: String] = [:]
            for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
            return OpenMeteoFixtureServer.recordedResponse(path: components?.path ?? uri, query: query)
        }
    }

    private static func write(
        status: HTTPResponseStatus, body: String, version: HTTPVersion, context: ChannelHandlerContext
    ) {
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
    }
}
