public import Foundation
import GRDB

/// Why a forwarded notification cannot be turned into a payment.
public enum ListenerNotificationError: Error, Equatable {
    /// No such notification, or it was already turned into a payment or put aside.
    case notOpen
}

extension AppDatabase {
    /// Stores an unread notification with its replay key (the request's content hash), as a
    /// sign of life of its channel; false when that key was already received (nothing stored).
    public func recordListenerNotification(
        _ notification: ListenerNotification, replayKey: String, replayMemory: TimeInterval
    ) async throws -> Bool {
        try await writer.write { db in
            let now = notification.receivedAt
            try db.execute(
                sql: "DELETE FROM listenerNonce WHERE seenAt < ?", arguments: [now.addingTimeInterval(-replayMemory)])
            try db.execute(
                sql: "INSERT OR IGNORE INTO listenerNonce (key, seenAt) VALUES (?, ?)",
                arguments: ["\(notification.channelId)|\(replayKey)", now])
            guard db.changesCount == 1 else { return false }
            var stored = notification
            try stored.insert(db)
            try db.execute(
                sql: "UPDATE channel SET lastSeenAt = ? WHERE id = ?", arguments: [now, notification.channelId])
            return true
        }
    }

    /// Forwarded notifications, open ones first, then newest first.
    public func listenerNotifications(limit: Int = 200) async throws -> [ListenerNotification] {
        try await reader.read { db in
            try ListenerNotification
                .order(SQL("paymentId IS NULL AND dismissedAt IS NULL DESC").sqlExpression, Column("receivedAt").desc)
                .limit(limit).fetchAll(db)
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
