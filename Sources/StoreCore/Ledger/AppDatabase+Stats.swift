public import Foundation
import GRDB

/// Figures for the seller's dashboard.
public struct OrderStats: Sendable, Equatable, Codable {
    public var orders: Int
    public var paidOrders: Int
    public var income: Money
}

extension AppDatabase {
    /// Orders created since `start`, how many of them are paid, and what they brought in.
    public func orderStats(since start: Date) async throws -> OrderStats {
        try await reader.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS orders, COALESCE(SUM(status = 'paid'), 0) AS paid,
                           COALESCE(SUM(CASE WHEN status = 'paid' THEN amountFen ELSE 0 END), 0) AS income
                    FROM "order" WHERE createdAt >= ?
                    """, arguments: [start])!
            return OrderStats(orders: row["orders"], paidOrders: row["paid"], income: Money(fen: row["income"]))
        }
    }

    /// How many orders wait for payment at `now`.
    public func pendingOrderCount(now: Date) async throws -> Int {
        try await reader.read { db in
            try Order.filter(Column("status") == Order.Status.pending.rawValue && Column("expiresAt") > now)
                .fetchCount(db)
        }
    }
}
