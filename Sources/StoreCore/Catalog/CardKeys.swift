public import Foundation
public import GRDB

/// One secret of a goods' stock (卡密): a licence key, a gift code, an account.
public struct CardKey: Codable, Sendable, Equatable, Identifiable {
    /// The longest key, in characters (the table checks it too).
    public static let maxLength = 2000

    public var id: Int64?
    public var goodsId: String
    public var secret: String
    /// The order it is reserved for or sold to.
    public var orderId: String?
    public var soldAt: Date?
    public var createdAt: Date

    /// The order it was sold to; a reservation is not shown (it may still go back to the stock).
    public var soldTo: String? { soldAt == nil ? nil : orderId }
}

extension CardKey: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cardKey"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// What adding keys did.
public struct CardKeyAddition: Sendable, Equatable, Codable {
    public var added: Int
    /// Lines already in the stock of these goods, or twice in the batch.
    public var duplicates: Int
    /// Lines longer than `CardKey.maxLength`, not added.
    public var tooLong: Int
    /// Keys a buyer can get now.
    public var available: Int
}

/// A goods' stock at a moment.
public struct CardKeyStock: Sendable, Equatable {
    /// Keys no live order holds.
    public var available: Int
    /// Keys held by unpaid orders that still hold their slot.
    public var reserved: Int
    public var sold: Int
}

/// The SQL that decides which keys are free: no order, or an unpaid order whose slot has been
/// released (its key goes back to the stock with the slot, before any sweep has run).
enum CardKeySQL {
    static let free = """
        SELECT k.id FROM cardKey k LEFT JOIN "order" o ON o.id = k.orderId
        WHERE k.goodsId = ? AND (k.orderId IS NULL OR (k.soldAt IS NULL AND o.status <> 'paid' AND o.slotReleaseAt <= ?))
        """
    static let reservedUntil = """
        SELECT MIN(o.slotReleaseAt) FROM cardKey k JOIN "order" o ON o.id = k.orderId
        WHERE k.goodsId = ? AND k.soldAt IS NULL AND o.status <> 'paid' AND o.slotReleaseAt > ?
        """
}

extension AppDatabase {
    /// Adds one key per non-empty line of `lines` (trimmed) to the goods' stock; duplicates are skipped.
    public func addCardKeys(goodsId: String, lines: [String], now: Date) async throws -> CardKeyAddition? {
        let secrets = lines.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return try await writer.write { db in
            guard try Goods.exists(db, key: goodsId) else { return nil }
            var added = 0
            let fitting = secrets.filter { $0.count <= CardKey.maxLength }
            for secret in fitting {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO cardKey (goodsId, secret, createdAt) VALUES (?, ?, ?)",
                    arguments: [goodsId, secret, now])
                added += db.changesCount
            }
            let available = try Self.cardKeyStock(db, goodsId: goodsId, now: now).available
            return CardKeyAddition(
                added: added, duplicates: fitting.count - added, tooLong: secrets.count - fitting.count,
                available: available)
        }
    }

    /// The keys of the goods: available ones (`sold == false`) or sold ones, newest first.
    public func cardKeys(goodsId: String, sold: Bool, now: Date) async throws -> [CardKey] {
        try await reader.read { db in
            let sql =
                sold
                ? "SELECT * FROM cardKey WHERE goodsId = ? AND soldAt IS NOT NULL ORDER BY soldAt DESC"
                : "SELECT * FROM cardKey WHERE id IN (\(CardKeySQL.free)) ORDER BY id DESC"
            return try CardKey.fetchAll(db, sql: sql, arguments: sold ? [goodsId] : [goodsId, now])
        }
    }

    /// The stock of the goods at `now`.
    public func cardKeyStock(goodsId: String, now: Date) async throws -> CardKeyStock {
        try await reader.read { db in try Self.cardKeyStock(db, goodsId: goodsId, now: now) }
    }

    /// Removes an unsold key that no live order holds; false when there is none such.
    public func deleteCardKey(id: Int64, goodsId: String, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "DELETE FROM cardKey WHERE id = ? AND id IN (\(CardKeySQL.free))", arguments: [id, goodsId, now])
            return db.changesCount == 1
        }
    }

    /// The key a paid order delivers, if it has one.
    public func cardKey(orderId: String) async throws -> CardKey? {
        try await reader.read { db in
            try CardKey.fetchOne(
                db, sql: "SELECT * FROM cardKey WHERE orderId = ? AND soldAt IS NOT NULL", arguments: [orderId])
        }
    }

    static func cardKeyStock(_ db: Database, goodsId: String, now: Date) throws -> CardKeyStock {
        let available =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(CardKeySQL.free))", arguments: [goodsId, now]) ?? 0
        let sold =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM cardKey WHERE goodsId = ? AND soldAt IS NOT NULL", arguments: [goodsId])
            ?? 0
        let total =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cardKey WHERE goodsId = ?", arguments: [goodsId]) ?? 0
        return CardKeyStock(available: available, reserved: total - available - sold, sold: sold)
    }

    /// Reserves a free key of the goods for `orderId`; false when none is free.
    static func reserveCardKey(
        _ db: Database, goodsId: String, orderId: String, now: some DatabaseValueConvertible
    ) throws -> Bool {
        guard
            let key = try Int64.fetchOne(
                db.cachedStatement(sql: CardKeySQL.free + " ORDER BY k.id LIMIT 1"), arguments: [goodsId, now])
        else { return false }
        try db.cachedStatement(sql: "UPDATE cardKey SET orderId = ? WHERE id = ?").execute(arguments: [orderId, key])
        return true
    }
}
