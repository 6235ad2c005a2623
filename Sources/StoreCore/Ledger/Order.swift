public import Foundation
public import GRDB

/// One purchase attempt. It holds its (type, amount) slot while pending, and after it ends for
/// a while longer (the late grace after expiry or close, the duplicate window after payment),
/// so that no payment meant for it can ever land on another order.
public struct Order: Codable, Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable {
        case pending, paid, expired, closed
    }

    public var id: String
    public var goodsId: String?
    /// The channel whose slot it holds, and whose listener reports its payment.
    public var channelId: Int64
    public var type: PayType
    public var priceFen: Int
    public var amountFen: Int
    public var payCodeId: Int64?
    /// Shown a generic code: the buyer types the amount.
    public var generic: Bool
    /// As stored; `status(at:)` is what a reader should show.
    public var status: Status
    public var holdsSlot: Bool
    public var slotReleaseAt: Date
    /// The buyer's cookie: only this buyer is handed the order again.
    public var buyerToken: String?
    /// The buyer's network (`AddressKey`), for the per-address limits.
    public var buyerAddress: String?
    public var buyerEmail: String?
    /// The language the buyer read the store in (`zh-CN`, `en`), for the emails about the order.
    public var language: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var paidAt: Date?
    public var paidLate: Bool
    public var closedAt: Date?
    /// Paid by the seller with a payment of another type or amount.
    public var flagged: Bool

    public var price: Money { Money(fen: priceFen) }
    public var amount: Money { Money(fen: amountFen) }
    /// How much below the list price the buyer pays, to make the amount unique.
    public var discount: Money { Money(fen: priceFen - amountFen) }

    /// The status at `now`: a pending order past its lifetime is expired, even before the expiry
    /// service has written it.
    public func status(at now: Date) -> Status {
        status == .pending && expiresAt <= now ? .expired : status
    }
}

extension Order: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "order"
}

extension AppDatabase {
    /// The order with this id, if any.
    public func order(id: String) async throws -> Order? {
        guard Nanoid.isWellFormed(id) else { return nil }
        return try await reader.read { db in
            try Order.fetchOne(db.cachedStatement(sql: #"SELECT * FROM "order" WHERE id = ?"#), arguments: [id])
        }
    }

    /// Orders with this status at `now` (every order when nil), newest first.
    public func orders(status: Order.Status? = nil, now: Date, limit: Int = 500) async throws -> [Order] {
        try await reader.read { db in
            var request = Order.order(Column("createdAt").desc).limit(limit)
            switch status {
            case nil: break
            case .pending: request = request.filter(Column("status") == "pending" && Column("expiresAt") > now)
            case .expired:
                request = request.filter(
                    Column("status") == "expired" || (Column("status") == "pending" && Column("expiresAt") <= now))
            case .paid, .closed: request = request.filter(Column("status") == status!.rawValue)
            }
            return try request.fetchAll(db)
        }
    }

    /// The paid orders of `email`, newest first, for a lookup email.
    public func paidOrders(email: String, limit: Int = 50) async throws -> [Order] {
        try await reader.read { db in
            try Order.filter(Column("buyerEmail") == email && Column("status") == "paid")
                .order(Column("paidAt").desc).limit(limit).fetchAll(db)
        }
    }
}
