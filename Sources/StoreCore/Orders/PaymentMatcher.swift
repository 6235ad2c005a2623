public import Foundation
import GRDB

/// A verified listener report: which wallet, how much, and the request as received.
public struct ListenerPush: Sendable {
    public var type: PayType
    public var amount: Money
    public var rawAmount: String
    public var source: Payment.Source
    public var rawRequest: String
    public var remoteAddress: String?

    public init(
        type: PayType, amount: Money, rawAmount: String, source: Payment.Source, rawRequest: String,
        remoteAddress: String?
    ) {
        self.type = type
        self.amount = amount
        self.rawAmount = rawAmount
        self.source = source
        self.rawRequest = rawRequest
        self.remoteAddress = remoteAddress
    }
}

/// Matches received money to the one order holding its (type, amount) slot.
public struct PaymentMatcher: Sendable {
    let database: AppDatabase
    /// A second push of a matched type and amount within this many seconds is a duplicate.
    let duplicateWindow: TimeInterval

    public init(database: AppDatabase, duplicateWindow: TimeInterval = 120) {
        self.database = database
        self.duplicateWindow = duplicateWindow
    }

    /// Stores the push first, in its own transaction, then matches it: the pending order holding
    /// the slot; else, if the same amount was just matched, a duplicate; else an order inside its
    /// late grace; else unmatched. A push marks at most one order, and an order is paid once.
    public func record(_ push: ListenerPush, now: Date = Date()) throws -> Payment {
        var payment = Payment(
            type: push.type, amountFen: push.amount.fen, rawAmount: push.rawAmount, source: push.source,
            rawRequest: push.rawRequest, remoteAddress: push.remoteAddress, receivedAt: now, outcome: .received)
        try database.writer.write { db in try payment.insert(db) }
        return try database.writer.write { db in
            try OrderSweeper.sweep(db, now: now)
            let holder = try Order.filter(
                Column("holdsSlot") == true && Column("type") == push.type.rawValue
                    && Column("amountFen") == push.amount.fen
            ).fetchOne(db)
            if let holder, holder.status == .pending,
                try Self.markPaid(db, orderId: holder.id, from: .pending, late: false, now: now)
            {
                payment.outcome = .matched
                payment.orderId = holder.id
            } else if let previous = try Payment.filter(
                Column("type") == push.type.rawValue && Column("amountFen") == push.amount.fen
                    && ["matched", "late"].contains(Column("outcome"))
                    && Column("receivedAt") >= now.addingTimeInterval(-duplicateWindow)
                    && Column("id") != payment.id
            ).order(Column("receivedAt").desc).fetchOne(db) {
                payment.outcome = .duplicate
                payment.orderId = previous.orderId
            } else if let holder, holder.status == .expired,
                try Self.markPaid(db, orderId: holder.id, from: .expired, late: true, now: now)
            {
                payment.outcome = .late
                payment.orderId = holder.id
            } else {
                payment.outcome = .unmatched
            }
            try payment.update(db)
            return payment
        }
    }

    /// `from → paid` once: false when the order was not in state `from` any more.
    static func markPaid(_ db: Database, orderId: String, from: Order.Status, late: Bool, now: Date) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE "order" SET status = 'paid', paidAt = ?, paidLate = ?, holdsSlot = 0
                WHERE id = ? AND status = ?
                """,
            arguments: [now, late, orderId, from.rawValue])
        return db.changesCount == 1
    }
}

/// What a seller may do to an order by hand.
public enum OrderChangeError: Error, Equatable, CustomStringConvertible {
    case notFound
    case alreadySettled(Order.Status)
    case paymentNotAvailable

    public var description: String {
        switch self {
        case .notFound: "There is no such order."
        case .alreadySettled(let status): "The order is already \(status.rawValue)."
        case .paymentNotAvailable: "That payment is already attached to an order, or does not exist."
        }
    }
}

extension AppDatabase {
    /// Marks a pending or expired order paid by hand (补单), attaching an unmatched payment when given.
    public func markOrderPaid(id: String, paymentId: Int64? = nil, now: Date = Date()) throws -> Order {
        try writer.write { db in
            guard let order = try Order.fetchOne(db, key: id) else { throw OrderChangeError.notFound }
            guard order.status == .pending || order.status == .expired else {
                throw OrderChangeError.alreadySettled(order.status)
            }
            if let paymentId {
                try db.execute(
                    sql:
                        "UPDATE payment SET outcome = 'attached', orderId = ? WHERE id = ? AND outcome IN ('unmatched', 'received')",
                    arguments: [id, paymentId])
                guard db.changesCount == 1 else { throw OrderChangeError.paymentNotAvailable }
            }
            guard
                try PaymentMatcher.markPaid(
                    db, orderId: id, from: order.status, late: order.status == .expired, now: now)
            else {
                throw OrderChangeError.alreadySettled(order.status)
            }
            return try Order.fetchOne(db, key: id)!
        }
    }

    /// Closes a pending or expired order: its slot is free at once.
    public func closeOrder(id: String, now: Date = Date()) throws -> Order {
        try writer.write { db in
            guard let order = try Order.fetchOne(db, key: id) else { throw OrderChangeError.notFound }
            guard order.status == .pending || order.status == .expired else {
                throw OrderChangeError.alreadySettled(order.status)
            }
            try db.execute(
                sql: #"UPDATE "order" SET status = 'closed', closedAt = ?, holdsSlot = 0 WHERE id = ?"#,
                arguments: [now, id])
            return try Order.fetchOne(db, key: id)!
        }
    }
}
