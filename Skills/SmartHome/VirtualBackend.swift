import Foundation
import GRDB
import HarkSkillKit

/// Devices that live only in Hark: their state is kept in SQLite (table `smarthome_device_state`), written in a
/// transaction per command, so it survives restarts and other connections see it.
public struct VirtualBackend: DeviceBackend {
    let pool: DatabasePool
    let clock: any SkillClock

    /// Uses `pool` and creates the table (migration `smarthome.v1`) if needed; `clock` stamps each change.
    public init(pool: DatabasePool, clock: any SkillClock = SystemClock()) throws {
        self.pool = pool
        self.clock = clock
        var migrator = DatabaseMigrator()
        migrator.registerMigration("smarthome.v1") { db in
            try db.create(table: StoredDeviceState.databaseTableName) { t in
                t.primaryKey("deviceID", .text)
                t.column("isOn", .boolean)
                t.column("brightness", .integer)
                t.column("color", .text)
                t.column("targetTemperature", .double)
                t.column("currentTemperature", .double)
                t.column("value", .text)
                t.column("updatedAt", .double).notNull()
            }
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw DeviceBackendError.storage("cannot prepare the table: \(error)")
        }
    }

    public func apply(_ command: DeviceCommand, to device: Device) async throws -> DeviceState? {
        do {
            let now = clock.now.timeIntervalSince1970
            return try await pool.write { db in
                var state = try StoredDeviceState.fetchOne(db, key: device.id)?.state ?? DeviceState(initialOf: device)
                switch command {
                case .turnOn: state.isOn = true
                case .turnOff: state.isOn = false
                case .toggle: state.isOn = !(state.isOn ?? false)
                case .brightness(let percent):
                    state.brightness = percent
                    state.isOn = percent > 0
                case .color(let color):
                    state.color = color
                    state.isOn = true
                case .temperature(let value): state.targetTemperature = value
                }
                try StoredDeviceState(deviceID: device.id, state: state, updatedAt: now)
                    .save(db)
                return state
            }
        } catch let error as DeviceBackendError {
            throw error
        } catch {
            throw DeviceBackendError.storage("cannot save the state of \(device.name): \(error)")
        }
    }

    public func state(of device: Device) async throws -> DeviceState? {
        do {
            let stored = try await pool.read { db in try StoredDeviceState.fetchOne(db, key: device.id) }
            return stored?.state ?? DeviceState(initialOf: device)
        } catch {
            throw DeviceBackendError.storage("cannot read the state of \(device.name): \(error)")
        }
    }
}

/// One row of `smarthome_device_state`.
struct StoredDeviceState: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "smarthome_device_state"

    var deviceID: String
    var isOn: Bool?
    var brightness: Int?
    var color: String?
    var targetTemperature: Double?
    var currentTemperature: Double?
    var value: String?
    var updatedAt: Double

    init(deviceID: String, state: DeviceState, updatedAt: Double) {
        self.deviceID = deviceID
        isOn = state.isOn
        brightness = state.brightness
        color = state.color
        targetTemperature = state.targetTemperature
        currentTemperature = state.currentTemperature
        value = state.value
        self.updatedAt = updatedAt
    }

    var state: DeviceState {
        DeviceState(isOn: isOn, brightness: brightness, color: color, targetTemperature: targetTemperature,
                    currentTemperature: currentTemperature, value: value)
    }
}
