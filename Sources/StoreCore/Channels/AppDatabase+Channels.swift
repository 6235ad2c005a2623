public import Foundation
import GRDB

extension AppDatabase {
    /// Every channel, by id.
    public func channels() async throws -> [Channel] {
        try await reader.read { db in try Channel.order(Column("id")).fetchAll(db) }
    }

    /// The channel with this id, if any.
    public func channel(id: Int64) async throws -> Channel? {
        try await reader.read { db in try Channel.fetchOne(db, key: id) }
    }

    /// Every channel with its enabled codes per type, fixed and generic apart.
    public func channelSummaries() async throws -> [ChannelSummary] {
        try await reader.read { db in
            let channels = try Channel.order(Column("id")).fetchAll(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT channelId, type, amountFen IS NULL AS generic, COUNT(*) AS count FROM payCode
                    WHERE enabled GROUP BY channelId, type, amountFen IS NULL
                    """)
            return channels.map { channel in
                var summary = ChannelSummary(channel: channel, fixedCodes: [:], genericCodes: [:])
                for row in rows where row["channelId"] == channel.id {
                    guard let type = PayType(rawValue: row["type"]) else { continue }
                    if row["generic"] as Bool {
                        summary.genericCodes[type] = row["count"]
                    } else {
                        summary.fixedCodes[type] = row["count"]
                    }
                }
                return summary
            }
        }
    }

    /// Adds a channel with `secret`, or 32 new random characters.
    public func createChannel(name: String, secret: String? = nil, now: Date) async throws -> Channel {
        let name = try Self.checkedChannelName(name)
        let secret = try secret.map(Self.checkedSecret) ?? Self.newListenerSecret()
        return try await writer.write { db in
            guard try Channel.filter(Column("secret") == secret).isEmpty(db) else { throw ChannelError.secretTaken }
            var channel = Channel(name: name, enabled: true, secret: secret, lastSeenAt: nil, createdAt: now)
            try channel.insert(db)
            return channel
        }
    }

    /// Renames and/or turns a channel on or off.
    public func updateChannel(id: Int64, name: String? = nil, enabled: Bool? = nil) async throws -> Channel {
        let name = try name.map(Self.checkedChannelName)
        return try await writer.write { db in
            guard var channel = try Channel.fetchOne(db, key: id) else { throw ChannelError.notFound }
            if let name { channel.name = name }
            if let enabled { channel.enabled = enabled }
            try channel.update(db)
            return channel
        }
    }

    /// Gives the channel a new secret: `secret`, or 32 new random characters.
    public func replaceChannelSecret(id: Int64, with secret: String? = nil) async throws -> String {
        let secret = try secret.map(Self.checkedSecret) ?? Self.newListenerSecret()
        return try await writer.write { db in
            guard try Channel.exists(db, key: id) else { throw ChannelError.notFound }
            guard try Channel.filter(Column("secret") == secret && Column("id") != id).isEmpty(db) else {
                throw ChannelError.secretTaken
            }
            try db.execute(sql: "UPDATE channel SET secret = ? WHERE id = ?", arguments: [secret, id])
            return secret
        }
    }

    /// Removes a channel that has no codes and whose orders hold no slot; never channel 1.
    public func deleteChannel(id: Int64, now: Date) async throws {
        guard id != 1 else { throw ChannelError.first }
        try await writer.write { db in
            guard try Channel.exists(db, key: id) else { throw ChannelError.notFound }
            let codes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payCode WHERE channelId = ?", arguments: [id])
            let holding = try Int.fetchOne(
                db, sql: #"SELECT COUNT(*) FROM "order" WHERE channelId = ? AND holdsSlot AND slotReleaseAt > ?"#,
                arguments: [id, DatabaseTime.text(now)])
            guard codes == 0, holding == 0 else { throw ChannelError.inUse }
            _ = try Channel.deleteOne(db, key: id)
        }
    }

    /// Records a sign of life from channel `id`'s listener.
    public func recordChannelSeen(id: Int64, now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE channel SET lastSeenAt = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Makes channel 1's secret `configured` (`listener.secret`), which then always wins over the
    /// stored one. Returns channel 1's secret, and whether it is the generated one, not shown yet
    /// (so that the first start prints it once).
    public func firstChannelSecret(configured: String?) async throws -> (secret: String, new: Bool) {
        try await writer.write { db in
            let shown =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM setting WHERE key = 'listener.secretShown')") ?? false
            try db.execute(sql: "INSERT OR IGNORE INTO setting (key, value) VALUES ('listener.secretShown', '1')")
            if let configured, !configured.isEmpty {
                guard try Channel.filter(Column("secret") == configured && Column("id") != 1).isEmpty(db) else {
                    throw ChannelError.secretTaken
                }
                try db.execute(sql: "UPDATE channel SET secret = ? WHERE id = 1", arguments: [configured])
                return (configured, false)
            }
            guard let secret = try String.fetchOne(db, sql: "SELECT secret FROM channel WHERE id = 1") else {
                throw ChannelError.notFound
            }
            return (secret, !shown)
        }
    }

    private static func checkedChannelName(_ name: String) throws -> String {
        guard let name = trimmedName(name, max: Channel.maxNameLength) else { throw ChannelError.badName }
        return name
    }

    private static func checkedSecret(_ secret: String) throws -> String {
        // The V免签 app's config text is `host/secret`: no slash either.
        guard let secret = trimmedSecret(secret, minimum: Channel.minimumSecretLength, forbidden: ["/"]) else {
            throw ChannelError.secretTooShort
        }
        return secret
    }
}
