import Foundation
import HarkSkillKit
import HarkSkillTesting
import Testing

@testable import SmartHomeSkill

#if canImport(Glibc)
import Glibc
#endif

/// A real Mosquitto broker on loopback: the one CI started (`HARK_TEST_MQTT_PORT`), or our own.
final class TestBroker: @unchecked Sendable {
    let port: Int
    private let process: Process?
    private let folder: String?

    init() throws {
        if let text = ProcessInfo.processInfo.environment["HARK_TEST_MQTT_PORT"], let port = Int(text) {
            self.port = port
            process = nil
            folder = nil
            return
        }
        let port = try freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-mqtt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/mosquitto.conf"
        try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-c", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.port = port
        self.process = process
        self.folder = folder
    }

    /// Waits until the broker accepts connections.
    func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(5)
        while true {
            let probe = try MosquittoClient(clientID: "hark-test-probe") { _ in }
            do {
                try probe.connect(host: "127.0.0.1", port: port, timeout: 0.5)
                probe.close()
                return
            } catch {
                if Date() > deadline { throw error }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    func stop() {
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }
}

/// A TCP port nobody listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw MosquittoError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw MosquittoError("bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw MosquittoError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Collects the messages a subscriber receives.
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [MosquittoClient.Message] = []

    func append(_ message: MosquittoClient.Message) { lock.withLock { messages.append(message) } }

    /// The messages received so far (topic and text), after waiting until there are `count` or `timeout` passed.
    func wait(for count: Int, timeout: TimeInterval = 3) async -> [(topic: String, payload: String)] {
        let deadline = Date().addingTimeInterval(timeout)
        while lock.withLock({ messages.count }) < count, Date() < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return lock.withLock { messages.map { ($0.topic, String(decoding: $0.payload, as: UTF8.self)) } }
    }

    func clear() { lock.withLock { messages.removeAll() } }
}

/// The house for MQTT tests: one Zigbee2MQTT lamp, one Tasmota plug, one virtual lamp.
let mqttHouse = DeviceRegistry(devices: [
    Device(name: "Desk Lamp", area: "Office", domain: "light", backend: .mqtt, topicStyle: .zigbee2mqtt,
           mqttName: "desk_lamp"),
    Device(name: "Porch Light", area: "Porch", domain: "light", backend: .mqtt, topicStyle: .tasmota,
           mqttName: "porch"),
    Device(name: "Office Lamp", area: "Office", domain: "light"),
])

/// A subscriber on the command topics, ready once it has seen its own probe message.
func commandSubscriber(port: Int) async throws -> (MosquittoClient, MessageLog) {
    let log = MessageLog()
    let client = try MosquittoClient(clientID: "hark-test-sub-\(UUID().uuidString.prefix(6))") { log.append($0) }
    try client.subscribe("zigbee2mqtt/#")
    try client.subscribe("cmnd/#")
    try client.connect(host: "127.0.0.1", port: port, timeout: 2)
    for _ in 0..<50 {
        try client.publish(topic: "cmnd/probe/POWER", payload: "probe")
        if await !log.wait(for: 1, timeout: 0.1).isEmpty { break }
    }
    log.clear()
    return (client, log)
}

@Suite(.serialized) struct MQTTBrokerTests {
    @Test func zigbee2mqttAndTasmotaCommandsArriveOnTheirTopics() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try broker.waitUntilReady()
        let (subscriber, log) = try await commandSubscriber(port: broker.port)
        defer { subscriber.close() }
        let tester = try SkillTester(makeSkills: smartHomeFactory(
            registry: mqttHouse, broker: MQTTBrokerSettings(port: broker.port)))
        defer { tester.close() }

        let steps: [(String, String, String)] = [
            ("turn on the desk lamp", "zigbee2mqtt/desk_lamp/set", #"{"state":"ON"}"#),
            ("set the desk lamp to 50%", "zigbee2mqtt/desk_lamp/set", #"{"brightness":127,"state":"ON"}"#),
            ("set the desk lamp to red", "zigbee2mqtt/desk_lamp/set", ##"{"color":{"hex":"#FF0000"},"state":"ON"}"##),
            ("turn off the desk lamp", "zigbee2mqtt/desk_lamp/set", #"{"state":"OFF"}"#),
            ("turn on the porch light", "cmnd/porch/POWER", "ON"),
            ("set the porch light to 40%", "cmnd/porch/Dimmer", "40"),
            ("toggle the porch light", "cmnd/porch/POWER", "TOGGLE"),
            ("turn off the porch light", "cmnd/porch/POWER", "OFF"),
        ]
        for (index, (utterance, topic, payload)) in steps.enumerated() {
            let reply = await tester.ask(utterance)
            #expect(!reply.reply.lowercased().contains("couldn't"), "\(utterance): \(reply.reply)")
            let received = await log.wait(for: index + 1)
            try #require(received.count == index + 1, "\(utterance): got \(received)")
            #expect(received[index].topic == topic)
            #expect(received[index].payload == payload)
        }
        // A whole room: the MQTT lamp gets its message and the virtual lamp is switched too.
        let reply = await tester.ask("turn on the lights in the office")
        #expect(reply.reply == "Turned on the lights in the office.")
        let received = await log.wait(for: steps.count + 1)
        #expect(received.last?.topic == "zigbee2mqtt/desk_lamp/set")
        #expect(received.count == steps.count + 1)
    }

    @Test func getStateAnswersFromTheLastStateMessage() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try broker.waitUntilReady()
        let tester = try SkillTester(makeSkills: smartHomeFactory(
            registry: mqttHouse, broker: MQTTBrokerSettings(port: broker.port)))
        defer { tester.close() }
        let before = await tester.ask("is the desk lamp on")
        #expect(before.reply == "I haven't heard from the desk lamp yet, so I don't know its state.")

        let device = try MosquittoClient(clientID: "hark-test-device") { _ in }
        try device.connect(host: "127.0.0.1", port: broker.port, timeout: 2)
        defer { device.close() }
        try device.publish(topic: "zigbee2mqtt/desk_lamp", payload: #"{"state":"ON","brightness":254}"#)
        try device.publish(topic: "stat/porch/RESULT", payload: #"{"POWER":"OFF"}"#)
        var answer = ""
        for _ in 0..<100 {
            answer = await tester.ask("what is the status of the desk lamp").reply
            if answer.contains("100 percent") { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(answer == "The desk lamp is on at 100 percent.")
        #expect(await tester.ask("is the porch light on").reply == "No, the porch light is off.")
        try device.publish(topic: "stat/porch/POWER", payload: "ON")
        for _ in 0..<100 {
            answer = await tester.ask("is the porch light on").reply
            if answer.hasPrefix("Yes") { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(answer == "Yes, the porch light is on.")
    }
}

/// A broker that is down costs a request no more than the configured timeout. On its own in the test run's first
/// phase, with the other wall-clock suites: in the parallel phase two busy cores stretched the 1 s timeout to 6 s.
@Suite struct MQTTBrokerDownTests {
    @Test func brokerDownGivesAClearReplyAndOtherDevicesWork() async throws {
        let port = try freePort()
        let tester = try SkillTester(makeSkills: smartHomeFactory(
            registry: mqttHouse, broker: MQTTBrokerSettings(port: port, timeout: 1)))
        defer { tester.close() }
        let started = Date()
        let reply = await tester.ask("turn on the desk lamp")
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(reply.reply.hasPrefix("Sorry, I couldn't reach the desk lamp:"), "\(reply.reply)")
        #expect(reply.reply.contains("127.0.0.1:\(port)"))
        #expect(await tester.ask("turn on the office lamp").reply == "Turned on the office lamp.")
        #expect(await tester.ask("is the office lamp on").reply == "Yes, the office lamp is on.")
        let room = await tester.ask("turn off the lights in the office")
        #expect(room.reply.hasPrefix("Turned off the office lamp. But I couldn't reach the desk lamp"), "\(room.reply)")
    }
}
