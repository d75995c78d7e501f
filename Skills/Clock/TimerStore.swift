import Foundation
import GRDB

/// A kitchen timer as stored: running (it ends at `endsAt`) or paused (with `pausedRemaining` left).
struct ClockTimer: Sendable, Equatable {
    var id: Int64
    /// What it is for ("pasta"), when the user named it.
    var name: String?
    /// Its length as set, in seconds.
    var seconds: Double
    /// When a running timer ends (seconds since 1970).
    var endsAt: Double
    /// What is left of a paused timer, in seconds; nil while it runs.
    var pausedRemaining: Double?

    /// Seconds left at `now`.
    func remaining(at now: Date) -> Double { pausedRemaining ?? max(0, endsAt - now.timeIntervalSince1970) }

    /// True when it runs and its end has come.
    func isDue(at now: Date) -> Bool { pausedRemaining == nil && endsAt <= now.timeIntervalSince1970 }

    /// How replies name it: its name, else its length ("5 minute").
    var label: String { name ?? ClockSpeech.lengthLabel(seconds) }
}

/// The timers in the shared database (table `clock_timer`), so that they outlive the process.
struct TimerStore: Sendable {
    let pool: DatabasePool

    /// Applies the skill's migrations (named `clock.*`) to `pool`.
    init(pool: DatabasePool) throws {
        self.pool = pool
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("clock.v1") { db in
            try db.create(table: "clock_timer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text)
                t.column("seconds", .double).notNull()
                t.column("ends_at", .double).notNull()
                t.column("paused_remaining", .double)
            }
        }
        migrator.registerMigration("clock.v2") { db in try AlarmStore.createTables(db) }
        return migrator
    }

    /// Every timer, oldest first.
    func all() throws -> [ClockTimer] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM clock_timer ORDER BY id").map(Self.timer) }
    }

    /// Starts a timer of `seconds` at `now`.
    @discardableResult
    func start(name: String?, seconds: Double, now: Date) throws -> ClockTimer {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO clock_timer (name, seconds, ends_at) VALUES (?, ?, ?)",
                arguments: [name, seconds, now.timeIntervalSince1970 + seconds])
            return ClockTimer(
                id: db.lastInsertedRowID, name: name, seconds: seconds, endsAt: now.timeIntervalSince1970 + seconds)
        }
    }

    /// Writes a changed timer back.
    func save(_ timer: ClockTimer) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE clock_timer SET ends_at = ?, paused_remaining = ? WHERE id = ?",
                arguments: [timer.endsAt, timer.pausedRemaining, timer.id])
        }
    }

    /// Removes one timer.
    func delete(_ id: Int64) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM clock_timer WHERE id = ?", arguments: [id]) }
    }

    /// Removes every timer and says how many there were.
    func deleteAll() throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM clock_timer")
            return db.changesCount
        }
    }

    /// Removes the timers that are due at `now` and returns them, earliest end first: each is taken once.
    /// (A read first, so that a request with nothing due does not write.)
    func takeDue(now: Date) throws -> [ClockTimer] {
        let sql = "SELECT * FROM clock_timer WHERE paused_remaining IS NULL AND ends_at <= ? ORDER BY ends_at, id"
        let arguments: StatementArguments = [now.timeIntervalSince1970]
        guard try pool.read({ db in try Row.fetchOne(db, sql: sql, arguments: arguments) }) != nil else { return [] }
        return try pool.write { db in
            let due = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.timer)
            for timer in due { try db.execute(sql: "DELETE FROM clock_timer WHERE id = ?", arguments: [timer.id]) }
            return due
        }
    }

    private static func timer(_ row: Row) -> ClockTimer {
        ClockTimer(
            id: row["id"], name: row["name"], seconds: row["seconds"], endsAt: row["ends_at"],
            pausedRemaining: row["paused_remaining"])
    }
}
