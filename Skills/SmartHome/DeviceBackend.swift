import Foundation

/// What a device is doing, as far as Hark knows.
public struct DeviceState: Sendable, Equatable, Codable {
    /// On or off, when the device reports it.
    public var isOn: Bool?
    /// Brightness in percent (0–100).
    public var brightness: Int?
    /// Colour name ("red").
    public var color: String?
    /// The temperature a thermostat aims for.
    public var targetTemperature: Double?
    /// The temperature a thermostat or sensor measures.
    public var currentTemperature: Double?
    /// Any other state as text ("heat", "open", "20 degrees").
    public var value: String?

    /// Creates a state.
    public init(isOn: Bool? = nil, brightness: Int? = nil, color: String? = nil, targetTemperature: Double? = nil,
                currentTemperature: Double? = nil, value: String? = nil) {
        self.isOn = isOn
        self.brightness = brightness
        self.color = color
        self.targetTemperature = targetTemperature
        self.currentTemperature = currentTemperature
        self.value = value
    }

    /// The state a virtual device starts in, from the registry's `state` and `attributes`.
    init(initialOf device: Device) {
        let text = device.initialState?.lowercased()
        switch text {
        case "on", "off": isOn = text == "on"
        case nil: isOn = device.isSwitchable && device.domain != "climate" ? false : nil
        default:
            value = device.initialState
            if device.domain == "climate" { isOn = text != "off" }
        }
        currentTemperature = device.initialAttributes["current_temperature"]?.numberValue
        targetTemperature = device.initialAttributes["temperature"]?.numberValue
    }
}

/// One thing to do to a device.
public enum DeviceCommand: Sendable, Equatable {
    case turnOn
    case turnOff
    case toggle
    /// Brightness in percent, 0–100.
    case brightness(Int)
    case color(String)
    case temperature(Double)
}

/// Where commands to devices go and where their state comes from.
///
/// An implementation applies a command and returns the state it now believes the device is in (nil when it
/// cannot know until the device reports back), reports the last known state (nil when none is known), and
/// throws ``DeviceBackendError`` when the device cannot be reached; it must not block for long (a few seconds
/// at most) so that one unreachable device never stalls the others.
public protocol DeviceBackend: Sendable {
    /// Sends `command` to `device`.
    func apply(_ command: DeviceCommand, to device: Device) async throws -> DeviceState?
    /// The last known state of `device`, or nil when none has been seen yet.
    func state(of device: Device) async throws -> DeviceState?
}

/// A device that could not be reached, with why.
public struct DeviceBackendError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case unreachable(device: String, reason: String)
        case storage(String)
    }
    private let kind: Kind

    /// The broker or device did not answer.
    public static func unreachable(device: String, reason: String) -> DeviceBackendError {
        DeviceBackendError(kind: .unreachable(device: device, reason: reason))
    }

    static func storage(_ reason: String) -> DeviceBackendError { DeviceBackendError(kind: .storage(reason)) }

    /// The device's name when the error is about one device.
    public var device: String? {
        if case .unreachable(let device, _) = kind { return device }
        return nil
    }

    /// Why, in a few words.
    public var reason: String {
        switch kind {
        case .unreachable(_, let reason): return reason
        case .storage(let reason): return reason
        }
    }

    public var description: String {
        switch kind {
        case .unreachable(let device, let reason): return "cannot reach \(device): \(reason)"
        case .storage(let reason): return "smarthome state storage: \(reason)"
        }
    }
}
