import CMosquitto
import Foundation

/// A failure of the MQTT client library, with libmosquitto's own explanation.
struct MosquittoError: Error, CustomStringConvertible {
    let description: String

    init(_ what: String, code: Int32) {
        let reason: String
        if code == Int32(MOSQ_ERR_ERRNO.rawValue) {
            reason = String(cString: strerror(errno))
        } else {
            reason = String(cString: mosquitto_strerror(code))
        }
        description = "\(what): \(reason)"
    }

    init(_ description: String) { self.description = description }
}

/// An MQTT client over libmosquitto with its threaded network loop: the only file that calls the C library.
///
/// Messages on subscribed topics arrive on the library's thread through `onMessage`; subscriptions are
/// renewed on every (re)connection. All methods are safe to call from any thread.
final class MosquittoClient: @unchecked Sendable {
    /// One incoming message.
    struct Message: Sendable {
        let topic: String
        let payload: [UInt8]
    }

    private static let libraryStatus: Int32 = mosquitto_lib_init()

    private let handle: OpaquePointer
    private let onMessage: @Sendable (Message) -> Void
    private let lock = NSLock()
    private var subscriptions: [String] = []
    private var connected = false
    private var waiting: DispatchSemaphore?
    private var connectFailure: Int32?
    private var loopRunning = false

    /// Creates a client; `onMessage` gets every message of every subscription.
    init(clientID: String, onMessage: @escaping @Sendable (Message) -> Void) throws {
        guard Self.libraryStatus == MOSQ_ERR_SUCCESS.rawValue else {
            throw MosquittoError("cannot initialise libmosquitto", code: Self.libraryStatus)
        }
        guard let handle = mosquitto_new(clientID, true, nil) else {
            throw MosquittoError("cannot create an MQTT client (out of memory or invalid id)")
        }
        self.handle = handle
        self.onMessage = onMessage
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(handle) { _, user, code in
            guard let user else { return }
            Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue().didConnect(code: code)
        }
        mosquitto_disconnect_callback_set(handle) { _, user, code in
            guard let user else { return }
            Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue().didDisconnect(code: code)
        }
        mosquitto_message_callback_set(handle) { _, user, message in
            guard let user, let message, let topic = message.pointee.topic else { return }
            let count = Int(message.pointee.payloadlen)
            var payload: [UInt8] = []
            if count > 0, let bytes = message.pointee.payload {
                payload = Array(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            let client = Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue()
            client.onMessage(Message(topic: String(cString: topic), payload: payload))
        }
        mosquitto_reconnect_delay_set(handle, 1, 10, true)
    }

    deinit {
        close()
        mosquitto_destroy(handle)
    }

    /// True while the broker connection is up.
    var isConnected: Bool { lock.withLock { connected } }

    /// Connects and starts the network thread; throws when the broker refuses or does not answer in `timeout`.
    func connect(host: String, port: Int, timeout: TimeInterval) throws {
        let signal = DispatchSemaphore(value: 0)
        lock.withLock {
            waiting = signal
            connectFailure = nil
        }
        defer { lock.withLock { waiting = nil } }
        let code = mosquitto_connect_async(handle, host, Int32(port), 30)
        guard code == MOSQ_ERR_SUCCESS.rawValue else {
            throw MosquittoError("cannot connect to the MQTT broker at \(host):\(port)", code: code)
        }
        let loop = lock.withLock { () -> Bool in
            defer { loopRunning = true }
            return loopRunning
        }
        if !loop {
            let started = mosquitto_loop_start(handle)
            guard started == MOSQ_ERR_SUCCESS.rawValue else {
                lock.withLock { loopRunning = false }
                throw MosquittoError("cannot start the MQTT network thread", code: started)
            }
        }
        let result = signal.wait(timeout: .now() + timeout)
        let (isUp, failure) = lock.withLock { (connected, connectFailure) }
        if isUp { return }
        stopLoop()
        if let failure {
            throw MosquittoError("the MQTT broker at \(host):\(port) refused the connection (code \(failure))")
        }
        throw MosquittoError(result == .timedOut
            ? "the MQTT broker at \(host):\(port) did not answer within \(timeout) s"
            : "the connection to the MQTT broker at \(host):\(port) was lost")
    }

    /// Subscribes to `pattern` now (if connected) and after every reconnection.
    func subscribe(_ pattern: String) throws {
        let isUp = lock.withLock { () -> Bool in
            if !subscriptions.contains(pattern) { subscriptions.append(pattern) }
            return connected
        }
        guard isUp else { return }
        let code = mosquitto_subscribe(handle, nil, pattern, 0)
        guard code == MOSQ_ERR_SUCCESS.rawValue else { throw MosquittoError("cannot subscribe to \(pattern)", code: code) }
    }

    /// Publishes `payload` on `topic` (QoS 0).
    func publish(topic: String, payload: String, retain: Bool = false) throws {
        let bytes = Array(payload.utf8)
        let code = bytes.withUnsafeBytes { buffer in
            mosquitto_publish(handle, nil, topic, Int32(buffer.count), buffer.baseAddress, 0, retain)
        }
        guard code == MOSQ_ERR_SUCCESS.rawValue else { throw MosquittoError("cannot publish to \(topic)", code: code) }
    }

    /// Disconnects and stops the network thread.
    func close() {
        mosquitto_disconnect(handle)
        stopLoop()
    }

    private func stopLoop() {
        let running = lock.withLock { () -> Bool in
            defer { loopRunning = false }
            connected = false
            return loopRunning
        }
        if running { mosquitto_loop_stop(handle, true) }
    }

    private func didConnect(code: Int32) {
        let (signal, patterns) = lock.withLock { () -> (DispatchSemaphore?, [String]) in
            connected = code == 0
            if code != 0 { connectFailure = code }
            return (waiting, subscriptions)
        }
        if code == 0 {
            for pattern in patterns { mosquitto_subscribe(handle, nil, pattern, 0) }
        }
        signal?.signal()
    }

    private func didDisconnect(code: Int32) {
        let signal = lock.withLock { () -> DispatchSemaphore? in
            connected = false
            return waiting
        }
        signal?.signal()
    }
}
