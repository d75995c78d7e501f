import Foundation
import GRDB
import HarkSkillKit

/// ``SkillStorage`` in Hark's database: one row per (skill, key), JSON values, each write a transaction.
public struct SQLiteSkillStorage: SkillStorage {
    let database: HarkDatabase
    let skill: String

    public init(database: HarkDatabase, skill: String) {
        self.database = database
        self.skill = skill
    }

    public func value(forKey key: String) async throws -> JSONValue? {
        let data = try await database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM skillStorage WHERE skill = ? AND key = ?", arguments: [skill, key])
        }
        return try data.map { try JSONDecoder().decode(JSONValue.self, from: $0) }
    }

    public func setValue(_ value: JSONValue?, forKey key: String) async throws {
        let data = try value.map { try JSONEncoder().encode($0) }
        try await database.pool.write { db in
            if let data {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO skillStorage (skill, key, value) VALUES (?, ?, ?)",
                    arguments: [skill, key, data])
            } else {
                try db.execute(sql: "DELETE FROM skillStorage WHERE skill = ? AND key = ?", arguments: [skill, key])
            }
        }
    }

    public func keys() async throws -> [String] {
        try await database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT key FROM skillStorage WHERE skill = ? ORDER BY key", arguments: [skill])
        }
    }
}
