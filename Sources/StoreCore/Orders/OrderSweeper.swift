public import Foundation
public import GRDB

/// Moves time forward for orders: pending ones past their lifetime become expired, and slots
/// past their late-payment grace are given back.
public enum OrderSweeper {
    /// Applies the clock inside a write transaction; returns the ids of orders that just expired.
    @discardableResult
    public static func sweep(_ db: Database, now: Date) throws -> [String] {
        let expired = try String.fetchAll(
            db, sql: #"SELECT id FROM "order" WHERE status = 'pending' AND expiresAt <= ?"#, arguments: [now])
        if !expired.isEmpty {
            try db.execute(
                sql: #"UPDATE "order" SET status = 'expired' WHERE status = 'pending' AND expiresAt <= ?"#,
                arguments: [now])
        }
        try db.execute(
            sql: #"UPDATE "order" SET holdsSlot = 0 WHERE holdsSlot AND slotReleaseAt <= ?"#, arguments: [now])
        return expired
    }
}

extension AppDatabase {
    /// Runs the sweep in its own transaction; returns the orders that just expired.
    public func sweepOrders(now: Date = Date()) throws -> [String] {
        try writer.write { db in try OrderSweeper.sweep(db, now: now) }
    }
}
