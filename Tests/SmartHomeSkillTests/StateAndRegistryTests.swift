import Foundation
import GRDB
import HarkSkillKit
import HarkSkillTesting
import HarkUnderstanding
import SmartHomeSkill
import Testing

@Test func virtualStateIsInSQLiteAndASecondConnectionSeesIt() async throws {
    let tester = try SkillTester(makeSkills: smartHomeFactory())
    defer { tester.close() }
    #expect(await tester.ask("turn on the bedroom lamp").reply == "Turned on the bedroom lamp.")
    #expect(await tester.ask("set the bedroom lamp to 30%").reply == "Set the bedroom lamp to 30 percent.")

    let second = try DatabaseQueue(path: tester.folder + "/hark.sqlite")
    let row = try second.read { db in
        try Row.fetchOne(db, sql: "SELECT isOn, brightness FROM smarthome_device_state WHERE deviceID = ?",
                         arguments: ["light.bedroom_lamp"])
    }
    let stored = try #require(row)
    #expect(stored["isOn"] as Bool? == true)
    #expect(stored["brightness"] as Int? == 30)
    let migrations: [String] = try await second.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
    #expect(migrations.contains("smarthome.v1"))

    // A new skill on a new connection pool answers from the same file.
    let pool = try DatabasePool(path: tester.folder + "/hark.sqlite")
    let skill = try SmartHomeSkill(database: pool)
    let device = try #require(skill.registry.device(named: "bedroom lamp"))
    let state = try await skill.virtual.state(of: device)
    #expect(state?.isOn == true)
    #expect(state?.brightness == 30)
}

@Test func homeAssistantFixturesLoadAsTheRegistry() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/bench/ha_en_fixtures.json").path
    try #require(FileManager.default.fileExists(atPath: path), "needs \(path)")
    let registry = try DeviceRegistry.load(settings: ["devices_file": .string(path)])
    #expect(registry.devices.count == 107)
    #expect(registry.areas.count == 8)
    #expect(registry.floors.count == 5)
    let lamp = try #require(registry.device(named: "Bedroom Lamp"))
    #expect(lamp.area == "Bedroom")
    #expect(lamp.floor == "Second Floor")
    #expect(registry.device(named: "Trader Joes")?.name == "Trader Joe's")

    let base = try SkillTemplates.load(yamlFile: SmartHomeSkill.folder + "/intents/en.yaml", skill: "smarthome")
    let engine = try IntentEngine(skills: [SmartHomeSkill.templates(base, registry: registry)])
    let match = try #require(engine.match("turn on the kitchen lights").best)
    #expect(match.intent == "TurnOn")
    #expect(match.slots["area"] == .text("Kitchen"))
    #expect(match.slots["domain"] == .text("light"))
    // Device values carry their domain: a thermostat can take a temperature, a lamp cannot.
    #expect(engine.match("set the office thermostat to 21 degrees").best?.slots["name"] == .text("Office Thermostat"))
    #expect(engine.match("set the bedroom lamp to 21 degrees").best?.intent != "ClimateSetTemperature")
}

@Test func devicesFromSettingsAndBadFilesGiveOneLineErrors() throws {
    let settings: [String: JSONValue] = [
        "devices": [
            ["name": "Desk Lamp", "aliases": ["study lamp"], "area": "Study", "domain": "light", "backend": "mqtt",
             "topic_style": "tasmota", "mqtt_name": "desk"],
        ],
        "areas": [["name": "Study", "aliases": ["office"], "floor": "Upstairs"]],
        "mqtt": ["host": "127.0.0.1", "port": 1884],
    ]
    let registry = try DeviceRegistry.load(settings: settings)
    let lamp = try #require(registry.device(named: "study lamp"))
    #expect(lamp.backend == .mqtt && lamp.topicStyle == .tasmota && lamp.mqttName == "desk" && lamp.floor == "Upstairs")
    #expect(try MQTTBrokerSettings(settings: settings).port == 1884)
    #expect(try DeviceRegistry.load(settings: [:]) == .demo)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hark-devices-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let bad = folder + "/devices.yaml"
    try "devices:\n  - name: Heater\n    backend: zigbee\n".write(toFile: bad, atomically: true, encoding: .utf8)
    #expect(throws: DeviceRegistryError.self) { try DeviceRegistry.load(file: bad) }
    do {
        _ = try DeviceRegistry.load(file: bad)
    } catch {
        #expect("\(error)" == "\(bad): devices[0] (Heater) needs a 'domain' (light, switch, fan, …)")
    }
    do {
        _ = try DeviceRegistry.load(file: folder + "/missing.yaml")
    } catch {
        #expect("\(error)".hasPrefix(folder + "/missing.yaml: cannot read the devices file"))
    }
    #expect(throws: DeviceRegistryError.self) { try MQTTBrokerSettings(settings: ["mqtt": ["port": "x"]]) }
}
