public import Foundation
public import GRDB

/// One "money arrived" report from a listener, or a seller's manual entry; kept as received.
public struct Payment: Codable, Sendable, Equatable, Identifiable {
    public enum Source: String, Codable, Sendable {
        /// Protocol A, `/addons/pay/api/notify`.
        case notify
        /// Protocol B, `/appPush`.
        case appPush
        /// Protocol C, `/listener/smsforwarder/{channel}`: a forwarded notification read by the
        /// store (or by the seller, for one the store could not read).
        case smsForwarder
        case manual
    }

    public enum Outcome: String, Codable, Sendable {
        /// Stored, not matched: matching failed after the payment was safely stored.
        case received
        /// Paid a pending order.
        case matched
        /// Paid an order after its lifetime, inside the grace window.
        case late
        case unmatched
        /// The same type and amount as a payment matched moments before.
        case duplicate
        /// Attached to an order by the seller.
        case attached
    }

    public var id: Int64?
    /// The channel whose listener reported it; nil for the seller's own entries.
    public var channelId: Int64?
    public var type: PayType
    public var amountFen: Int
    /// The amount exactly as the listener sent it.
    public var rawAmount: String
    public var source: Source
    public var rawRequest: String
    public var remoteAddress: String?
    public var receivedAt: Date
    public var outcome: Outcome
    public var orderId: String?
    /// Attached by the seller to an order of another type or amount.
    public var flagged: Bool = false

    public var amount: Money { Money(fen: amountFen) }
    /// Waiting for the seller: no order took it.
    public var isUnmatched: Bool { outcome == .unmatched || outcome == .received }
}

extension Payment: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "payment"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AppDatabase {
    /// Payments, unmatched first, then newest first; only unmatched ones when `unmatchedOnly`.
    public func payments(unmatchedOnly: Bool = false, limit: Int = 500) async throws -> [Payment] {
        try await reader.read { db in
            var request = Payment.order(
                SQL("outcome IN ('unmatched', 'received') DESC").sqlExpression, Column("receivedAt").desc,
                Column("id").desc)
            if unmatchedOnly { request = request.filter(["unmatched", "received"].contains(Column("outcome"))) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// The payment with this id, if any.
    public func payment(id: Int64) async throws -> Payment? {
        try await reader.read { db in try Payment.fetchOne(db, key: id) }
    }
}

extension AppDatabase {
    /// When a listener last reported money, on any channel.
    public func lastListenerPaymentAt() async throws -> Date? {
        try await reader.read { db in
            try Date.fetchOne(db, sql: "SELECT MAX(receivedAt) FROM payment WHERE source <> 'manual'")
        }
    }
}
