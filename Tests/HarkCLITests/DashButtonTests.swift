import Foundation
import Testing

/// Issue 19, point 4: a Dash button over MQTT. `hark serve` with `buttons:` in config.yaml and the real Mosquitto
/// broker on loopback: a press (zigbee2mqtt's JSON `{"action": "single"}` on the button's topic, published with
/// `mosquitto_pub`) reorders coffee (an order row in the real SQLite file, no purchase code), a second press within
/// a minute orders nothing, another action is no press, a button whose product (gin) is over the spending cap orders
/// nothing, and the next request says what the buttons did.
@Suite(.serialized) struct DashButtonTests {
    @Test func aPressOrdersOnceAndTheNextRequestSaysSo() async throws {
        let root = try HarkProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Its own broker: the smart-home tests' subscribers on the shared one would see the presses.
        let broker = try MQTTBroker.start(in: root, ownPort: true)
        defer { broker.stop() }
        let server = try await ServeHTTPServer.start(
            config: """
                skills:
                  smarthome: { mqtt: { host: 127.0.0.1, port: \(broker.port) } }
                  shopping: { spending_cap: 10 }
                buttons:
                  - { topic: zigbee2mqtt/kitchen_button, action: single, reorder: coffee }
                  - { topic: zigbee2mqtt/hall_button, reorder: gin }
                """)
        defer { server.process.terminate() }
        let log = { "stdout:\n\(server.process.output)\nstderr:\n\(server.process.errorOutput)" }
        try await Self.wait(for: "hark serve: buttons: listening on", in: server.process)

        func press(_ topic: String, _ action: String) throws {
            let payload = "{\"action\": \"\(action)\", \"battery\": 97, \"linkquality\": 132}"
            _ = try ProcessRunner.output(
                "/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-t", topic, "-m", payload])
        }
        let database = server.hark.home + "/hark.sqlite"
        func orderedProducts() -> [String] {
            let rows = try? ProcessRunner.output(
                "/usr/bin/sqlite3", [database, "SELECT product_id FROM shopping_order_line ORDER BY id"])
            return rows?.split(separator: "\n").map(String.init) ?? []
        }

        try press("zigbee2mqtt/kitchen_button", "single")
        let ordered = "button zigbee2mqtt/kitchen_button (single): Your kitchen button ordered Ground coffee, medium roast,"
        try await Self.wait(for: ordered, in: server.process)
        #expect(orderedProducts() == ["coffee-ground-227g"], "\(log())")

        try press("zigbee2mqtt/kitchen_button", "double")
        try press("zigbee2mqtt/kitchen_button", "single")
        try await Self.wait(for: "(single): pressed again within 60 s, ignored", in: server.process)
        try press("zigbee2mqtt/hall_button", "single")
        try await Self.wait(for: "Your hall button's order comes to 16 pounds, over your spending limit", in: server.process)
        #expect(orderedProducts() == ["coffee-ground-227g"], "a second press, another action or the cap ordered\n\(log())")
        #expect(server.process.output.components(separatedBy: "(double)").count == 1, "\(log())")

        let asked = try await server.send(
            .POST, "/v1/ask", body: Array(#"{"text": "what's on my shopping list"}"#.utf8))
        let reply = String(decoding: asked.body, as: UTF8.self)
        #expect(
            reply.contains(
                "Your kitchen button ordered Ground coffee, medium roast, 227 grams for 3 pounds 50: order number 1. "
                    + "Your hall button's order comes to 16 pounds"), "\(reply)")
        let next = try await server.send(.POST, "/v1/ask", body: Array(#"{"text": "what's on my shopping list"}"#.utf8))
        #expect(!String(decoding: next.body, as: UTF8.self).contains("button"), "said twice")
    }

    static func wait(for text: String, in process: ProcessRunner, seconds: Int = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, process.isRunning, !process.output.contains(text) {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(process.output.contains(text), "no '\(text)' in\n\(process.output)\n\(process.errorOutput)")
    }
}
