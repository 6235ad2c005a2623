import Foundation
import GRDB

extension SlotAllocator {
    /// A new pending order for a merchant's request, holding a slot like any order; or the
    /// merchant's waiting order with that number, when the price and type are the same (shop
    /// software sends a request again when its buyer reloads), through the same protocol. The amount moves from the price
    /// in `direction` when the price is taken. On disk before this returns.
    public func createMerchantOrder(
        _ request: MerchantOrderRequest, direction: AmountDirection
    ) async throws -> GatewayOrder {
        let result: Result<GatewayOrder, MerchantOrderRefusal> = try await database.writer.write { [clock] db in
            let now = clock.now()
            if let existing = try MerchantOrder.filter(
                Column("pid") == request.merchant.pid && Column("outTradeNo") == request.outTradeNo
            ).fetchOne(db) {
                guard let order = try Order.fetchOne(db, key: existing.orderId) else {
                    return .failure(.orderNumberTaken)
                }
                if order.status == .paid { return .failure(.alreadyPaid) }
                guard order.status(at: now) == .pending, order.priceFen == request.price.fen,
                    order.type == request.type, existing.gateway == request.gateway
                else { return .failure(.orderNumberTaken) }
                return .success(GatewayOrder(order: order, merchantOrder: existing))
            }
            let price = request.price.fen, spread = policy.maxDiscount.fen
            let amounts = direction == .down ? max(1, price - spread)...price : price...(price + spread)
            let taken: TakenSlot
            switch try takeSlot(db, type: request.type, price: price, amounts: amounts, now: now) {
            case .success(let slot): taken = slot
            case .failure(.busy(let seconds)): return .failure(.busy(retryAfter: seconds))
            case .failure(.noOnlineListener): return .failure(.noOnlineListener)
            case .failure: return .failure(.notStocked)
            }
            let expiresAt = now.addingTimeInterval(policy.ttl)
            let order = Order(
                id: Nanoid.make(), goodsId: nil, channelId: taken.choice.channelId, type: request.type,
                priceFen: price, amountFen: taken.choice.amountFen, payCodeId: taken.codeId,
                generic: taken.choice.generic, status: .pending, holdsSlot: true,
                slotReleaseAt: expiresAt.addingTimeInterval(holding.lateGrace), buyerToken: nil,
                buyerAddress: nil, buyerEmail: nil, language: request.language, createdAt: now, expiresAt: expiresAt,
                paidAt: nil, paidLate: false, closedAt: nil, flagged: false)
            try Self.insert(order, db)
            let merchantOrder = MerchantOrder(
                orderId: order.id, pid: request.merchant.pid, gateway: request.gateway,
                outTradeNo: request.outTradeNo, tradeNo: try Self.newTradeNumber(db, now: now),
                rawType: request.rawType, rawPrice: request.rawPrice, param: request.param, name: request.name,
                notifyUrl: request.notifyUrl ?? request.merchant.notifyUrl,
                returnUrl: request.returnUrl ?? request.merchant.returnUrl, siteName: request.siteName,
                clientIp: request.clientIp)
            try merchantOrder.insert(db)
            return .success(GatewayOrder(order: order, merchantOrder: merchantOrder))
        }
        return try result.get()
    }

    /// A trade number no order has: the time in UTC to the second and six random digits
    /// (20 digits, as 易支付 clients expect of `trade_no`).
    static func newTradeNumber(_ db: Database, now: Date) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(
            format: "%04d%02d%02d%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
        while true {
            let number = stamp + String(format: "%06d", Int.random(in: 0..<1_000_000))
            let taken = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM merchantOrder WHERE tradeNo = ?)"),
                arguments: [number])
            if taken != true { return number }
        }
    }
}
