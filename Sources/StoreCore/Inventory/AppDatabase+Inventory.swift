public import Foundation
import GRDB

/// The seller's view of the inventory: filtered lists, switching codes on and off, coverage.
extension AppDatabase {
    /// Codes matching every filter given, newest first; `generic` keeps only generic codes (or
    /// only fixed ones when false).
    public func payCodes(
        channelId: Int64? = nil, type: PayType? = nil, amount: Money? = nil, enabled: Bool? = nil, generic: Bool? = nil
    ) async throws -> [PayCode] {
        try await reader.read { db in
            var request = PayCode.order(Column("id").desc)
            if let channelId { request = request.filter(Column("channelId") == channelId) }
            if let generic {
                request = request.filter(generic ? Column("amountFen") == nil : Column("amountFen") != nil)
            }
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
    /// 0.01), with how many enabled fixed codes of each type collect it, and how many generic
    /// codes serve it (every amount but the list price), in channel `channelId` or every enabled
    /// channel.
    public func coverage(price: Money, maxDiscount: Money, channelId: Int64? = nil) async throws -> [CoverageRow] {
        let amounts = stride(from: price.fen, through: max(1, price.fen - maxDiscount.fen), by: -1).map(
            Money.init(fen:))
        guard !amounts.isEmpty else { return [] }
        let channel = channelId.map { "p.channelId = \($0)" } ?? "c.enabled"
        let counts = try await reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.amountFen, p.type, COUNT(*) AS count FROM payCode p JOIN channel c ON c.id = p.channelId
                    WHERE p.enabled AND \(channel) AND (p.amountFen BETWEEN ? AND ? OR p.amountFen IS NULL)
                    GROUP BY p.amountFen, p.type
                    """,
                arguments: [amounts.last!.fen, amounts.first!.fen])
        }
        var byAmount: [Int: [PayType: Int]] = [:]
        var generic: [PayType: Int] = [:]
        for row in counts {
            guard let type = PayType(rawValue: row["type"]) else { continue }
            if let amount: Int = row["amountFen"] {
                byAmount[amount, default: [:]][type] = row["count"]
            } else {
                generic[type] = row["count"]
            }
        }
        return amounts.map { amount in
            let generics = amount == price ? [:] : generic
            return CoverageRow(
                amount: amount, wechat: byAmount[amount.fen]?[.wechat] ?? 0,
                alipay: byAmount[amount.fen]?[.alipay] ?? 0, genericWechat: generics[.wechat] ?? 0,
                genericAlipay: generics[.alipay] ?? 0)
        }
    }
}

/// One amount of a coverage grid: how many enabled fixed codes collect it, and how many
/// generic codes serve it, per type.
public struct CoverageRow: Sendable, Equatable, Codable {
    public var amount: Money
    public var wechat: Int
    public var alipay: Int
    public var genericWechat: Int
    public var genericAlipay: Int

    public init(amount: Money, wechat: Int, alipay: Int, genericWechat: Int = 0, genericAlipay: Int = 0) {
        self.amount = amount
        self.wechat = wechat
        self.alipay = alipay
        self.genericWechat = genericWechat
        self.genericAlipay = genericAlipay
    }

    /// The fixed codes of one type.
    public func count(_ type: PayType) -> Int { type == .wechat ? wechat : alipay }

}

/// The outcome of deleting a pay code.
public enum PayCodeDeletion: Sendable, Equatable {
    case deleted, notFound
    /// A pending order's pay page shows it: disable it instead, or wait for the order to end.
    case shownToBuyer
}
