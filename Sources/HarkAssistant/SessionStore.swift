import Foundation
import GRDB

/// Sessions in Hark's database, one JSON row each; a save is one transaction.
public struct SessionStore: Sendable {
    let database: HarkDatabase

    public init(database: HarkDatabase) {
        self.database = database
    }

    /// The stored session with `id`, or nil.
    public func load(_ id: String) async throws -> DialogSession? {
        let data = try await database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state FROM session WHERE id = ?", arguments: [id])
        }
        guard let data else { return nil }
        do {
            return try Self.decoder.decode(DialogSession.self, from: data)
        } catch {
            // A row written by an incompatible version: say so rather than silently starting over.
            throw StoreError("session '\(id)' cannot be read (\(error)); it will be replaced")
        }
    }

    /// Writes the session.
    public func save(_ session: DialogSession) async throws {
        let data = try Self.encoder.encode(session)
        try await database.pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO session (id, state, updatedAt) VALUES (?, ?, ?)",
                arguments: [session.id, data, session.updatedAt.timeIntervalSince1970])
        }
    }

    /// Deletes sessions idle since before `date`; returns how many.
    @discardableResult
    public func purge(idleSince date: Date) async throws -> Int {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE updatedAt < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }()
}
