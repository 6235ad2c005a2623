public import Foundation
import GRDB

/// The listener's last sign of life.
extension AppDatabase {
    /// Records a heartbeat or push.
    public func recordListenerSeen(now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('listener.lastSeenAt', ?)",
                arguments: [String(now.timeIntervalSince1970)])
        }
    }

    /// When the listener was last heard from, if ever.
    public func listenerLastSeen() async throws -> Date? {
        try await reader.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'listener.lastSeenAt'")
                .flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
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
