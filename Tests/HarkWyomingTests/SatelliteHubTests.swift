import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HarkWyoming

/// The hub's connections on their own (no speech): a satellite that refuses is retried and reported, one that drops
/// the connection is connected to again, and each is told `run-satellite` first.
struct SatelliteHubTests {
    private final class Identity: Sendable {}
    private struct NoVoice: Error {}

    private static func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<WyomingEvent, WyomingEvent>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(WyomingEventDecoder()), MessageToByteHandler(WyomingEventEncoder()),
                    ])
                    return try NIOAsyncChannel<WyomingEvent, WyomingEvent>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func eventually(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func satellitesAreRetriedAndReported() async throws {
        // A port nothing listens on any more.
        let closed = try await Self.bind()
        let refusedPort = try #require(closed.channel.localAddress?.port)
        try await closed.channel.close()

        // A satellite that hangs up after the first connection's first event, and keeps the second one open until told.
        let satellite = try await Self.bind()
        let port = try #require(satellite.channel.localAddress?.port)
        let received = Mutex<[String]>([])
        let release = Mutex(false)
        let serving = Task {
            try await satellite.executeThenClose { inbound in
                var count = 0
                for try await connection in inbound {
                    count += 1
                    let keep = count > 1
                    try await connection.executeThenClose { events, _ in
                        for try await event in events {
                            received.withLock { $0.append(event.type) }
                            break
                        }
                        while keep, !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    if keep { break }
                }
            }
        }

        var backoff = SatelliteBackoff()
        backoff.initial = .milliseconds(50)
        backoff.maximum = .milliseconds(200)
        let identity = Identity()
        let hub = SatelliteHub(
            satellites: [
                SatelliteEndpoint(host: "127.0.0.1", port: refusedPort, area: "Hall"),
                SatelliteEndpoint(host: "127.0.0.1", port: port, area: "Kitchen"),
            ],
            wakeName: "hey test", backoff: backoff, logger: Logger(label: "test"),
            makeVoice: { _ in throw NoVoice() }, currentAssistant: { ObjectIdentifier(identity) })
        let running = Task { try await hub.run() }

        try await eventually("the second connection") {
            received.withLock { $0.count } == 2 && hub.statuses()[1].connected
        }
        #expect(received.withLock { $0 } == ["run-satellite", "run-satellite"])
        let states = hub.statuses()
        #expect(states.map(\.endpoint.uri) == ["tcp://127.0.0.1:\(refusedPort)", "tcp://127.0.0.1:\(port)"])
        #expect(states[0].connected == false)
        #expect(states[0].lastError?.hasPrefix("cannot connect: ") == true, "\(states[0])")
        #expect(states[0].lastError?.contains("refused") == true, "\(states[0])")
        #expect(states[1].connected == true)
        #expect(states[1].lastError == nil)  // cleared by the connection that worked

        release.withLock { $0 = true }
        try await serving.value
        try await eventually("the dropped satellite to be reported") { !hub.statuses()[1].connected }
        #expect(hub.statuses()[1].lastError == "the satellite closed the connection")

        running.cancel()
        _ = await running.result
    }
}
