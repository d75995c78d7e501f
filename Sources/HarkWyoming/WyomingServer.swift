import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Hark's Wyoming server: accepts TCP connections and answers each with a ``WyomingSession`` over a
/// ``WyomingBackend``.
///
/// A connection that sends bytes which are not Wyoming events (``WyomingProtocolError``) gets an `error` event and is
/// closed; the server and the other connections go on. On graceful shutdown the listening socket and every open
/// connection are closed and `run()` returns.
public final class WyomingServer: Service, Sendable {
    private let host: String
    private let port: Int
    private let backend: any WyomingBackend
    private let limits: WyomingLimits
    private let logger: Logger
    private let onListening: @Sendable (String, Int) -> Void
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// - Parameter onListening: called once bound, with the host and the port (the actual one when `port` is 0).
    public init(
        host: String, port: Int, backend: any WyomingBackend, limits: WyomingLimits = WyomingLimits(),
        logger: Logger, onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }
    ) {
        self.host = host
        self.port = port
        self.backend = backend
        self.limits = limits
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let limits = self.limits
        let server: NIOAsyncChannel<NIOAsyncChannel<WyomingEvent, WyomingEvent>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(WyomingEventDecoder(limits: limits)),
                            MessageToByteHandler(WyomingEventEncoder()),
                        ])
                        return try NIOAsyncChannel<WyomingEvent, WyomingEvent>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw WyomingServerError(message: "the Wyoming server cannot listen on tcp://\(host):\(port): \(error)")
        }
        let boundPort = server.channel.localAddress?.port ?? port
        logger.notice("Wyoming server listening on tcp://\(host):\(boundPort)")
        onListening(host, boundPort)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            let open = self.connections.withLock { Array($0.values) }
            for channel in open { channel.close(promise: nil) }
        }
        logger.notice("Wyoming server stopped")
    }

    private func serve(_ connection: NIOAsyncChannel<WyomingEvent, WyomingEvent>) async {
        let id = ObjectIdentifier(connection.channel)
        connections.withLock { $0[id] = connection.channel }
        defer { _ = connections.withLock { $0.removeValue(forKey: id) } }
        let peer = connection.channel.remoteAddress.map { "\($0)" } ?? "?"
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(peer)"
        logger.debug("Wyoming client connected")
        var session = WyomingSession(backend: backend, logger: logger)
        do {
            try await connection.executeThenClose { inbound, outbound in
                do {
                    for try await event in inbound {
                        logger.trace("Wyoming event in", metadata: ["event": "\(event.type)"])
                        for reply in await session.handle(event) { try await outbound.write(reply) }
                    }
                } catch let error as WyomingProtocolError {
                    logger.warning("Wyoming client sent a malformed event; closing", metadata: ["error": "\(error)"])
                    try? await outbound.write(WyomingSession.error(error.message, code: "protocol"))
                } catch let error as ByteToMessageDecoderError {
                    logger.warning("Wyoming client sent a malformed event; closing", metadata: ["error": "\(error)"])
                    try? await outbound.write(WyomingSession.error("\(error)", code: "protocol"))
                }
            }
        } catch {
            logger.debug("Wyoming connection ended", metadata: ["error": "\(error)"])
        }
        logger.debug("Wyoming client disconnected")
    }
}

/// The Wyoming server could not start (the address is taken, or not this machine's).
public struct WyomingServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
