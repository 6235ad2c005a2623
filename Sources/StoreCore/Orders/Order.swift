public import Foundation
public import GRDB

/// One purchase attempt: it holds a (type, amount) slot until paid, closed, or expired past the
/// late-payment grace.
public struct Order: Codable, Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable {
        case pending, paid, expired, closed
    }

    public var id: String
    public var goodsId: String?
    public var type: PayType
    public var priceFen: Int
    public var amountFen: Int
    public var payCodeId: Int64?
    public var status: Status
    public var holdsSlot: Bool
    public var slotReleaseAt: Date
    public var buyerAddress: String?
    public var buyerEmail: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var paidAt: Date?
    public var paidLate: Bool
    public var closedAt: Date?

    public var price: Money { Money(fen: priceFen) }
    public var amount: Money { Money(fen: amountFen) }
    /// How much below the list price the buyer pays, to make the amount unique.
    public var discount: Money { Money(fen: priceFen - amountFen) }
}

extension Order: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "order"
}

extension AppDatabase {
    /// The order with this id, if any.
    public func order(id: String) throws -> Order? {
        guard Nanoid.isWellFormed(id) else { return nil }
        return try reader.read { db in try Order.fetchOne(db, key: id) }
    }

    /// Orders with this status (every order when nil), newest first.
    public func orders(status: Order.Status? = nil, limit: Int = 500) throws -> [Order] {
        try reader.read { db in
            var request = Order.order(Column("createdAt").desc).limit(limit)
            if let status { request = request.filter(Column("status") == status.rawValue) }
            return try request.fetchAll(db)
        }
    }
}
