import Foundation

/// Where the MQTT broker is (`mqtt: {host, port}` in the skill's settings).
public struct MQTTBrokerSettings: Sendable, Hashable {
    /// Host name or address; default `127.0.0.1`.
    public var host: String
    /// TCP port; default 1883.
    public var port: Int
    /// How long to wait for the broker before telling the user it is down.
    public var timeout: TimeInterval

    /// Creates broker settings.
    public init(host: String = "127.0.0.1", port: Int = 1883, timeout: TimeInterval = 2) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }
}

/// The MQTT messages for one command and the state read back from a device's messages, for Zigbee2MQTT and
/// Tasmota topic layouts.
enum MQTTTopics {
    /// Topic and payload pairs that carry `command` to `device`; nil when the layout has no such command.
    static func messages(for command: DeviceCommand, to device: Device) -> [(topic: String, payload: String)]? {
        let name = device.mqttName
        switch device.topicStyle {
        case .zigbee2mqtt:
            let body: [String: Any]
            switch command {
            case .turnOn: body = ["state": "ON"]
            case .turnOff: body = ["state": "OFF"]
            case .toggle: body = ["state": "TOGGLE"]
            case .brightness(let percent):
                body = percent <= 0 ? ["state": "OFF"]
                    : ["state": "ON", "brightness": Int((Double(min(percent, 100)) * 254 / 100).rounded())]
            case .color(let color):
                guard let hex = LightColor.hex(color) else { return nil }
                body = ["state": "ON", "color": ["hex": hex]]
            case .temperature(let value): body = ["current_heating_setpoint": value]
            }
            return [("zigbee2mqtt/\(name)/set", json(body))]
        case .tasmota:
            switch command {
            case .turnOn: return [("cmnd/\(name)/POWER", "ON")]
            case .turnOff: return [("cmnd/\(name)/POWER", "OFF")]
            case .toggle: return [("cmnd/\(name)/POWER", "TOGGLE")]
            case .brightness(let percent): return [("cmnd/\(name)/Dimmer", String(max(0, min(percent, 100))))]
            case .color(let color):
                guard let hex = LightColor.hex(color) else { return nil }
                return [("cmnd/\(name)/Color", String(hex.dropFirst()))]
            case .temperature: return nil
            }
        }
    }

    /// Topics that carry `device`'s state.
    static func stateTopics(of device: Device) -> [String] {
        switch device.topicStyle {
        case .zigbee2mqtt: return ["zigbee2mqtt/\(device.mqttName)"]
        case .tasmota: return ["stat/\(device.mqttName)/POWER", "stat/\(device.mqttName)/RESULT"]
        }
    }

    /// `state` updated with what a message on one of `device`'s state topics says; nil when it says nothing.
    static func update(_ state: DeviceState?, device: Device, topic: String, payload: [UInt8]) -> DeviceState? {
        var state = state ?? DeviceState()
        let text = String(decoding: payload, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch device.topicStyle {
        case .zigbee2mqtt:
            guard topic == "zigbee2mqtt/\(device.mqttName)",
                let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
            else { return nil }
            if let power = object["state"] as? String { state.isOn = power.uppercased() == "ON" }
            if let raw = number(object["brightness"]) { state.brightness = Int((raw * 100 / 254).rounded()) }
            if let value = number(object["current_heating_setpoint"]) { state.targetTemperature = value }
            if let value = number(object["local_temperature"] ?? object["temperature"]) {
                state.currentTemperature = value
            }
            return state
        case .tasmota:
            if topic == "stat/\(device.mqttName)/POWER" {
                state.isOn = text.uppercased() == "ON"
                return state
            }
            guard topic == "stat/\(device.mqttName)/RESULT",
                let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
            else { return nil }
            if let power = object["POWER"] as? String { state.isOn = power.uppercased() == "ON" }
            if let dimmer = number(object["Dimmer"]) { state.brightness = Int(dimmer) }
            return state
        }
    }

    private static func number(_ value: Any?) -> Double? {
        if let value = value as? Double { return value }
        if let value = value as? Int { return Double(value) }
        return nil
    }

    private static func json(_ body: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Colour names a light understands, with their RGB values.
enum LightColor {
    static let table: [String: String] = [
        "red": "#FF0000", "green": "#00FF00", "blue": "#0000FF", "white": "#FFFFFF", "yellow": "#FFFF00",
        "orange": "#FFA500", "purple": "#800080", "pink": "#FFC0CB", "brown": "#A52A2A", "black": "#000000",
        "warm white": "#FFD7A8", "cool white": "#E6F0FF", "cyan": "#00FFFF", "magenta": "#FF00FF",
    ]

    static func hex(_ name: String) -> String? { table[name.lowercased()] }
}

/// Devices behind an MQTT broker. Connects on first use (and again after the broker comes back), keeps the
/// last state message of every device, and reports an unreachable broker as ``DeviceBackendError`` within the
/// broker's timeout.
public final class MQTTBackend: DeviceBackend, @unchecked Sendable {
    /// Where the broker is.
    public let broker: MQTTBrokerSettings
    private let devices: [Device]
    private let lock = NSLock()
    private let connecting = NSLock()
    private var client: MosquittoClient?
    private var states: [String: DeviceState] = [:]

    /// A backend for `devices` (those with `backend: mqtt`) on `broker`.
    public init(broker: MQTTBrokerSettings, devices: [Device]) {
        self.broker = broker
        self.devices = devices.filter { $0.backend == .mqtt }
    }

    deinit { client?.close() }

    public func apply(_ command: DeviceCommand, to device: Device) async throws -> DeviceState? {
        guard let messages = MQTTTopics.messages(for: command, to: device) else {
            throw DeviceBackendError.unreachable(
                device: device.name, reason: "its \(device.topicStyle.rawValue) topics have no such command")
        }
        let client = try await connectedClient(for: device)
        do {
            for message in messages { try client.publish(topic: message.topic, payload: message.payload) }
        } catch {
            throw DeviceBackendError.unreachable(device: device.name, reason: String(describing: error))
        }
        return nil
    }

    public func state(of device: Device) async throws -> DeviceState? {
        if let known = lock.withLock({ states[device.id] }) { return known }
        _ = try await connectedClient(for: device)
        // A retained state message arrives right after subscribing; give it a moment.
        for _ in 0..<10 {
            if let known = lock.withLock({ states[device.id] }) { return known }
            try await Task.sleep(nanoseconds: 30_000_000)
        }
        return nil
    }

    /// The connected client, connecting (off the cooperative pool) when needed.
    private func connectedClient(for device: Device) async throws -> MosquittoClient {
        if let client = lock.withLock({ client }), client.isConnected { return client }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.connectBlocking(for: device) })
            }
        }
    }

    private func connectBlocking(for device: Device) throws -> MosquittoClient {
        connecting.lock()
        defer { connecting.unlock() }
        if let client = lock.withLock({ client }), client.isConnected { return client }
        let fresh: MosquittoClient
        do {
            fresh = try MosquittoClient(clientID: "hark-smarthome-\(UUID().uuidString.prefix(8))") { [weak self] in
                self?.received($0)
            }
            for device in devices {
                for topic in MQTTTopics.stateTopics(of: device) { try fresh.subscribe(topic) }
            }
            try fresh.connect(host: broker.host, port: broker.port, timeout: broker.timeout)
        } catch {
            throw DeviceBackendError.unreachable(device: device.name, reason: String(describing: error))
        }
        let old = lock.withLock { () -> MosquittoClient? in
            defer { client = fresh }
            return client
        }
        old?.close()
        return fresh
    }

    private func received(_ message: MosquittoClient.Message) {
        lock.withLock {
            for device in devices {
                if let updated = MQTTTopics.update(states[device.id], device: device, topic: message.topic,
                                                   payload: message.payload)
                {
                    states[device.id] = updated
                }
            }
        }
    }
}
