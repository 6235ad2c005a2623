public import Foundation
import GRDB

/// What a purchase asks for.
public struct PurchaseRequest: Sendable {
    public var goodsId: String
    public var type: PayType
    /// The buyer's address, for the per-buyer limit.
    public var buyerAddress: String
    public var buyerEmail: String?

    public init(goodsId: String, type: PayType, buyerAddress: String, buyerEmail: String? = nil) {
        self.goodsId = goodsId
        self.type = type
        self.buyerAddress = buyerAddress
        self.buyerEmail = buyerEmail
    }
}

/// Why a purchase got no order.
public enum PurchaseRefusal: Error, Equatable, Sendable {
    case unknownGoods
    /// No enabled pay code collects any candidate amount: the seller must upload some.
    case notStocked
    /// Every stocked amount is held; one frees in this many seconds.
    case busy(retryAfter: Int)
    /// The buyer already has this many pending orders, none for these goods.
    case tooManyPending(Int)
}

/// How the amount is chosen among the free candidates.
public enum DiscountMode: String, Sendable, CaseIterable {
    /// The list price when free, else a random lower amount.
    case onConflict
    /// Always a random amount, the list price included.
    case always
}

/// The purchase rules: slot limits, discount, lifetime.
public struct PurchasePolicy: Sendable {
    public var ttl: TimeInterval
    public var lateGrace: TimeInterval
    public var maxDiscount: Money
    public var mode: DiscountMode
    public var maxPendingPerBuyer: Int

    public init(
        ttl: TimeInterval = 300, lateGrace: TimeInterval = 120, maxDiscount: Money = Money(fen: 10),
        mode: DiscountMode = .onConflict, maxPendingPerBuyer: Int = 2
    ) {
        self.ttl = ttl
        self.lateGrace = lateGrace
        self.maxDiscount = maxDiscount
        self.mode = mode
        self.maxPendingPerBuyer = maxPendingPerBuyer
    }
}

/// Picks a unique pay amount and creates the order holding it, in one transaction.
public struct SlotAllocator: Sendable {
    let database: AppDatabase
    let policy: PurchasePolicy
    /// A uniform random index below the bound; the system generator outside tests.
    let randomIndex: @Sendable (Int) -> Int

    public init(
        database: AppDatabase, policy: PurchasePolicy,
        randomIndex: @escaping @Sendable (Int) -> Int = { Int.random(in: 0..<$0) }
    ) {
        self.database = database
        self.policy = policy
        self.randomIndex = randomIndex
    }

    /// A new pending order for the request, or the buyer's existing pending order for the same
    /// goods when the buyer is at the limit.
    public func purchase(_ request: PurchaseRequest, now: Date = Date()) throws -> Order {
        let result: Result<Order, PurchaseRefusal> = try database.writer.write { db in
            try OrderSweeper.sweep(db, now: now)
            guard let goods = try Goods.fetchOne(db, key: request.goodsId), goods.enabled else {
                return .failure(.unknownGoods)
            }
            var sameBuyer = Column("buyerAddress") == request.buyerAddress
            if let email = request.buyerEmail { sameBuyer = sameBuyer || Column("buyerEmail") == email }
            let buyersPending = Order.filter(Column("status") == Order.Status.pending.rawValue).filter(sameBuyer)
            let pendingCount = try buyersPending.fetchCount(db)
            if pendingCount >= policy.maxPendingPerBuyer {
                let same = buyersPending.filter(
                    Column("goodsId") == goods.id && Column("type") == request.type.rawValue)
                if let order = try same.fetchOne(db) { return .success(order) }
                return .failure(.tooManyPending(pendingCount))
            }
            let high = goods.priceFen, low = max(1, goods.priceFen - policy.maxDiscount.fen)
            let stocked = Set(
                try Int.fetchAll(
                    db,
                    sql:
                        "SELECT DISTINCT amountFen FROM payCode WHERE enabled AND type = ? AND amountFen BETWEEN ? AND ?",
                    arguments: [request.type.rawValue, low, high]))
            guard !stocked.isEmpty else { return .failure(.notStocked) }
            let held = try Row.fetchAll(
                db,
                sql:
                    #"SELECT amountFen, slotReleaseAt FROM "order" WHERE holdsSlot AND type = ? AND amountFen BETWEEN ? AND ?"#,
                arguments: [request.type.rawValue, low, high])
            let heldAmounts = Set(held.map { $0["amountFen"] as Int })
            let free = stocked.subtracting(heldAmounts).sorted(by: >)
            guard let amount = choose(from: free, price: goods.priceFen) else {
                let soonest = held.filter { stocked.contains($0["amountFen"]) }.map { $0["slotReleaseAt"] as Date }
                    .min()
                let wait = soonest.map { Int($0.timeIntervalSince(now).rounded(.up)) } ?? 1
                return .failure(.busy(retryAfter: max(1, wait)))
            }
            // The least recently used code of the slot spreads use over duplicates.
            let code = try PayCode.filter(
                Column("enabled") == true && Column("type") == request.type.rawValue && Column("amountFen") == amount
            )
            .order(Column("lastUsedAt") != nil, Column("lastUsedAt"), Column("id"))
            .fetchOne(db)!
            try db.execute(sql: "UPDATE payCode SET lastUsedAt = ? WHERE id = ?", arguments: [now, code.id])
            let expiresAt = now.addingTimeInterval(policy.ttl)
            let order = Order(
                id: Nanoid.make(), goodsId: goods.id, type: request.type, priceFen: goods.priceFen, amountFen: amount,
                payCodeId: code.id, status: .pending, holdsSlot: true,
                slotReleaseAt: expiresAt.addingTimeInterval(policy.lateGrace), buyerAddress: request.buyerAddress,
                buyerEmail: request.buyerEmail, createdAt: now, expiresAt: expiresAt, paidAt: nil, paidLate: false,
                closedAt: nil)
            try order.insert(db)
            return .success(order)
        }
        return try result.get()
    }

    /// The amount for the free candidates `free` (highest first).
    private func choose(from free: [Int], price: Int) -> Int? {
        guard !free.isEmpty else { return nil }
        if policy.mode == .onConflict, free.first == price { return price }
        return free[randomIndex(free.count)]
    }
}
