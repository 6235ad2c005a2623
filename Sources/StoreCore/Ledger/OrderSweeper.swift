public import Foundation
import GRDB

extension AppDatabase {
    /// Writes what time has done: pending orders past their lifetime become expired, and slots
    /// past their release time are given back. Only the expiry service calls this; every other
    /// query already reads time from its predicates. Returns the orders that just expired.
    public func sweepOrders(now: Date) async throws -> [String] {
        try await writer.write { db in
            let expired = try String.fetchAll(
                db,
                sql: #"UPDATE "order" SET status = 'expired' WHERE status = 'pending' AND expiresAt <= ? RETURNING id"#,
                arguments: [now])
            try db.execute(
                sql: #"UPDATE "order" SET holdsSlot = 0 WHERE holdsSlot AND slotReleaseAt <= ?"#, arguments: [now])
            // Keys of orders whose slot was released unpaid go back to the stock.
            try db.execute(
                sql: #"""
                    UPDATE cardKey SET orderId = NULL
                    WHERE soldAt IS NULL AND orderId IN (
                        SELECT o.id FROM cardKey k JOIN "order" o ON o.id = k.orderId
                        WHERE k.soldAt IS NULL AND o.status <> 'paid' AND o.slotReleaseAt <= ?)
                    """#, arguments: [now])
            return expired
        }
    }

    /// When the next pending order expires, if any: the expiry service sleeps until then.
    public func nextExpiry() async throws -> Date? {
        try await reader.read { db in
            try Date.fetchOne(db, sql: #"SELECT MIN(expiresAt) FROM "order" WHERE status = 'pending'"#)
        }
    }
}
