import GRDB

extension AppDatabase {
    /// 32 random characters from the nanoid alphabet (192 bits).
    static func newListenerSecret() -> String { Nanoid.make() + Nanoid.make().prefix(11) }

    /// The listener secret: `configured` when the configuration sets one, else the one stored in
    /// the database, else a new one of 32 random characters, stored for the next start.
    /// `created` tells whether this call made it, so that it is printed once.
    public func listenerSecret(configured: String?) async throws -> (secret: String, created: Bool) {
        if let configured, !configured.isEmpty { return (configured, false) }
        return try await writer.write { db in
            if let stored = try String.fetchOne(
                db, sql: "SELECT value FROM setting WHERE key = 'listener.secret'")
            {
                return (stored, false)
            }
            let secret = Self.newListenerSecret()
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES ('listener.secret', ?)",
                arguments: [secret])
            return (secret, true)
        }
    }
}
