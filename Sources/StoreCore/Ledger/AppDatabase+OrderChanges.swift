public import Foundation
import GRDB

/// What a seller may not do to an order by hand, and why.
public enum OrderChangeError: Error, Equatable, CustomStringConvertible {
    case notFound
    case alreadySettled(Order.Status)
    case paymentNotAvailable
    /// The payment's type or amount is not the order's: attaching it needs the seller's explicit word.
    case paymentDiffers(payment: String, order: String)
    /// Card-key goods with no key left for this order: the seller must add keys first.
    case noKeyLeft

    public var description: String {
        switch self {
        case .notFound: "There is no such order."
        case .alreadySettled(let status): "The order is already \(status.rawValue)."
        case .paymentNotAvailable: "That payment is already attached to an order, or does not exist."
        case .paymentDiffers(let payment, let order):
            "The payment (\(payment)) is not the order's type and amount (\(order)). Confirm to attach it anyway."
        case .noKeyLeft: "No card key is left for this order: add keys to the stock, then mark it paid."
        }
    }
}

extension AppDatabase {
    /// Marks an unpaid order paid by hand (补单), attaching an unmatched payment when given.
    /// A payment of another type or amount is attached only with `acceptMismatch`, and then
    /// both are flagged. A slot still held stays held at least as long as it would have, and at
    /// least for the duplicate window: the listener's own push for it may still come.
    public func markOrderPaid(
        id: String, paymentId: Int64? = nil, acceptMismatch: Bool = false, clock: any StoreClock,
        holding: SlotHolding
    ) async throws -> Order {
        try await writer.write { db in
            let now = clock.now()
            guard let order = try Order.fetchOne(db, key: id) else { throw OrderChangeError.notFound }
            guard order.status != .paid else { throw OrderChangeError.alreadySettled(order.status) }
            var flagged = false
            if let paymentId {
                guard let payment = try Payment.fetchOne(db, key: paymentId),
                    payment.outcome == .unmatched || payment.outcome == .received
                else { throw OrderChangeError.paymentNotAvailable }
                // Money into another channel's wallet is not what the buyer was shown either.
                let otherChannel = payment.channelId.map { $0 != order.channelId } ?? false
                if payment.type != order.type || payment.amountFen != order.amountFen || otherChannel {
                    guard acceptMismatch else {
                        throw OrderChangeError.paymentDiffers(
                            payment: "#\(payment.channelId ?? 0) \(payment.type.rawValue) \(payment.amount)",
                            order: "#\(order.channelId) \(order.type.rawValue) \(order.amount)")
                    }
                    flagged = true
                }
                try db.execute(
                    sql: "UPDATE payment SET outcome = 'attached', orderId = ?, flagged = ? WHERE id = ?",
                    arguments: [id, flagged, paymentId])
            }
            guard
                try PaymentMatcher.markPaid(
                    db, orderId: id, from: order.status, late: order.status(at: now) != .pending, now: now,
                    holdUntil: now.addingTimeInterval(holding.duplicateWindow), extendOnly: true)
            else { throw OrderChangeError.alreadySettled(order.status) }
            if flagged { try db.execute(sql: #"UPDATE "order" SET flagged = 1 WHERE id = ?"#, arguments: [id]) }
            // An order of card-key goods whose key went back to the stock gets one now, if any is left.
            if let goodsId = order.goodsId,
                try String.fetchOne(db, sql: "SELECT deliveryMode FROM goods WHERE id = ?", arguments: [goodsId])
                    == DeliveryMode.cardKeys.rawValue,
                try CardKey.filter(Column("orderId") == id).isEmpty(db)
            {
                // Refused (and the whole change undone) rather than a paid order that delivers nothing.
                guard try Self.reserveCardKey(db, goodsId: goodsId, orderId: id, now: now) else {
                    throw OrderChangeError.noKeyLeft
                }
                try db.execute(sql: "UPDATE cardKey SET soldAt = ? WHERE orderId = ?", arguments: [now, id])
            }
            return try Order.fetchOne(db, key: id)!
        }
    }

    /// Closes a pending or expired order. Its slot stays held for the late grace (never longer
    /// than it already would), so a payment already on its way is still this order's.
    public func closeOrder(id: String, clock: any StoreClock, holding: SlotHolding) async throws -> Order {
        try await writer.write { db in
            let now = clock.now()
            guard let order = try Order.fetchOne(db, key: id) else { throw OrderChangeError.notFound }
            guard order.status == .pending || order.status == .expired else {
                throw OrderChangeError.alreadySettled(order.status)
            }
            try db.execute(
                sql: #"""
                    UPDATE "order" SET status = 'closed', closedAt = ?, slotReleaseAt = MIN(slotReleaseAt, ?)
                    WHERE id = ?
                    """#,
                arguments: [now, now.addingTimeInterval(holding.lateGrace), id])
            return try Order.fetchOne(db, key: id)!
        }
    }
}
