public import Foundation
import GRDB

/// Login sessions as opaque values under random keys, so they survive a restart.
extension AppDatabase {
    /// The value under `key`, unless it has expired.
    public func sessionValue(key: String, now: Date = Date()) async throws -> (value: Data, expiresAt: Date?)? {
        try await reader.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT value, expiresAt FROM session WHERE key = ? AND (expiresAt IS NULL OR expiresAt > ?)",
                    arguments: [key, now])
            else { return nil }
            return (row["value"], row["expiresAt"])
        }
    }

    /// Stores `value` under `key`; `onlyIfNew` refuses to replace an existing live value.
    /// Returns false when `onlyIfNew` and the key is taken.
    @discardableResult
    public func setSessionValue(
        key: String, value: Data, expiresAt: Date?, onlyIfNew: Bool = false, now: Date = Date()
    ) async throws -> Bool {
        try await writer.write { db in
            // Expired sessions go on every write, so the table stays small.
            try db.execute(sql: "DELETE FROM session WHERE expiresAt <= ?", arguments: [now])
            if onlyIfNew, try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE key = ?", arguments: [key]) != nil {
                return false
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO session (key, value, expiresAt) VALUES (?, ?, ?)",
                arguments: [key, value, expiresAt])
            return true
        }
    }

    /// Forgets the value under `key`.
    public func removeSessionValue(key: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM session WHERE key = ?", arguments: [key]) }
    }
}
