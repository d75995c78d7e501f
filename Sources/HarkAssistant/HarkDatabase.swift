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

    /// Opens (creating if needed) the database at `path` and applies the runtime's migrations. Built-in
    /// skills that keep tables run their own `DatabaseMigrator` (with their id as prefix) on ``pool``.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            // The file holds sessions and orders: its user's alone (SQLite gives -wal and -shm the same mode).
            let fm = FileManager.default
            if !fm.fileExists(atPath: path) {
                fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            for file in [path, path + "-wal", path + "-shm"] where fm.fileExists(atPath: file) {
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
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
        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError("\(path): cannot prepare the database: \(error)")
        }
    }
}

/// A storage failure, with what was being done.
public struct StoreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
