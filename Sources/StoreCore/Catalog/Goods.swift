public import Foundation
public import GRDB

/// A catalog item, addressed by a nanoid in its public link `/goods/{id}`.
public struct Goods: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Plain text shown on the product page; line breaks are kept.
    public var description: String
    public var priceFen: Int
    /// What the buyer receives once paid: text, links, a code.
    public var delivery: String
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var deliveryMode: DeliveryMode
    /// Whether a buyer must give an email to buy (when the store sends email).
    public var emailRequired: Bool
    /// The blob of the goods' picture (a JPEG the store wrote), nil when it has none.
    public var pictureDigest: String?

    /// The list price.
    public var price: Money { Money(fen: priceFen) }
}

/// What a paid order of the goods delivers.
public enum DeliveryMode: String, Codable, Sendable, CaseIterable {
    /// The goods' delivery text, the same for every buyer.
    case text
    /// One key of the goods' stock per order (卡密), with the delivery text as its instructions.
    case cardKeys
}

extension Goods: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "goods"
}

/// What a seller enters for goods; checked before anything is written.
public struct GoodsDraft: Sendable, Equatable {
    public var name: String
    public var description: String
    public var price: Money
    public var delivery: String
    public var enabled: Bool
    public var deliveryMode: DeliveryMode
    public var emailRequired: Bool

    /// The longest name, and the longest description or delivery text, in characters.
    public static let maxNameLength = 200
    public static let maxTextLength = 20_000

    public init(
        name: String, description: String = "", price: Money, delivery: String = "", enabled: Bool = true,
        deliveryMode: DeliveryMode = .text, emailRequired: Bool = false
    ) {
        self.name = name
        self.description = description
        self.price = price
        self.delivery = delivery
        self.enabled = enabled
        self.deliveryMode = deliveryMode
        self.emailRequired = emailRequired
    }

    /// The first problem a seller must fix; nil when the draft is good.
    public var problem: InvalidGoods? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .noName }
        if trimmed.count > Self.maxNameLength { return .nameTooLong }
        if price.fen <= 0 { return .priceTooLow }
        if description.count > Self.maxTextLength || delivery.count > Self.maxTextLength { return .textTooLong }
        return nil
    }
}

/// Why a draft cannot be saved; the raw value names the seller's message in the language tables
/// (`goodsProblems.…`), and `description` is the English one, for logs and scripts.
public enum InvalidGoods: String, Error, Equatable, CaseIterable, CustomStringConvertible {
    case noName, nameTooLong, priceTooLow, textTooLong, badPrice
    /// Orders waiting for payment were made under the current delivery mode.
    case modeChangeWhilePending

    public var description: String {
        switch self {
        case .noName: "Give the goods a name."
        case .nameTooLong: "The name is longer than \(GoodsDraft.maxNameLength) characters."
        case .priceTooLow: "The price must be at least 0.01."
        case .textTooLong:
            "The description and delivery text may have at most \(GoodsDraft.maxTextLength) characters each."
        case .badPrice: "Write the price like 1.00 (at most two decimals)."
        case .modeChangeWhilePending:
            "Orders are waiting for payment: change the delivery mode once they are paid or expired."
        }
    }
}

extension AppDatabase {
    /// Adds goods with a new nanoid.
    public func createGoods(_ draft: GoodsDraft, now: Date = Date()) async throws -> Goods {
        if let problem = draft.problem { throw problem }
        let goods = Goods(
            id: Nanoid.make(), name: draft.name.trimmingCharacters(in: .whitespacesAndNewlines),
            description: draft.description, priceFen: draft.price.fen, delivery: draft.delivery,
            enabled: draft.enabled, createdAt: now, updatedAt: now, deliveryMode: draft.deliveryMode,
            emailRequired: draft.emailRequired)
        try await writer.write { db in try goods.insert(db) }
        return goods
    }

    /// Replaces the seller-editable fields of goods `id`; nil when there is no such goods.
    public func updateGoods(id: String, with draft: GoodsDraft, now: Date = Date()) async throws -> Goods? {
        if let problem = draft.problem { throw problem }
        return try await writer.write { db in
            guard var goods = try Goods.fetchOne(db, key: id) else { return nil }
            // An order waiting for payment was promised the delivery of the current mode (a key
            // reserved, or none): it keeps its promise until it is paid or released.
            if draft.deliveryMode != goods.deliveryMode,
                try Bool.fetchOne(
                    db,
                    sql: #"""
                        SELECT EXISTS (SELECT 1 FROM "order"
                            WHERE goodsId = ? AND holdsSlot AND status <> 'paid' AND slotReleaseAt > ?)
                        """#,
                    arguments: [id, DatabaseTime.text(now)]) == true
            {
                throw InvalidGoods.modeChangeWhilePending
            }
            goods.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
            goods.description = draft.description
            goods.priceFen = draft.price.fen
            goods.delivery = draft.delivery
            goods.enabled = draft.enabled
            goods.deliveryMode = draft.deliveryMode
            goods.emailRequired = draft.emailRequired
            goods.updatedAt = now
            try goods.update(db)
            return goods
        }
    }

    /// Turns goods on or off for buyers; false when there is no such goods.
    public func setGoodsEnabled(id: String, _ enabled: Bool, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE goods SET enabled = ?, updatedAt = ? WHERE id = ?", arguments: [enabled, now, id])
            return db.changesCount > 0
        }
    }

    /// The goods with this id, enabled or not.
    public func goods(id: String) async throws -> Goods? {
        guard Nanoid.isWellFormed(id) else { return nil }
        return try await reader.read { db in
            try Goods.fetchOne(db.cachedStatement(sql: "SELECT * FROM goods WHERE id = ?"), arguments: [id])
        }
    }

    /// Every goods, newest first; only the enabled ones when `enabledOnly`.
    public func goodsList(enabledOnly: Bool = false) async throws -> [Goods] {
        try await reader.read { db in
            var request = Goods.order(Column("createdAt").desc, Column("id"))
            if enabledOnly { request = request.filter(Column("enabled") == true) }
            return try request.fetchAll(db)
        }
    }

    /// Shows the picture stored under `digest` for goods `id` (nil: none); false when there is
    /// no such goods.
    public func setGoodsPicture(id: String, digest: String?, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE goods SET pictureDigest = ?, updatedAt = ? WHERE id = ?", arguments: [digest, now, id])
            return db.changesCount > 0
        }
    }

    /// Removes goods that never had an order; goods with orders are kept for the records.
    public func deleteGoods(id: String) async throws -> GoodsDeletion {
        try await writer.write { db in
            guard try Goods.exists(db, key: id) else { return .notFound }
            let orders = try Int.fetchOne(db, sql: #"SELECT COUNT(*) FROM "order" WHERE goodsId = ?"#, arguments: [id])
            guard orders == 0 else { return .hasOrders }
            try Goods.deleteOne(db, key: id)
            return .deleted
        }
    }
}

/// The outcome of deleting goods.
public enum GoodsDeletion: Sendable, Equatable {
    case deleted, notFound
    /// Orders refer to it: disable it instead.
    case hasOrders
}
