public import Foundation
import GRDB

/// Why a forwarded notification cannot be turned into a payment.
public enum ListenerNotificationError: Error, Equatable {
    /// No such notification, or it was already turned into a payment or put aside.
    case notOpen
}

extension AppDatabase {
    /// Stores an unread notification with its replay key (the request's content hash) and uses
    /// up `alsoSeen` (its timestamp), as a sign of life of its channel; false when the replay key
    /// was already received (nothing stored).
    public func recordListenerNotification(
        _ notification: ListenerNotification, replayKey: String, alsoSeen: [String] = [], replayMemory: TimeInterval
    ) async throws -> Bool {
        try await writer.write { db in
            let now = notification.receivedAt
            try Self.forgetOldNonces(db, now: now, replayMemory: replayMemory)
            guard try Self.useNonce(db, "\(notification.channelId)|\(replayKey)", now: now) else { return false }
            for other in alsoSeen { _ = try Self.useNonce(db, "\(notification.channelId)|\(other)", now: now) }
            var stored = notification
            try stored.insert(db)
            try db.execute(
                sql: "UPDATE channel SET lastSeenAt = ? WHERE id = ?", arguments: [now, notification.channelId])
            return true
        }
    }

    /// A listener's heartbeat that uses up `key` (its signed timestamp), so that the sign cannot
    /// be reused for a payment.
    public func recordListenerHeartbeat(
        channelId: Int64, key: String, now: Date, replayMemory: TimeInterval
    ) async throws {
        try await writer.write { db in
            try Self.forgetOldNonces(db, now: now, replayMemory: replayMemory)
            _ = try Self.useNonce(db, "\(channelId)|\(key)", now: now)
            try db.execute(sql: "UPDATE channel SET lastSeenAt = ? WHERE id = ?", arguments: [now, channelId])
        }
    }

    /// Records an amount the seller read from open notification `id` as a payment of its channel,
    /// linked to it in the same transaction (so once only). It is left unmatched: the money may
    /// be an earlier buyer's, so the seller attaches it to the order it belongs to.
    public func recordSellerReadPayment(
        notificationId id: Int64, type: PayType, amount: Money, rawAmount: String, now: Date
    ) async throws -> Payment {
        try await writer.write { db in
            guard let notification = try ListenerNotification.fetchOne(db, key: id), notification.isOpen else {
                throw ListenerNotificationError.notOpen
            }
            var payment = Payment(
                channelId: notification.channelId, type: type, amountFen: amount.fen, rawAmount: rawAmount,
                source: .manual,
                rawRequest:
                    "read by the seller from notification #\(id): \(notification.title) \(notification.content)",
                remoteAddress: nil, receivedAt: now, outcome: .unmatched)
            try payment.insert(db)
            try db.execute(
                sql: "UPDATE listenerNotification SET paymentId = ? WHERE id = ?", arguments: [payment.id, id])
            return payment
        }
    }

    private static func forgetOldNonces(_ db: Database, now: Date, replayMemory: TimeInterval) throws {
        try db.execute(
            sql: "DELETE FROM listenerNonce WHERE seenAt < ?", arguments: [now.addingTimeInterval(-replayMemory)])
    }

    /// Whether `key` was new, and is now used up.
    private static func useNonce(_ db: Database, _ key: String, now: Date) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO listenerNonce (key, seenAt) VALUES (?, ?)", arguments: [key, now])
        return db.changesCount == 1
    }

    /// Forwarded notifications, open ones first, then newest first.
    public func listenerNotifications(limit: Int = 200) async throws -> [ListenerNotification] {
        try await reader.read { db in
            try ListenerNotification
                .order(SQL("paymentId IS NULL AND dismissedAt IS NULL DESC").sqlExpression, Column("receivedAt").desc)
                .limit(limit).fetchAll(db)
        }
    }

    /// How many forwarded notifications wait for the seller.
    public func openListenerNotificationCount() async throws -> Int {
        try await reader.read { db in
            try ListenerNotification.filter(Column("paymentId") == nil && Column("dismissedAt") == nil).fetchCount(db)
        }
    }

    /// The notification with this id, if any.
    public func listenerNotification(id: Int64) async throws -> ListenerNotification? {
        try await reader.read { db in try ListenerNotification.fetchOne(db, key: id) }
    }

    /// Puts an open notification aside: it was not a payment.
    public func dismissListenerNotification(id: Int64, now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql:
                    "UPDATE listenerNotification SET dismissedAt = ? WHERE id = ? AND paymentId IS NULL AND dismissedAt IS NULL",
                arguments: [now, id])
            guard db.changesCount == 1 else { throw ListenerNotificationError.notOpen }
        }
    }
}
