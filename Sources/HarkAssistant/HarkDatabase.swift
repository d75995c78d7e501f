import Foundation
import GRDB

/// Hark's SQLite database (`hark.sqlite` under the data folder): sessions, skill storage, and the
/// built-in skills' own tables. One pool per process; every write is a transaction, and WAL mode with
/// `synchronous=FULL` makes an acknowledged write survive a crash right after it.
public struct HarkDatabase: Sendable {
    /// The connection pool, shared by every component of the process.
    public let pool: DatabasePool
    /// The file's path.
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies the migrations of the runtime and
    /// of each `component` (a built-in skill registers its tables this way).
    public init(path: String, components: [DatabaseComponent] = []) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError("\(path): cannot open the database: \(error)")
        }
        self.path = path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("hark.v1") { db in
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.column("state", .blob).notNull()
                t.column("updatedAt", .double).notNull()
            }
            try db.create(table: "skillStorage") { t in
                t.column("skill", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .blob).notNull()
                t.primaryKey(["skill", "key"])
            }
        }
        for component in components {
            for (name, migration) in component.migrations {
                migrator.registerMigration("\(component.name).\(name)", migrate: migration)
            }
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError("\(path): cannot prepare the database: \(error)")
        }
    }
}

/// A part of Hark that keeps tables in the database, with its migrations in order.
public struct DatabaseComponent: Sendable {
    /// A prefix for the migration names, e.g. the skill's id.
    public var name: String
    /// Named migrations, applied once each, in order.
    public var migrations: [(String, @Sendable (Database) throws -> Void)]

    public init(name: String, migrations: [(String, @Sendable (Database) throws -> Void)]) {
        self.name = name
        self.migrations = migrations
    }
}

/// A storage failure, with what was being done.
public struct StoreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
