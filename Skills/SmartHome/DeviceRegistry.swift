import Foundation
import HarkSkillKit
import Yams

/// How a device is reached.
public enum DeviceBackendKind: String, Sendable, Hashable, Codable {
    /// Hark keeps the device's state itself (in SQLite): for trying the skill, demos and tests.
    case virtual
    /// A real device behind an MQTT broker.
    case mqtt
}

/// The MQTT topic layout a device's firmware uses.
public enum MQTTTopicStyle: String, Sendable, Hashable, Codable {
    /// `zigbee2mqtt/<name>/set` with a JSON body; state read back on `zigbee2mqtt/<name>`.
    case zigbee2mqtt
    /// `cmnd/<name>/POWER` and `cmnd/<name>/Dimmer`; state read back on `stat/<name>/POWER` and `stat/<name>/RESULT`.
    case tasmota
}

/// One device of the house: what it is called, where it is, what kind of thing it is and how to reach it.
public struct Device: Sendable, Hashable {
    /// Stable id (`light.bedroom_lamp`); derived from the domain and name when not given.
    public var id: String
    /// Canonical name ("Bedroom Lamp").
    public var name: String
    /// Other names people use for it.
    public var aliases: [String]
    /// Canonical name of its area, if any.
    public var area: String?
    /// Canonical name of its floor (its own, or its area's).
    public var floor: String?
    /// Home Assistant domain: light, switch, fan, climate, cover, lock, sensor, …
    public var domain: String
    /// How it is reached.
    public var backend: DeviceBackendKind
    /// MQTT topic layout (for `backend: mqtt`).
    public var topicStyle: MQTTTopicStyle
    /// The name in MQTT topics (for `backend: mqtt`); defaults to the name.
    public var mqttName: String
    /// The state a virtual device starts in ("on", "off", "heat", "21.5 °C", …), when known.
    public var initialState: String?
    /// Starting attributes of a virtual device (e.g. `current_temperature`).
    public var initialAttributes: [String: JSONValue]

    /// Creates a device.
    public init(
        id: String? = nil, name: String, aliases: [String] = [], area: String? = nil, floor: String? = nil,
        domain: String, backend: DeviceBackendKind = .virtual, topicStyle: MQTTTopicStyle = .zigbee2mqtt,
        mqttName: String? = nil, initialState: String? = nil, initialAttributes: [String: JSONValue] = [:]
    ) {
        self.id = id ?? "\(domain).\(DeviceRegistry.slug(name))"
        self.name = name
        self.aliases = aliases
        self.area = area
        self.floor = floor
        self.domain = domain
        self.backend = backend
        self.topicStyle = topicStyle
        self.mqttName = mqttName ?? name
        self.initialState = initialState
        self.initialAttributes = initialAttributes
    }

    /// True for devices that can be switched on and off.
    public var isSwitchable: Bool { DeviceRegistry.switchableDomains.contains(domain) }
}

/// An area (a room) with its other names and its floor.
public struct Area: Sendable, Hashable {
    /// Canonical name ("Living Room").
    public var name: String
    /// Other names ("lounge").
    public var aliases: [String]
    /// Canonical name of its floor.
    public var floor: String?

    /// Creates an area.
    public init(name: String, aliases: [String] = [], floor: String? = nil) {
        self.name = name
        self.aliases = aliases
        self.floor = floor
    }
}

/// A floor of the house with its other names.
public struct Floor: Sendable, Hashable {
    /// Canonical name ("Upstairs").
    public var name: String
    /// Other names ("first floor").
    public var aliases: [String]

    /// Creates a floor.
    public init(name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }
}

/// A registry problem, naming the file (or setting) and what is wrong.
public struct DeviceRegistryError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case unreadable(String, String)
        case invalid(String, String)
    }
    private let kind: Kind

    static func unreadable(_ source: String, _ reason: String) -> DeviceRegistryError {
        DeviceRegistryError(kind: .unreadable(source, reason))
    }
    static func invalid(_ source: String, _ problem: String) -> DeviceRegistryError {
        DeviceRegistryError(kind: .invalid(source, problem))
    }

    public var description: String {
        switch kind {
        case .unreadable(let source, let reason): return "\(source): cannot read the devices file (\(reason))"
        case .invalid(let source, let problem): return "\(source): \(problem)"
        }
    }
}

/// The devices, areas and floors of one house.
///
/// Load it from the skill's settings (`devices:`, `areas:`, `floors:` lists, or `devices_file:`) with
/// ``load(settings:devicesFile:)``, or from a file in Hark's own format or Home Assistant's fixtures format
/// (`floors`, `areas`, `entities`) with ``load(file:)``. ``demo`` is a small house to try the skill at once.
public struct DeviceRegistry: Sendable, Hashable {
    /// Every device.
    public var devices: [Device]
    /// Every area.
    public var areas: [Area]
    /// Every floor.
    public var floors: [Floor]

    /// Domains that TurnOn, TurnOff and Toggle act on.
    public static let switchableDomains: Set<String> = ["light", "switch", "fan", "climate"]

    /// Creates a registry; areas and floors named by devices but not listed are added, and a device's floor
    /// defaults to its area's.
    public init(devices: [Device], areas: [Area] = [], floors: [Floor] = []) {
        var areas = areas
        var floors = floors
        for device in devices {
            if let area = device.area, !areas.contains(where: { $0.name == area }) {
                areas.append(Area(name: area, floor: device.floor))
            }
        }
        for floor in areas.compactMap(\.floor) + devices.compactMap(\.floor)
        where !floors.contains(where: { $0.name == floor }) {
            floors.append(Floor(name: floor))
        }
        self.areas = areas
        self.floors = floors
        self.devices = devices.map { device in
            var device = device
            if device.floor == nil, let area = device.area {
                device.floor = areas.first(where: { $0.name == area })?.floor
            }
            return device
        }
    }

    /// A small demo house: a new user can try the skill before configuring anything.
    public static let demo = DeviceRegistry(
        devices: [
            Device(name: "Kitchen Light", aliases: ["kitchen lamp"], area: "Kitchen", domain: "light"),
            Device(name: "Living Room Lamp", aliases: ["floor lamp", "lounge lamp"], area: "Living Room",
                   domain: "light"),
            Device(name: "Reading Light", area: "Living Room", domain: "light"),
            Device(name: "Bedroom Lamp", aliases: ["bedside lamp"], area: "Bedroom", domain: "light"),
            Device(name: "Hallway Switch", aliases: ["hall switch"], area: "Hallway", domain: "switch"),
            Device(name: "Ceiling Fan", area: "Bedroom", domain: "fan"),
            Device(name: "Thermostat", aliases: ["heating"], area: "Living Room", domain: "climate",
                   initialState: "heat", initialAttributes: ["temperature": 20, "current_temperature": 19.5]),
            Device(name: "Coffee Maker", area: "Kitchen", domain: "switch"),
            Device(name: "Garden Lights", area: "Garden", domain: "light"),
        ],
        areas: [
            Area(name: "Kitchen", floor: "Downstairs"), Area(name: "Living Room", aliases: ["lounge"], floor: "Downstairs"),
            Area(name: "Hallway", aliases: ["hall"], floor: "Downstairs"), Area(name: "Bedroom", floor: "Upstairs"),
            Area(name: "Garden", floor: "Downstairs"),
        ],
        floors: [Floor(name: "Downstairs", aliases: ["ground floor"]), Floor(name: "Upstairs", aliases: ["first floor"])])

    // MARK: Lookup

    /// The device with this canonical name (or alias), ignoring case.
    public func device(named name: String) -> Device? {
        let key = name.lowercased()
        return devices.first { $0.name.lowercased() == key } ?? devices.first {
            $0.aliases.contains { $0.lowercased() == key }
        }
    }

    /// The area `said` names with its words run together or apart, or its case, hyphens or apostrophes written
    /// differently ("bed room" → Bedroom, "living-room" → Living Room).
    public func area(spelled said: String) -> Area? {
        func letters(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
        let key = letters(said)
        guard !key.isEmpty else { return nil }
        return areas.first { area in ([area.name] + area.aliases).contains { letters($0) == key } }
    }

    /// Devices in an area.
    public func devices(inArea area: String) -> [Device] {
        devices.filter { $0.area?.lowercased() == area.lowercased() }
    }

    // MARK: Loading

    /// The registry the settings describe: `devices_file` (or `devicesFile`, which `--devices FILE` passes and
    /// which wins), else inline `devices:`/`areas:`/`floors:`, else ``demo``.
    public static func load(settings: [String: JSONValue], devicesFile: String? = nil) throws -> DeviceRegistry {
        if let file = devicesFile ?? settings["devices_file"]?.stringValue {
            return try load(file: file)
        }
        guard settings["devices"] != nil else { return demo }
        return try parse(settings.mapValues(\.plain), source: "settings (skills.smarthome)")
    }

    /// Reads a devices file: Hark's format (`devices:`, `areas:`, `floors:`) or Home Assistant's fixtures
    /// (`floors`, `areas`, `entities`), in YAML or JSON.
    public static func load(file: String) throws -> DeviceRegistry {
        let path = (file as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeviceRegistryError.unreadable(file, "no such file or not readable")
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw DeviceRegistryError.unreadable(file, String(describing: error).split(separator: "\n").first
                .map(String.init) ?? "invalid YAML or JSON")
        }
        guard let mapping = root as? [String: Any] else {
            throw DeviceRegistryError.invalid(file, "expected a mapping with 'devices' or 'entities'")
        }
        return try parse(mapping, source: file)
    }

    /// Builds a registry from a decoded mapping in either format.
    static func parse(_ root: [String: Any], source: String) throws -> DeviceRegistry {
        let deviceKey = root["entities"] != nil ? "entities" : "devices"
        guard let rawDevices = root[deviceKey] as? [Any] else {
            throw DeviceRegistryError.invalid(source, "'\(deviceKey)' must be a list of devices")
        }
        var floors: [Floor] = []
        for (index, item) in ((root["floors"] as? [Any]) ?? []).enumerated() {
            let fields = try record(item, "floors[\(index)]", source: source)
            floors.append(Floor(name: try text(fields, "name", "floors[\(index)]", source: source),
                                aliases: strings(fields["aliases"])))
        }
        var areas: [Area] = []
        for (index, item) in ((root["areas"] as? [Any]) ?? []).enumerated() {
            let fields = try record(item, "areas[\(index)]", source: source)
            areas.append(Area(name: try text(fields, "name", "areas[\(index)]", source: source),
                              aliases: strings(fields["aliases"]), floor: fields["floor"] as? String))
        }
        var devices: [Device] = []
        for (index, item) in rawDevices.enumerated() {
            let what = "\(deviceKey)[\(index)]"
            let fields = try record(item, what, source: source)
            let name = try text(fields, "name", what, source: source)
            guard let domain = fields["domain"] as? String, !domain.isEmpty else {
                throw DeviceRegistryError.invalid(source, "\(what) (\(name)) needs a 'domain' (light, switch, fan, …)")
            }
            let backendText = (fields["backend"] as? String) ?? "virtual"
            guard let backend = DeviceBackendKind(rawValue: backendText) else {
                throw DeviceRegistryError.invalid(source, "\(what) (\(name)): backend '\(backendText)' is not virtual or mqtt")
            }
            let styleText = (fields["topic_style"] ?? fields["topics"] ?? fields["topic style"]) as? String ?? "zigbee2mqtt"
            guard let style = MQTTTopicStyle(rawValue: styleText) else {
                throw DeviceRegistryError.invalid(
                    source, "\(what) (\(name)): topic_style '\(styleText)' is not zigbee2mqtt or tasmota")
            }
            let attributes = (fields["attributes"] as? [String: Any] ?? [:]).compactMapValues(JSONValue.init(plain:))
            devices.append(Device(
                id: fields["id"] as? String, name: name, aliases: strings(fields["aliases"]),
                area: fields["area"] as? String, floor: fields["floor"] as? String, domain: domain, backend: backend,
                topicStyle: style, mqttName: fields["mqtt_name"] as? String,
                initialState: stateText(fields["state"]),
                initialAttributes: attributes))
        }
        let registry = DeviceRegistry(devices: devices, areas: areas, floors: floors)
        // Home Assistant allows one name in several domains (a "Phone" sensor and binary sensor); Hark's own
        // format asks for distinct names so that a name says which device.
        var seen = Set<String>()
        for device in registry.devices where deviceKey == "devices" && !seen.insert(device.name.lowercased()).inserted {
            throw DeviceRegistryError.invalid(source, "two devices are called '\(device.name)'")
        }
        return registry
    }

    private static func record(_ item: Any, _ what: String, source: String) throws -> [String: Any] {
        guard let fields = item as? [String: Any] else {
            throw DeviceRegistryError.invalid(source, "\(what) must be a mapping")
        }
        return fields
    }

    private static func text(_ fields: [String: Any], _ key: String, _ what: String, source: String) throws -> String {
        guard let value = fields[key] as? String, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DeviceRegistryError.invalid(source, "\(what) needs a '\(key)'")
        }
        return value
    }

    /// A state as text; YAML reads a bare `on`/`off` as a boolean.
    private static func stateText(_ value: Any?) -> String? {
        if let flag = value as? Bool { return flag ? "on" : "off" }
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }

    private static func strings(_ value: Any?) -> [String] {
        if let one = value as? String { return [one] }
        return (value as? [Any] ?? []).compactMap { $0 as? String }.filter { !$0.isEmpty }
    }

    /// `Bedroom Lamp` → `bedroom_lamp`.
    static func slug(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

extension JSONValue {
    /// The value as Foundation/YAML plain types (String, Double, Bool, arrays, dictionaries).
    var plain: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let value): return value
        case .string(let value): return value
        case .array(let values): return values.map(\.plain)
        case .object(let members): return members.mapValues(\.plain)
        }
    }

    /// A JSON value from plain types; nil for anything else.
    init?(plain: Any) {
        switch plain {
        case let value as String: self = .string(value)
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .number(Double(value))
        case let value as Double: self = .number(value)
        case let values as [Any]: self = .array(values.compactMap(JSONValue.init(plain:)))
        case let members as [String: Any]: self = .object(members.compactMapValues(JSONValue.init(plain:)))
        default: return nil
        }
    }
}
