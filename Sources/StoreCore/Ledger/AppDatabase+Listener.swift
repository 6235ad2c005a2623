public import Foundation
import GRDB

/// The listener's last sign of life.
extension AppDatabase {
    /// Records a heartbeat or a configuration call (a push is a payment row, which counts by itself).
    public func recordListenerSeen(now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('listener.lastSeenAt', ?)",
                arguments: [String(now.timeIntervalSince1970)])
        }
    }

    /// When the listener was last heard from, if ever: its last heartbeat or its last push.
    public func listenerLastSeen() async throws -> Date? {
        try await reader.read { db in
            let heartbeat = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'listener.lastSeenAt'")
                .flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
            let push = try Date.fetchOne(db, sql: "SELECT MAX(receivedAt) FROM payment WHERE source <> 'manual'")
            return [heartbeat, push].compactMap { $0 }.max()
        }
    }

    /// Replaces the stored listener secret (the seller's "regenerate").
    public func regenerateListenerSecret() async throws -> String {
        let secret = Self.newListenerSecret()
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('listener.secret', ?)", arguments: [secret])
        }
        return secret
    }
}
