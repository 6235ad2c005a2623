public import Foundation
import GRDB

/// The seller's view of the inventory: filtered lists, switching codes on and off, coverage.
extension AppDatabase {
    /// Codes matching every filter given, newest first.
    public func payCodes(type: PayType? = nil, amount: Money? = nil, enabled: Bool? = nil) async throws -> [PayCode] {
        try await reader.read { db in
            var request = PayCode.order(Column("id").desc)
            if let type { request = request.filter(Column("type") == type.rawValue) }
            if let amount { request = request.filter(Column("amountFen") == amount.fen) }
            if let enabled { request = request.filter(Column("enabled") == enabled) }
            return try request.fetchAll(db)
        }
    }

    /// The code with this id, if any.
    public func payCode(id: Int64) async throws -> PayCode? {
        try await reader.read { db in
            try PayCode.fetchOne(db.cachedStatement(sql: "SELECT * FROM payCode WHERE id = ?"), arguments: [id])
        }
    }

    /// Turns a code on or off; false when there is no such code.
    public func setPayCodeEnabled(id: Int64, _ enabled: Bool) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE payCode SET enabled = ? WHERE id = ?", arguments: [enabled, id])
            return db.changesCount > 0
        }
    }

    /// Removes a code from the inventory, unless a pending order shows it to a buyer right now.
    /// Its stored files stay, since another code may share them; orders that used it keep their
    /// own record of the amount.
    public func deletePayCode(id: Int64) async throws -> PayCodeDeletion {
        try await writer.write { db in
            guard try PayCode.exists(db, key: id) else { return .notFound }
            let showing = Order.filter(Column("payCodeId") == id && Column("status") == Order.Status.pending.rawValue)
            guard try showing.isEmpty(db) else { return .shownToBuyer }
            try PayCode.deleteOne(db, key: id)
            return .deleted
        }
    }

    /// For list price `price`, each amount from `price` down by `maxDiscount` (never below
    /// 0.01), with how many enabled codes of each type collect it.
    public func coverage(price: Money, maxDiscount: Money) async throws -> [CoverageRow] {
        let amounts = stride(from: price.fen, through: max(1, price.fen - maxDiscount.fen), by: -1).map(
            Money.init(fen:))
        guard !amounts.isEmpty else { return [] }
        let counts = try await reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT amountFen, type, COUNT(*) AS count FROM payCode
                    WHERE enabled AND amountFen BETWEEN ? AND ?
                    GROUP BY amountFen, type
                    """,
                arguments: [amounts.last!.fen, amounts.first!.fen])
        }
        var byAmount: [Int: [PayType: Int]] = [:]
        for row in counts {
            guard let type = PayType(rawValue: row["type"]) else { continue }
            byAmount[row["amountFen"], default: [:]][type] = row["count"]
        }
        return amounts.map { amount in
            CoverageRow(
                amount: amount, wechat: byAmount[amount.fen]?[.wechat] ?? 0,
                alipay: byAmount[amount.fen]?[.alipay] ?? 0)
        }
    }
}

/// One amount of a coverage grid: how many enabled codes collect it, per type.
public struct CoverageRow: Sendable, Equatable, Codable {
    public var amount: Money
    public var wechat: Int
    public var alipay: Int

    public init(amount: Money, wechat: Int, alipay: Int) {
        self.amount = amount
        self.wechat = wechat
        self.alipay = alipay
    }

    /// The count for one type.
    public func count(_ type: PayType) -> Int { type == .wechat ? wechat : alipay }
}

/// The outcome of deleting a pay code.
public enum PayCodeDeletion: Sendable, Equatable {
    case deleted, notFound
    /// A pending order's pay page shows it: disable it instead, or wait for the order to end.
    case shownToBuyer
}
