import Foundation
import GRDB

/// One row of the shopping list.
struct ListEntry: Sendable, Hashable, Codable {
    /// The canonical item ("egg"): one row per key.
    var key: String
    /// The words to say ("eggs").
    var name: String
    var amount: Amount
}

/// What adding one item did to the list.
struct AddResult: Sendable {
    enum Change: Sendable {
        case added
        case unchanged
        case increased
        case replaced
    }

    var entry: ListEntry
    var change: Change
}

/// A product line of an order being prepared or placed.
struct OrderLine: Sendable, Hashable, Codable {
    var productID: String
    var productName: String
    /// The item it satisfies: the list key when it came from (or is on) the list, else the catalogue item.
    var item: String
    var count: Int
    var unitPrice: Double

    var lineTotal: Double { (Double(count) * unitPrice * 100).rounded() / 100 }
}

/// An order read aloud and waiting for the purchase code.
struct OrderPlan: Sendable, Hashable, Codable {
    var lines: [OrderLine]
    /// True when the whole list is being ordered.
    var wholeList: Bool

    var total: Double { (lines.reduce(0) { $0 + $1.lineTotal } * 100).rounded() / 100 }
}

/// An order that was placed.
struct PlacedOrder: Sendable {
    var id: Int64
    var placedAt: Date
    var status: String
    var total: Double
    var currency: String
    var lines: [OrderLine]
}

/// One purchase of an item: from an order, or ticked off the list as bought.
struct Purchase: Sendable {
    var item: String
    var at: Date
    /// When the item went on the list before it was bought (the household noticed it running out), if it did.
    var neededAt: Date? = nil

    /// The day the item ran out, as near as the history tells: when it went on the list, else when it was bought.
    var ranOutAt: Date { neededAt ?? at }
}

/// The state of ordering after wrong purchase codes.
struct Lockout: Sendable {
    var failedAttempts: Int
    var lockedUntil: Date?
    /// Locks since the last order placed (the next lock lasts `2^locks` times the first).
    var locks = 0

    func isLocked(at now: Date) -> Bool { lockedUntil.map { $0 > now } ?? false }
}

/// The shopping skill's tables in Hark's shared `hark.sqlite`: list items, orders and their lines, purchase
/// history and the purchase-code lockout. Every method that writes runs one transaction that has committed
/// when it returns, so what the skill then says it did survives a crash.
struct ShoppingStore: Sendable {
    let pool: DatabasePool

    /// Applies the skill's migrations (named `shopping.*`) to `pool`.
    init(pool: DatabasePool) throws {
        self.pool = pool
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("shopping.v1") { db in
            try db.create(table: "shopping_list_item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("quantity", .double)
                t.column("unit", .text)
                t.column("added_at", .double).notNull()
            }
            try db.create(table: "shopping_order") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("placed_at", .double).notNull()
                t.column("status", .text).notNull()
                t.column("total", .double).notNull()
                t.column("currency", .text).notNull()
            }
            try db.create(table: "shopping_order_line") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("order_id", .integer).notNull().indexed()
                    .references("shopping_order", onDelete: .cascade)
                t.column("product_id", .text).notNull()
                t.column("product_name", .text).notNull()
                t.column("item", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("unit_price", .double).notNull()
                t.column("line_total", .double).notNull()
            }
            try db.create(table: "shopping_purchase") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item", .text).notNull().indexed()
                t.column("bought_at", .double).notNull()
                t.column("source", .text).notNull()
                t.column("order_id", .integer).references("shopping_order", onDelete: .setNull)
            }
            try db.create(table: "shopping_lockout") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("failed_attempts", .integer).notNull()
                t.column("locked_until", .double)
            }
        }
        migrator.registerMigration("shopping.v2-lockout-count") { db in
            // How many times ordering has been locked since the last order placed: each lock lasts twice the last.
            try db.alter(table: "shopping_lockout") { t in t.add(column: "locks", .integer).notNull().defaults(to: 0) }
        }
        migrator.registerMigration("shopping.v3-buttons") { db in
            // The last press of each Dash button that counted, and what its orders have to say at the next request.
            try db.create(table: "shopping_button_press") { t in
                t.primaryKey("button", .text)
                t.column("pressed_at", .double).notNull()
            }
            try db.create(table: "shopping_notice") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("text", .text).notNull()
            }
        }
        migrator.registerMigration("shopping.v4-needed") { db in
            // When a bought item had gone on the list: the day it ran out, for its interval.
            try db.alter(table: "shopping_purchase") { t in t.add(column: "needed_at", .double) }
        }
        return migrator
    }

    // MARK: The list

    func list() async throws -> [ListEntry] {
        try await pool.read { db in try Self.entries(db) }
    }

    private static func entries(_ db: Database) throws -> [ListEntry] {
        try Row.fetchAll(db, sql: "SELECT key, name, quantity, unit FROM shopping_list_item ORDER BY added_at, id")
            .map { Self.entry($0) }
    }

    private static func entry(_ row: Row) -> ListEntry {
        ListEntry(key: row["key"], name: row["name"], amount: Amount(quantity: row["quantity"], unit: row["unit"]))
    }

    /// Adds entries, merging each with the row of the same key through `merge`.
    func add(
        _ new: [ListEntry], at now: Date,
        merge: @escaping @Sendable (Amount, Amount) -> (Amount, AmountMerge.Outcome)
    ) async throws -> [AddResult] {
        try await pool.write { db in
            var results: [AddResult] = []
            for entry in new {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT key, name, quantity, unit FROM shopping_list_item WHERE key = ?",
                    arguments: [entry.key])
                {
                    let existing = Self.entry(row)
                    let (amount, outcome) = merge(existing.amount, entry.amount)
                    var updated = existing
                    updated.amount = amount
                    if outcome != .unchanged { updated.name = entry.name }
                    try db.execute(
                        sql: "UPDATE shopping_list_item SET name = ?, quantity = ?, unit = ? WHERE key = ?",
                        arguments: [updated.name, amount.quantity, amount.unit, entry.key])
                    let change: AddResult.Change =
                        switch outcome {
                        case .unchanged: .unchanged
                        case .increased: .increased
                        case .replaced: .replaced
                        }
                    results.append(AddResult(entry: updated, change: change))
                } else {
                    try db.execute(
                        sql: "INSERT INTO shopping_list_item (key, name, quantity, unit, added_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [entry.key, entry.name, entry.amount.quantity, entry.amount.unit,
                                    now.timeIntervalSince1970])
                    results.append(AddResult(entry: entry, change: .added))
                }
            }
            return results
        }
    }

    /// Removes the rows of `keys`; when `bought`, each removed item is recorded as a purchase.
    func remove(keys: [String], bought: Bool, at now: Date) async throws -> [ListEntry] {
        try await pool.write { db in
            var removed: [ListEntry] = []
            for key in keys {
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT key, name, quantity, unit, added_at FROM shopping_list_item WHERE key = ?",
                    arguments: [key])
                else { continue }
                try db.execute(sql: "DELETE FROM shopping_list_item WHERE key = ?", arguments: [key])
                if bought {
                    try db.execute(
                        sql: """
                            INSERT INTO shopping_purchase (item, bought_at, source, needed_at) VALUES (?, ?, 'list', ?)
                            """,
                        arguments: [key, now.timeIntervalSince1970, row["added_at"] as Double])
                }
                removed.append(Self.entry(row))
            }
            return removed
        }
    }

    /// Empties the list; returns how many rows it had.
    func clear() async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM shopping_list_item")
            return db.changesCount
        }
    }

    // MARK: Orders

    /// Records a placed order with its lines and purchases, takes its items off the list and clears failed
    /// code attempts, in one transaction. Returns the order's number.
    func place(_ plan: OrderPlan, at now: Date, currency: String) async throws -> Int64 {
        try await pool.write { db in
            let time = now.timeIntervalSince1970
            try db.execute(
                sql: "INSERT INTO shopping_order (placed_at, status, total, currency) VALUES (?, 'placed', ?, ?)",
                arguments: [time, plan.total, currency])
            let orderID = db.lastInsertedRowID
            for line in plan.lines {
                try db.execute(
                    sql: """
                        INSERT INTO shopping_order_line (order_id, product_id, product_name, item, count, unit_price, \
                        line_total) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [orderID, line.productID, line.productName, line.item, line.count, line.unitPrice,
                                line.lineTotal])
                let needed = try Double.fetchOne(
                    db, sql: "SELECT added_at FROM shopping_list_item WHERE key = ?", arguments: [line.item])
                try db.execute(
                    sql: """
                        INSERT INTO shopping_purchase (item, bought_at, source, order_id, needed_at) \
                        VALUES (?, ?, 'order', ?, ?)
                        """,
                    arguments: [line.item, time, orderID, needed])
                try db.execute(sql: "DELETE FROM shopping_list_item WHERE key = ?", arguments: [line.item])
            }
            try db.execute(sql: "DELETE FROM shopping_lockout")
            return orderID
        }
    }

    /// The most recent orders, newest first.
    func orders(limit: Int = 20) async throws -> [PlacedOrder] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, placed_at, status, total, currency FROM shopping_order ORDER BY placed_at DESC, id DESC LIMIT ?",
                arguments: [limit])
            return try rows.map { row in
                let id: Int64 = row["id"]
                let lines = try Row.fetchAll(
                    db,
                    sql: "SELECT product_id, product_name, item, count, unit_price FROM shopping_order_line WHERE order_id = ? ORDER BY id",
                    arguments: [id]
                ).map {
                    OrderLine(
                        productID: $0["product_id"], productName: $0["product_name"], item: $0["item"], count: $0["count"],
                        unitPrice: $0["unit_price"])
                }
                return PlacedOrder(
                    id: id, placedAt: Date(timeIntervalSince1970: row["placed_at"]), status: row["status"],
                    total: row["total"], currency: row["currency"], lines: lines)
            }
        }
    }

    /// Every purchase, oldest first.
    func purchases() async throws -> [Purchase] {
        try await pool.read { db in
            let sql = "SELECT item, bought_at, needed_at FROM shopping_purchase ORDER BY bought_at, id"
            return try Row.fetchAll(db, sql: sql).map {
                Purchase(
                    item: $0["item"], at: Date(timeIntervalSince1970: $0["bought_at"]),
                    neededAt: ($0["needed_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    // MARK: Buttons and notices

    /// Counts a press of `button` at `now` unless the last one that counted was less than `within` seconds before:
    /// true when it counts. One transaction, so two processes hearing the same press count it once.
    func countPress(of button: String, at now: Date, within: TimeInterval) async throws -> Bool {
        try await pool.write { db in
            let time = now.timeIntervalSince1970
            let last = try Double.fetchOne(
                db, sql: "SELECT pressed_at FROM shopping_button_press WHERE button = ?", arguments: [button])
            if let last, time - last < within, time >= last { return false }
            try db.execute(
                sql: "INSERT OR REPLACE INTO shopping_button_press (button, pressed_at) VALUES (?, ?)",
                arguments: [button, time])
            return true
        }
    }

    /// Keeps `text` to be said before the next reply.
    func addNotice(_ text: String) async throws {
        try await pool.write { db in try db.execute(sql: "INSERT INTO shopping_notice (text) VALUES (?)", arguments: [text]) }
    }

    /// Removes the notices kept and returns them, oldest first.
    func takeNotices() async throws -> [String] {
        guard try await pool.read({ db in try Bool.fetchOne(db, sql: "SELECT 1 FROM shopping_notice LIMIT 1") }) != nil
        else { return [] }
        return try await pool.write { db in
            let texts = try String.fetchAll(db, sql: "SELECT text FROM shopping_notice ORDER BY id")
            try db.execute(sql: "DELETE FROM shopping_notice")
            return texts
        }
    }

    // MARK: The purchase-code lockout

    func lockout() async throws -> Lockout {
        try await pool.read { db in try Self.lockout(db) }
    }

    private static func lockout(_ db: Database) throws -> Lockout {
        guard let row = try Row.fetchOne(db, sql: "SELECT failed_attempts, locked_until, locks FROM shopping_lockout")
        else {
            return Lockout(failedAttempts: 0, lockedUntil: nil)
        }
        let until: Double? = row["locked_until"]
        return Lockout(
            failedAttempts: row["failed_attempts"], lockedUntil: until.map(Date.init(timeIntervalSince1970:)),
            locks: row["locks"])
    }

    /// Counts a wrong code; the `limit`-th in a row locks ordering, for `duration` seconds the first time and
    /// twice as long as the last lock each time after (at most `longest`), until an order is placed.
    func recordWrongCode(
        at now: Date, limit: Int, duration: TimeInterval, longest: TimeInterval
    ) async throws -> Lockout {
        try await pool.write { db in
            var state = try Self.lockout(db)
            if let until = state.lockedUntil, until <= now { state = Lockout(failedAttempts: 0, lockedUntil: nil, locks: state.locks) }
            state.failedAttempts += 1
            if state.failedAttempts >= limit {
                let length = min(duration * pow(2, Double(min(state.locks, 30))), longest)
                state = Lockout(failedAttempts: 0, lockedUntil: now.addingTimeInterval(length), locks: state.locks + 1)
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO shopping_lockout (id, failed_attempts, locked_until, locks) VALUES (1, ?, ?, ?)",
                arguments: [state.failedAttempts, state.lockedUntil?.timeIntervalSince1970, state.locks])
            return state
        }
    }
}
