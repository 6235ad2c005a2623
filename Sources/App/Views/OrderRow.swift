import Foundation
import StoreCore

/// An order as the seller's lists and detail page show it.
struct OrderRow {
    let id: String
    let goodsName: String
    /// `#2`, the channel whose slot it holds.
    let channel: String
    /// Shown a generic code.
    let generic: Bool
    let type: String
    let price: String
    let amount: String
    let status: String
    let late: Bool
    let created: String
    let expires: String
    let paid: String?
    let buyer: String
    /// Not paid yet: the seller may mark it paid.
    let open: Bool
    /// Pending or expired: the seller may close it.
    let closable: Bool

    let flagged: Bool

    init(_ order: Order, goodsName: String?, now: Date) {
        let format = Date.FormatStyle(date: .abbreviated, time: .standard)
        id = order.id
        self.goodsName = goodsName ?? "—"
        channel = "#\(order.channelId)"
        generic = order.generic
        type = order.type.rawValue
        price = order.price.description
        amount = order.amount.description
        status = order.status(at: now).rawValue
        late = order.paidLate
        created = order.createdAt.formatted(format)
        expires = order.expiresAt.formatted(format)
        paid = order.paidAt?.formatted(format)
        buyer = [order.buyerAddress, order.buyerEmail].compactMap { $0 }.joined(separator: " · ")
        open = order.status != .paid
        closable = order.status == .pending || order.status == .expired
        flagged = order.flagged
    }

    /// Rows for `orders`, with their goods' names looked up once each.
    static func rows(_ orders: [Order], services: AppServices) async throws -> [OrderRow] {
        var names: [String: String] = [:]
        var rows: [OrderRow] = []
        let now = services.clock.now()
        for order in orders {
            if let goodsId = order.goodsId, names[goodsId] == nil {
                names[goodsId] = try await services.database.goods(id: goodsId)?.name
            }
            rows.append(OrderRow(order, goodsName: order.goodsId.flatMap { names[$0] }, now: now))
        }
        return rows
    }
}

/// A payment as the seller's lists show it.
struct PaymentRow {
    let id: Int64
    /// `#2`, the channel whose listener reported it; empty for the seller's own entries.
    let channel: String
    let type: String
    let amount: String
    let rawAmount: String
    let source: String
    let outcome: String
    let orderId: String?
    let received: String
    let unmatched: Bool
    let flagged: Bool

    init(_ payment: Payment) {
        id = payment.id ?? 0
        channel = payment.channelId.map { "#\($0)" } ?? ""
        type = payment.type.rawValue
        amount = payment.amount.description
        rawAmount = payment.rawAmount
        source = payment.source.rawValue
        outcome = payment.outcome.rawValue
        orderId = payment.orderId
        received = payment.receivedAt.formatted(Date.FormatStyle(date: .abbreviated, time: .standard))
        unmatched = payment.outcome == .unmatched || payment.outcome == .received
        flagged = payment.flagged
    }
}
