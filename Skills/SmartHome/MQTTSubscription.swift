import Foundation

/// A subscription to MQTT topics for parts of Hark besides the smart-home skill that listen to devices (a Dash
/// button's presses, `buttons:` in config.yaml). libmosquitto's network thread reconnects by itself and subscribes
/// again after every reconnection.
public final class MQTTSubscription: Sendable {
    private let client: MosquittoClient

    /// Connects to `broker` and subscribes to `topics`; `onMessage` gets each message's topic and payload on the
    /// library's thread, so it must return quickly.
    /// - Throws: when the broker refuses or does not answer within its timeout.
    public init(
        broker: MQTTBrokerSettings, topics: [String], clientID: String,
        onMessage: @escaping @Sendable (_ topic: String, _ payload: [UInt8]) -> Void
    ) throws {
        client = try MosquittoClient(clientID: clientID) { onMessage($0.topic, $0.payload) }
        for topic in topics { try client.subscribe(topic) }
        try client.connect(host: broker.host, port: broker.port, timeout: broker.timeout)
    }

    /// True while the broker connection is up.
    public var isConnected: Bool { client.isConnected }

    /// Disconnects and stops the network thread.
    public func close() { client.close() }
}
