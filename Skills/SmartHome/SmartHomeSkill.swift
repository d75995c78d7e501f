import Foundation
import GRDB
import HarkSkillKit

/// The smart-home skill (`smarthome`): switches, dims and colours lights, sets thermostats and answers questions
/// about devices, addressed by name, area, floor, kind ("all the fans") or the room the request came from.
///
/// Devices come from a ``DeviceRegistry`` (settings or a devices file; the demo house by default) and are reached
/// through a ``DeviceBackend``: the built-in ``VirtualBackend`` (state in SQLite) or ``MQTTBackend``
/// (Zigbee2MQTT or Tasmota topics through libmosquitto).
///
/// Settings (`skills: {smarthome: {...}}` in config.yaml): `devices:` (list of `{name, aliases, area, floor,
/// domain, backend: virtual|mqtt, topic_style: zigbee2mqtt|tasmota, mqtt_name}`), `areas:` and `floors:` (lists
/// of `{name, aliases}`; areas also `floor`), or `devices_file:` (Hark's format or Home Assistant's fixtures
/// JSON); `mqtt: {host, port, timeout}`.
public struct SmartHomeSkill: Skill {
    public let id = "smarthome"
    /// The devices, areas and floors this skill knows.
    public let registry: DeviceRegistry
    /// The virtual devices' backend.
    public let virtual: VirtualBackend
    /// The MQTT devices' backend (present when the registry has MQTT devices).
    public let mqtt: MQTTBackend?

    /// The skill's folder (skill.yaml, intents/, responses/, tests/) inside the built product.
    public static var folder: String { Bundle.module.resourcePath! }

    /// A skill over `registry`, keeping virtual devices' state in `database` (its migrator `smarthome.v1` runs
    /// here) and reaching MQTT devices through `broker`.
    public init(database: DatabasePool, registry: DeviceRegistry = .demo,
                broker: MQTTBrokerSettings = MQTTBrokerSettings(), clock: any SkillClock = SystemClock()) throws {
        self.registry = registry
        virtual = try VirtualBackend(pool: database, clock: clock)
        let mqttDevices = registry.devices.filter { $0.backend == .mqtt }
        mqtt = mqttDevices.isEmpty ? nil : MQTTBackend(broker: broker, devices: mqttDevices)
    }

    /// A skill configured from its settings; `devicesFile` (the runtime's `--devices FILE`) wins over the
    /// settings' `devices_file` and `devices`. Bad settings throw a one-line error naming the file or setting.
    public init(database: DatabasePool, settings: [String: JSONValue], devicesFile: String? = nil,
                clock: any SkillClock = SystemClock()) throws {
        try self.init(database: database, registry: DeviceRegistry.load(settings: settings, devicesFile: devicesFile),
                      broker: try MQTTBrokerSettings(settings: settings), clock: clock)
    }

    func backend(for device: Device) -> any DeviceBackend {
        device.backend == .mqtt ? (mqtt ?? MQTTBackend(broker: MQTTBrokerSettings(), devices: [device])) : virtual
    }

    public func handle(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        var response = try await answer(request, context: context)
        if let first = response.speech.first { response.speech = first.uppercased() + response.speech.dropFirst() }
        return response
    }

    func answer(_ request: SkillRequest, context: SkillContext) async throws -> SkillResponse {
        let replies = Replies(templates: context.responses)
        var request = request
        // A room said with its words run together or apart ("the bed room") is that room.
        if request.slots.unresolved.contains("area"), let said = request.slots.text("area"),
            let area = registry.area(spelled: said)
        {
            request.slots["area"] = .text(area.name)
            request.slots.unresolved.remove("area")
        }
        guard request.kind == .intent else {
            if case .sessionEnded = request.kind { return .speak("") }
            return try .speak(replies.render("launch", ["example": example()])).keepOpen()
        }
        if let unknown = try unknownTarget(request.slots, replies: replies) { return .speak(unknown) }
        switch request.intent {
        case "Help": return try .speak(replies.render("help", ["example": example(), "areas": areaList()]))
        case "GetState": return try await answerState(request, replies: replies)
        case "TurnOn": return try await act(.turnOn, request, context: context, replies: replies)
        case "TurnOff": return try await act(.turnOff, request, context: context, replies: replies)
        case "Toggle": return try await act(.toggle, request, context: context, replies: replies)
        case "ClimateSetTemperature":
            guard let degrees = request.slots.number("temperature") else {
                return try .speak(replies.render("ask_temperature")).elicitSlot("temperature")
            }
            return try await act(.temperature(degrees), request, context: context, replies: replies)
        case "LightSet": return try await setLight(request, context: context, replies: replies)
        default: throw SkillError.invalid("smarthome: no intent \(request.intent)")
        }
    }

    // MARK: Targets

    /// What a request points at, resolved to devices.
    struct Target {
        var devices: [Device]
        /// How to say it ("the kitchen lights").
        var spoken: String
        /// How to say where, for "there are no fans in the kitchen".
        var place: String
        var kind: String?
    }

    /// The devices the slots (or the request's area, or the last devices used) point at.
    func target(_ request: SkillRequest, domains: Set<String>?, context: SkillContext?, replies: Replies) async throws
        -> Target
    {
        let slots = request.slots
        if let name = slots.text("name"), name != "all", let device = registry.device(named: name) {
            return Target(devices: [device], spoken: try replies.render("device", ["name": device.name]), place: "",
                          kind: nil)
        }
        let kind = slots.text("domain")
        var area = slots.text("area")
        let floor = slots.text("floor")
        var devices = registry.devices
        if let kind { devices = devices.filter { $0.domain == kind } } else if let domains {
            devices = devices.filter { domains.contains($0.domain) }
        }
        // No place said: the devices used last ("turn it down"), else the room the request came from.
        if area == nil, floor == nil, kind == nil, let context,
            let last = try await context.storage.value([String].self, forKey: "last_targets")
        {
            let remembered = last.compactMap { id in registry.devices.first { $0.id == id } }
                .filter { domains?.contains($0.domain) ?? true }
            if !remembered.isEmpty {
                let spoken = remembered.count == 1
                    ? try replies.render("device", ["name": remembered[0].name])
                    : SpokenText.list(try remembered.map { try replies.render("device", ["name": $0.name]) })
                return Target(devices: remembered, spoken: spoken, place: "", kind: nil)
            }
        }
        if area == nil, floor == nil, kind == nil { area = request.area }
        let kindKey = kind ?? (domains?.count == 1 ? domains?.first ?? "device" : "device")
        let kindWord = replies.templates.has("kind_\(kindKey)") ? try replies.render("kind_\(kindKey)")
            : try replies.render("kind_device")
        let place: String
        if let area {
            devices = devices.filter { $0.area?.lowercased() == area.lowercased() }
            place = try replies.render("in_area", ["area": area])
        } else if let floor {
            devices = devices.filter { $0.floor?.lowercased() == floor.lowercased() }
            let isAdverb = ["upstairs", "downstairs"].contains(floor.lowercased())
            place = try replies.render(isAdverb ? "floor_adverb" : "on_floor", ["floor": floor.lowercased()])
        } else {
            place = try replies.render("everywhere")
        }
        let spoken = kind == nil && domains != ["light"] && (area != nil || floor != nil)
            ? try replies.render("everything_in", ["place": place])
            : try replies.render("group", ["kind": kindWord, "place": place])
        return Target(devices: devices, spoken: spoken, place: place, kind: kindWord)
    }

    /// A reply for a name, area or floor the registry does not have, listing what there is.
    func unknownTarget(_ slots: Slots, replies: Replies) throws -> String? {
        let deviceSlot = ["name", "domain"].first { slots.unresolved.contains($0) }
        if let deviceSlot, let words = slots.text(deviceSlot) {
            // "the garage heater": the area said (resolved or inside the unknown words) and the unknown words.
            let saidArea = slots.unresolved.contains("area") ? nil : slots.text("area")
            let said = [saidArea?.lowercased(), words].compactMap { $0 }.joined(separator: " ")
            if let area = registry.areas.first(where: { area in
                ([area.name] + area.aliases).contains { said.lowercased().contains($0.lowercased()) }
            }) {
                let there = registry.devices(inArea: area.name)
                if !there.isEmpty {
                    return try replies.render("unknown_device_in_area", [
                        "said": said, "area": area.name, "devices": try deviceList(there, replies: replies),
                    ])
                }
            }
            let close = closeDevices(to: said)
            if !close.isEmpty {
                return try replies.render("unknown_device_close", ["said": said, "devices": deviceList(close, replies: replies, conjunction: "or")])
            }
            return try replies.render("unknown_device", ["said": said, "devices": deviceList(Array(registry.devices.prefix(6)), replies: replies)])
        }
        if slots.unresolved.contains("area"), let said = slots.text("area") {
            // "the master bedroom", "the drawing hall": a room of the house said with more words.
            let saidWords = said.lowercased().split(separator: " ").map(String.init)
            if let close = registry.areas.first(where: { area in
                ([area.name] + area.aliases).contains { name in
                    let nameWords = name.lowercased().split(separator: " ").map(String.init)
                    return saidWords.count > nameWords.count && Array(saidWords.suffix(nameWords.count)) == nameWords
                }
            }) {
                return try replies.render("unknown_area_close", ["said": said, "area": close.name])
            }
            return try replies.render("unknown_area", ["said": said, "areas": areaList()])
        }
        if slots.unresolved.contains("floor"), let said = slots.text("floor") {
            return try replies.render("unknown_floor", ["said": said, "floors": SpokenText.list(registry.floors.map(\.name))])
        }
        return nil
    }

    /// Devices whose names share a word with `said` or are a few letters away from it.
    func closeDevices(to said: String) -> [Device] {
        let saidWords = Set(said.lowercased().split(separator: " ").map(String.init))
            .subtracting(["the", "a", "my", "light", "lights", "lamp"])
        return registry.devices.filter { device in
            ([device.name] + device.aliases).contains { name in
                let nameWords = Set(name.lowercased().split(separator: " ").map(String.init))
                return !nameWords.isDisjoint(with: saidWords)
                    || EditDistance.between(name.lowercased(), said.lowercased()) <= max(3, name.count / 3)
            }
        }.prefix(4).map { $0 }
    }

    func deviceList(_ devices: [Device], replies: Replies, conjunction: String = "and") throws -> String {
        SpokenText.list(try devices.map { try replies.render("device", ["name": $0.name]) }, conjunction: conjunction)
    }

    func areaList() -> String { SpokenText.list(registry.areas.map(\.name)) }

    func example() -> String {
        let device = registry.devices.first { $0.domain == "light" } ?? registry.devices.first
        return device?.name.lowercased() ?? "kitchen light"
    }

    // MARK: Actions

    /// Sends `command` to every device of the request's target and says what happened.
    func act(_ command: DeviceCommand, _ request: SkillRequest, context: SkillContext, replies: Replies) async throws
        -> SkillResponse
    {
        let isClimate: Bool
        if case .temperature = command { isClimate = true } else { isClimate = false }
        let domains: Set<String> = isClimate ? ["climate"] : ["light", "switch", "fan"]
        let target = try await target(request, domains: domains, context: context, replies: replies)
        if target.devices.isEmpty { return try .speak(nothingThere(target, replies: replies)) }
        if let device = target.devices.first, target.devices.count == 1, !isClimate, !device.isSwitchable {
            return try .speak(replies.render("not_switchable", ["device": target.spoken]))
        }
        if isClimate, let device = target.devices.first(where: { $0.domain != "climate" }) {
            return try .speak(replies.render("not_climate", ["device": try replies.render("device", ["name": device.name])]))
        }
        let (done, failures) = await apply(target.devices.map { ($0, command) })
        try await context.storage.set(done.map(\.id), forKey: "last_targets")
        let key: String
        var values = ["target": target.spoken]
        switch command {
        case .turnOn: key = "turned_on"
        case .turnOff: key = "turned_off"
        case .toggle: key = "toggled"
        case .temperature(let degrees):
            key = "temperature_set"
            values["temperature"] = SpokenText.number(degrees)
        case .brightness, .color: key = "done"
        }
        return try report(key, values, done: done, failures: failures, replies: replies)
    }

    /// LightSet: an absolute brightness, a colour, or brighter/dimmer.
    func setLight(_ request: SkillRequest, context: SkillContext, replies: Replies) async throws -> SkillResponse {
        let slots = request.slots
        let target = try await target(request, domains: ["light"], context: context, replies: replies)
        if target.devices.isEmpty { return try .speak(nothingThere(target, replies: replies)) }
        var values = ["target": target.spoken]
        var commands: [(Device, DeviceCommand)] = []
        let key: String
        if let color = slots.text("color") {
            key = "color_set"
            values["color"] = color
            commands = target.devices.map { ($0, .color(color)) }
        } else if let direction = slots.text("brightness"), direction == "up" || direction == "down" {
            key = direction == "up" ? "brighter" : "dimmer"
            for device in target.devices {
                let state = try? await backend(for: device).state(of: device)
                if device.domain == "climate" {
                    let current = state?.targetTemperature ?? 20
                    commands.append((device, .temperature(current + (direction == "up" ? 1 : -1))))
                } else {
                    let current = state?.isOn == false ? 0 : (state?.brightness ?? 50)
                    let next = direction == "up" ? min(100, current + 25) : max(5, current - 25)
                    commands.append((device, .brightness(next)))
                }
            }
        } else if let percent = slots.number("brightness") {
            key = "brightness_set"
            values["brightness"] = SpokenText.number(percent)
            commands = target.devices.map { ($0, .brightness(Int(percent.rounded()))) }
        } else {
            return try .speak(replies.render("ask_brightness")).elicitSlot("brightness")
        }
        let (done, failures) = await apply(commands)
        try await context.storage.set(done.map(\.id), forKey: "last_targets")
        return try report(key, values, done: done, failures: failures, replies: replies)
    }

    /// Runs the commands one device at a time; an unreachable device does not stop the others.
    func apply(_ commands: [(Device, DeviceCommand)]) async -> (done: [Device], failures: [(Device, DeviceBackendError)]) {
        var done: [Device] = []
        var failures: [(Device, DeviceBackendError)] = []
        for (device, command) in commands {
            do {
                _ = try await backend(for: device).apply(command, to: device)
                done.append(device)
            } catch let error as DeviceBackendError {
                failures.append((device, error))
            } catch {
                failures.append((device, .unreachable(device: device.name, reason: String(describing: error))))
            }
        }
        return (done, failures)
    }

    func report(_ key: String, _ values: [String: String], done: [Device], failures: [(Device, DeviceBackendError)],
                replies: Replies) throws -> SkillResponse
    {
        let data: [String: JSONValue] = [
            "devices": .array(done.map { .string($0.id) }),
            "failed": .array(failures.map { .string($0.0.id) }),
        ]
        guard !failures.isEmpty else { return try SkillResponse.speak(replies.render(key, values)).with(data: data) }
        let failed = try deviceList(failures.map(\.0), replies: replies)
        let reason = failures[0].1.reason
        if done.isEmpty {
            return try SkillResponse.speak(replies.render("unreachable", ["devices": failed, "reason": reason]))
                .with(data: data)
        }
        let part = try replies.render(key, values.merging(["target": try deviceList(done, replies: replies)]) { $1 })
        return try SkillResponse.speak(replies.render("partly_unreachable", [
            "done": part, "devices": failed, "reason": reason,
        ])).with(data: data)
    }

    func nothingThere(_ target: Target, replies: Replies) throws -> String {
        try replies.render("nothing_there", ["kind": target.kind ?? "devices", "place": target.place])
    }

    // MARK: Questions

    func answerState(_ request: SkillRequest, replies: Replies) async throws -> SkillResponse {
        let slots = request.slots
        if let name = slots.text("name"), let device = registry.device(named: name) {
            return try await describe(device, asked: slots.text("state"), replies: replies)
        }
        if let state = slots.text("state") {
            // "Which lights are on in the kitchen?"
            let target = try await target(request, domains: nil, context: nil, replies: replies)
            var matching: [Device] = []
            var silent: [Device] = []
            for device in target.devices {
                guard let known = try await backend(for: device).state(of: device) else {
                    silent.append(device)
                    continue
                }
                if Self.matches(known, state) { matching.append(device) }
            }
            let values = ["kind": target.kind ?? "devices", "place": target.place, "state": state]
            var answer = matching.isEmpty
                ? try replies.render("none_in_state", values)
                : try replies.render("some_in_state", values.merging([
                    "devices": try deviceList(matching, replies: replies),
                    "verb": matching.count == 1 ? "is" : "are",
                ]) { $1 })
            if !silent.isEmpty {
                answer += " " + (try replies.render("no_state_yet", ["device": try deviceList(silent, replies: replies)]))
            }
            return .speak(answer)
        }
        // A room's (or the house's) temperature.
        let area = slots.text("area") ?? request.area
        let thermometers = registry.devices.filter {
            ($0.domain == "climate" || $0.domain == "sensor") && (area == nil || $0.area == area)
        }
        var readings: [String] = []
        for device in thermometers {
            guard let state = try await backend(for: device).state(of: device),
                let current = state.currentTemperature
            else { continue }
            readings.append(try replies.render("temperature_reading", [
                "device": try replies.render("device", ["name": device.name]),
                "temperature": SpokenText.number(current),
            ]))
        }
        if readings.isEmpty {
            return try .speak(replies.render("no_temperature", [
                "place": area.map { try replies.render("in_area", ["area": $0]) } ?? (try replies.render("everywhere")),
            ]))
        }
        return .speak(readings.joined(separator: " "))
    }

    /// "Is the kitchen light on?", "What is the thermostat doing?"
    func describe(_ device: Device, asked: String?, replies: Replies) async throws -> SkillResponse {
        let spoken = try replies.render("device", ["name": device.name])
        let known: DeviceState?
        do {
            known = try await backend(for: device).state(of: device)
        } catch let error as DeviceBackendError {
            return try .speak(replies.render("unreachable", ["devices": spoken, "reason": error.reason]))
        }
        guard let state = known else { return try .speak(replies.render("no_state_yet", ["device": spoken])) }
        let actual = Self.stateWord(state)
        if let asked {
            let key = Self.matches(state, asked) ? "state_yes" : "state_no"
            return try .speak(replies.render(key, ["device": spoken, "state": actual]))
        }
        if device.domain == "climate" || state.currentTemperature != nil {
            var values = ["device": spoken, "state": actual]
            values["target"] = state.targetTemperature.map(SpokenText.number) ?? "?"
            values["current"] = state.currentTemperature.map(SpokenText.number) ?? "?"
            return try .speak(replies.render(state.targetTemperature == nil ? "sensor_state" : "climate_state", values))
        }
        if let brightness = state.brightness, state.isOn == true {
            return try .speak(replies.render("light_state", ["device": spoken, "brightness": String(brightness)]))
        }
        return try .speak(replies.render("device_state", ["device": spoken, "state": actual]))
    }

    static func stateWord(_ state: DeviceState) -> String {
        if let value = state.value { return value }
        if let isOn = state.isOn { return isOn ? "on" : "off" }
        return "unknown"
    }

    static func matches(_ state: DeviceState, _ asked: String) -> Bool {
        switch asked.lowercased() {
        case "on": return state.isOn == true
        case "off": return state.isOn == false
        default: return state.value?.lowercased() == asked.lowercased()
        }
    }
}

/// The skill's reply templates.
struct Replies {
    let templates: ResponseTemplates

    /// A reply; device, area and floor names are spoken in lower case ("the kitchen light").
    func render(_ key: String, _ values: [String: String] = [:]) throws -> String {
        var values = values
        for name in ["name", "area", "floor"] { values[name] = values[name]?.lowercased() }
        return try templates.render(key, values)
    }
}

/// Levenshtein distance, for "did you mean".
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

extension MQTTBrokerSettings {
    /// Reads `mqtt: {host, port, timeout}` from the skill's settings; a wrong type is a one-line error.
    public init(settings: [String: JSONValue]) throws {
        self.init()
        guard let mqtt = settings["mqtt"] else { return }
        guard let fields = mqtt.objectValue else {
            throw DeviceRegistryError.invalid("settings (skills.smarthome.mqtt)", "expected a mapping {host, port}")
        }
        if let host = fields["host"] {
            guard let text = host.stringValue, !text.isEmpty else {
                throw DeviceRegistryError.invalid("settings (skills.smarthome.mqtt.host)", "expected a host name")
            }
            self.host = text
        }
        if let port = fields["port"] {
            guard let number = port.numberValue ?? port.stringValue.flatMap(Double.init), number >= 1, number <= 65535
            else {
                throw DeviceRegistryError.invalid("settings (skills.smarthome.mqtt.port)", "expected a port 1–65535")
            }
            self.port = Int(number)
        }
        if let timeout = fields["timeout"] {
            guard let seconds = timeout.numberValue, seconds > 0, seconds <= 60 else {
                throw DeviceRegistryError.invalid(
                    "settings (skills.smarthome.mqtt.timeout)", "expected a number of seconds above 0, at most 60")
            }
            self.timeout = seconds
        }
    }
}
