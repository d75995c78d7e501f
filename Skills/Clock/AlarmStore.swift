import Foundation
import GRDB

/// The days a repeating alarm rings on.
enum AlarmRepeat: String, Sendable, CaseIterable {
    case daily, weekdays, weekends
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    /// True when it rings on `weekday` (1 = Sunday … 7 = Saturday).
    func includes(weekday: Int) -> Bool {
        switch self {
        case .daily: return true
        case .weekdays: return (2...6).contains(weekday)
        case .weekends: return weekday == 1 || weekday == 7
        default: return Self.allCases.firstIndex(of: self)! - 2 == weekday
        }
    }
}

/// An alarm as stored: it rings at `firesAt`, at `hour`:`minute`, once or on the days of `repeats`.
struct ClockAlarm: Sendable, Equatable {
    var id: Int64
    var hour: Int
    var minute: Int
    /// The next time it rings (seconds since 1970).
    var firesAt: Double
    var repeats: AlarmRepeat?
    /// True for the 9 minutes' wait after "snooze".
    var snoozed: Bool

    /// How replies name it: "7 AM", "6:30 PM".
    var label: String { ClockSpeech.clockTime(hour: hour, minute: minute) }

    /// The first time at `hour`:`minute` after `now` on a day `repeats` includes (any day when nil).
    static func next(hour: Int, minute: Int, repeats: AlarmRepeat?, after now: Date, calendar: Calendar) -> Date? {
        let today = calendar.startOfDay(for: now)
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                let time = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)
            else { continue }
            if time > now, repeats?.includes(weekday: calendar.component(.weekday, from: time)) ?? true { return time }
        }
        return nil
    }
}

/// A reminder as stored: `task` is said at `dueAt`.
struct ClockReminder: Sendable, Equatable {
    var id: Int64
    /// What to do, as the reply says it ("call mum", "take your pills").
    var task: String
    var dueAt: Double
}

/// The alarm that was last said to have gone off, so that "snooze" knows what to snooze.
struct RungAlarm: Sendable, Equatable {
    var hour: Int
    var minute: Int
    /// When its notice was said (seconds since 1970).
    var saidAt: Double
}

/// Alarms and reminders in the shared database (tables `clock_alarm`, `clock_reminder`, `clock_rung`).
struct AlarmStore: Sendable {
    let pool: DatabasePool

    /// The tables of migration `clock.v2`.
    static func createTables(_ db: Database) throws {
        try db.create(table: "clock_alarm") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("hour", .integer).notNull()
            t.column("minute", .integer).notNull()
            t.column("fires_at", .double).notNull()
            t.column("repeats", .text)
            t.column("snoozed", .boolean).notNull().defaults(to: false)
        }
        try db.create(table: "clock_reminder") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("task", .text).notNull()
            t.column("due_at", .double).notNull()
        }
        try db.create(table: "clock_rung") { t in
            t.column("id", .integer).primaryKey()
            t.column("hour", .integer).notNull()
            t.column("minute", .integer).notNull()
            t.column("said_at", .double).notNull()
        }
    }

    // MARK: Alarms

    /// Every alarm, the next to ring first.
    func alarms() throws -> [ClockAlarm] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM clock_alarm ORDER BY fires_at, id").map(Self.alarm) }
    }

    @discardableResult
    func addAlarm(hour: Int, minute: Int, firesAt: Date, repeats: AlarmRepeat?, snoozed: Bool = false) throws -> ClockAlarm {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO clock_alarm (hour, minute, fires_at, repeats, snoozed) VALUES (?, ?, ?, ?, ?)",
                arguments: [hour, minute, firesAt.timeIntervalSince1970, repeats?.rawValue, snoozed])
            return ClockAlarm(
                id: db.lastInsertedRowID, hour: hour, minute: minute, firesAt: firesAt.timeIntervalSince1970,
                repeats: repeats, snoozed: snoozed)
        }
    }

    func deleteAlarms(_ ids: [Int64]) throws {
        try pool.write { db in
            for id in ids { try db.execute(sql: "DELETE FROM clock_alarm WHERE id = ?", arguments: [id]) }
        }
    }

    /// Removes every alarm and says how many there were.
    func deleteAllAlarms() throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM clock_alarm")
            return db.changesCount
        }
    }

    /// The alarms due at `now`, each as it came due, earliest first: a repeating one moves on to its next day after
    /// `now` (once, however many days were missed), the others are removed. The last one is kept as the one ringing.
    func takeDueAlarms(now: Date, calendar: Calendar) throws -> [ClockAlarm] {
        let sql = "SELECT * FROM clock_alarm WHERE fires_at <= ? ORDER BY fires_at, id"
        let arguments: StatementArguments = [now.timeIntervalSince1970]
        guard try pool.read({ db in try Row.fetchOne(db, sql: sql, arguments: arguments) }) != nil else { return [] }
        return try pool.write { db in
            let due = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.alarm)
            for alarm in due {
                if let repeats = alarm.repeats,
                    let next = ClockAlarm.next(
                        hour: alarm.hour, minute: alarm.minute, repeats: repeats, after: now, calendar: calendar)
                {
                    try db.execute(
                        sql: "UPDATE clock_alarm SET fires_at = ?, snoozed = 0 WHERE id = ?",
                        arguments: [next.timeIntervalSince1970, alarm.id])
                } else {
                    try db.execute(sql: "DELETE FROM clock_alarm WHERE id = ?", arguments: [alarm.id])
                }
            }
            if let last = due.last {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO clock_rung (id, hour, minute, said_at) VALUES (1, ?, ?, ?)",
                    arguments: [last.hour, last.minute, now.timeIntervalSince1970])
            }
            return due
        }
    }

    /// The alarm last said to have gone off, if any.
    func rung() throws -> RungAlarm? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM clock_rung WHERE id = 1").map {
                RungAlarm(hour: $0["hour"], minute: $0["minute"], saidAt: $0["said_at"])
            }
        }
    }

    func clearRung() throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM clock_rung") }
    }

    private static func alarm(_ row: Row) -> ClockAlarm {
        ClockAlarm(
            id: row["id"], hour: row["hour"], minute: row["minute"], firesAt: row["fires_at"],
            repeats: (row["repeats"] as String?).flatMap(AlarmRepeat.init(rawValue:)), snoozed: row["snoozed"])
    }

    // MARK: Reminders

    /// Every reminder, the next due first.
    func reminders() throws -> [ClockReminder] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clock_reminder ORDER BY due_at, id").map(Self.reminder)
        }
    }

    @discardableResult
    func addReminder(task: String, dueAt: Date) throws -> ClockReminder {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO clock_reminder (task, due_at) VALUES (?, ?)",
                arguments: [task, dueAt.timeIntervalSince1970])
            return ClockReminder(id: db.lastInsertedRowID, task: task, dueAt: dueAt.timeIntervalSince1970)
        }
    }

    func deleteReminders(_ ids: [Int64]) throws {
        try pool.write { db in
            for id in ids { try db.execute(sql: "DELETE FROM clock_reminder WHERE id = ?", arguments: [id]) }
        }
    }

    func deleteAllReminders() throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM clock_reminder")
            return db.changesCount
        }
    }

    /// Removes the reminders due at `now` and returns them, earliest first: each is said once.
    func takeDueReminders(now: Date) throws -> [ClockReminder] {
        let sql = "SELECT * FROM clock_reminder WHERE due_at <= ? ORDER BY due_at, id"
        let arguments: StatementArguments = [now.timeIntervalSince1970]
        guard try pool.read({ db in try Row.fetchOne(db, sql: sql, arguments: arguments) }) != nil else { return [] }
        return try pool.write { db in
            let due = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.reminder)
            for reminder in due {
                try db.execute(sql: "DELETE FROM clock_reminder WHERE id = ?", arguments: [reminder.id])
            }
            return due
        }
    }

    private static func reminder(_ row: Row) -> ClockReminder {
        ClockReminder(id: row["id"], task: row["task"], dueAt: row["due_at"])
    }
}
