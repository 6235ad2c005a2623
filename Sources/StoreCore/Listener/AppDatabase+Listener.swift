public import Foundation
import GRDB

/// The listener's last sign of life, and the protocol-B requests already seen.
extension AppDatabase {
    /// Records a heartbeat or push.
    public func recordListenerSeen(now: Date = Date()) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('listener.lastSeenAt', ?)",
                arguments: [String(now.timeIntervalSince1970)])
        }
    }

    /// When the listener was last heard from, if ever.
    public func listenerLastSeen() throws -> Date? {
        try reader.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'listener.lastSeenAt'")
                .flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Remembers `key`; false when it was already seen (a replay). Keys older than `forgetBefore`
    /// are dropped, since the clock check refuses them anyway.
    public func rememberListenerNonce(_ key: String, now: Date = Date(), forgetBefore: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM listenerNonce WHERE seenAt < ?", arguments: [forgetBefore])
            try db.execute(
                sql: "INSERT OR IGNORE INTO listenerNonce (key, seenAt) VALUES (?, ?)", arguments: [key, now])
            return db.changesCount == 1
        }
    }

    /// Replaces the stored listener secret (the seller's "regenerate").
    public func regenerateListenerSecret() throws -> String {
        let secret = Self.newListenerSecret()
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('listener.secret', ?)", arguments: [secret])
        }
        return secret
    }
}
