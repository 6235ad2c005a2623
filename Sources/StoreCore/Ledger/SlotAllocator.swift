public import Foundation
import GRDB

/// What a purchase asks for.
public struct PurchaseRequest: Sendable {
    public var goodsId: String
    public var type: PayType
    /// The buyer's cookie: who may be handed their own pending order again.
    public var buyerToken: String
    /// The buyer's network (`AddressKey`), for the per-address limits.
    public var buyerAddress: String
    public var buyerEmail: String?
    /// The language the buyer reads the store in, for the emails about the order.
    public var language: String?

    public init(
        goodsId: String, type: PayType, buyerToken: String, buyerAddress: String, buyerEmail: String? = nil,
        language: String? = nil
    ) {
        self.goodsId = goodsId
        self.type = type
        self.buyerToken = buyerToken
        self.buyerAddress = buyerAddress
        self.buyerEmail = buyerEmail
        self.language = language
    }
}

/// Why a purchase got no order.
public enum PurchaseRefusal: Error, Equatable, Sendable {
    case unknownGoods
    /// No enabled pay code collects any candidate amount: the seller must upload some.
    case notStocked
    /// Every stocked amount is held; one frees in this many seconds.
    case busy(retryAfter: Int)
    /// The buyer already has this many pending orders, none for these goods and type.
    case tooManyPending(Int)
    /// The buyer's address holds `order.maxSlotsPerAddress` slots; one frees in this many seconds.
    case addressHoldsTooMany(retryAfter: Int)
    /// The buyer's address made `order.createRatePerMinute` orders in the last minute.
    case tooFast(retryAfter: Int)
    /// The goods sell card keys and none is left.
    case soldOut
}

/// How the amount is chosen among the free candidates.
public enum DiscountMode: String, Sendable, CaseIterable {
    /// The list price when free, else a random lower amount.
    case onConflict
    /// Always a random amount, the list price included.
    case always
}

/// The purchase rules: order lifetime, discount, per-buyer and per-address limits. How long a
/// slot stays held after its order ends is `SlotHolding`'s.
public struct PurchasePolicy: Sendable {
    public var ttl: TimeInterval
    public var maxDiscount: Money
    public var mode: DiscountMode
    public var maxPendingPerBuyer: Int
    public var maxSlotsPerAddress: Int
    public var createRatePerMinute: Int

    public init(
        ttl: TimeInterval = 300, maxDiscount: Money = Money(fen: 10),
        mode: DiscountMode = .onConflict, maxPendingPerBuyer: Int = 2, maxSlotsPerAddress: Int = 10,
        createRatePerMinute: Int = 30
    ) {
        self.ttl = ttl
        self.maxDiscount = maxDiscount
        self.mode = mode
        self.maxPendingPerBuyer = maxPendingPerBuyer
        self.maxSlotsPerAddress = maxSlotsPerAddress
        self.createRatePerMinute = createRatePerMinute
    }
}

/// Picks a unique pay amount and creates the order holding it, in one transaction.
public struct SlotAllocator: Sendable {
    let database: AppDatabase
    let policy: PurchasePolicy
    let holding: SlotHolding
    let clock: any StoreClock
    /// A uniform random index below the bound; the system generator outside tests.
    let randomIndex: @Sendable (Int) -> Int

    public init(
        database: AppDatabase, policy: PurchasePolicy, holding: SlotHolding = SlotHolding(),
        clock: any StoreClock = SystemClock(),
        randomIndex: @escaping @Sendable (Int) -> Int = { Int.random(in: 0..<$0) }
    ) {
        self.database = database
        self.policy = policy
        self.holding = holding
        self.clock = clock
        self.randomIndex = randomIndex
    }

    /// A new pending order for the request; or, when this buyer is at the pending limit, their
    /// own pending order for the same goods and type.
    /// The order is on disk before this returns: a buyer is never shown an order (and its
    /// amount) that a power cut could give to someone else.
    public func purchase(_ request: PurchaseRequest) async throws -> Order {
        let result: Result<Order, PurchaseRefusal> = try await database.writer.write { [clock] db in
            // The time is read inside the writer, so the writes see it in the order they run.
            let now = clock.now(), nowText = DatabaseTime.text(now)
            // Every statement is a cached one, and dates go in as text: this runs for every buyer,
            // inside the one writer.
            guard
                let goods = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT priceFen, deliveryMode FROM goods WHERE id = ? AND enabled"),
                    arguments: [request.goodsId])
            else { return .failure(.unknownGoods) }
            let price: Int = goods["priceFen"]
            let sellsKeys = (goods["deliveryMode"] as String) == DeliveryMode.cardKeys.rawValue
            if let refusal = try limitBuyer(db, request, now: now, nowText: nowText) { return refusal }
            if sellsKeys, let refusal = try Self.keyRefusal(db, goodsId: request.goodsId, now: now, nowText: nowText) {
                return .failure(refusal)
            }
            let high = price, low = max(1, price - policy.maxDiscount.fen)
            let stocked = Set(
                try Int.fetchAll(
                    db.cachedStatement(
                        sql:
                            "SELECT DISTINCT amountFen FROM payCode WHERE enabled AND type = ? AND amountFen BETWEEN ? AND ?"
                    ), arguments: [request.type.rawValue, low, high]))
            guard !stocked.isEmpty else { return .failure(.notStocked) }
            let held = try Row.fetchAll(
                db.cachedStatement(
                    sql: #"""
                        SELECT id, amountFen, slotReleaseAt FROM "order"
                        WHERE holdsSlot AND type = ? AND amountFen BETWEEN ? AND ?
                        """#), arguments: [request.type.rawValue, low, high])
            // A holder past its release time no longer counts; its flag is cleared here, for the
            // candidates only, so that the unique index lets the new order take the slot.
            for row in held where (row["slotReleaseAt"] as String) <= nowText {
                try db.cachedStatement(sql: #"UPDATE "order" SET holdsSlot = 0 WHERE id = ?"#)
                    .execute(arguments: [row["id"] as String])
            }
            let live = held.filter { ($0["slotReleaseAt"] as String) > nowText }
            let free = stocked.subtracting(live.map { $0["amountFen"] as Int }).sorted(by: >)
            guard let amount = choose(from: free, price: price) else {
                let soonest = live.filter { stocked.contains($0["amountFen"]) }.map { $0["slotReleaseAt"] as String }
                    .min().flatMap { Date.fromDatabaseValue($0.databaseValue) }
                return .failure(.busy(retryAfter: Self.seconds(until: soonest, from: now)))
            }
            // The least recently used code of the slot spreads use over duplicates.
            let codeId = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM payCode WHERE enabled AND type = ? AND amountFen = ?
                        ORDER BY lastUsedAt IS NOT NULL, lastUsedAt, id LIMIT 1
                        """), arguments: [request.type.rawValue, amount])!
            try db.cachedStatement(sql: "UPDATE payCode SET lastUsedAt = ? WHERE id = ?").execute(arguments: [
                nowText, codeId,
            ])
            let expiresAt = now.addingTimeInterval(policy.ttl)
            let order = Order(
                id: Nanoid.make(), goodsId: request.goodsId, type: request.type, priceFen: price, amountFen: amount,
                payCodeId: codeId, status: .pending, holdsSlot: true,
                slotReleaseAt: expiresAt.addingTimeInterval(holding.lateGrace), buyerToken: request.buyerToken,
                buyerAddress: request.buyerAddress, buyerEmail: request.buyerEmail, language: request.language,
                createdAt: now,
                expiresAt: expiresAt, paidAt: nil, paidLate: false, closedAt: nil, flagged: false)
            try Self.insert(order, db)
            // The key is the order's in the same transaction that takes the slot.
            if sellsKeys {
                _ = try AppDatabase.reserveCardKey(db, goodsId: request.goodsId, orderId: order.id, now: nowText)
            }
            return .success(order)
        }
        return try result.get()
    }

    /// The buyer's own pending order or a refusal when a limit is reached; nil to go on.
    private func limitBuyer(
        _ db: Database, _ request: PurchaseRequest, now: Date, nowText: String
    ) throws -> Result<Order, PurchaseRefusal>? {
        let pendingCount =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: #"SELECT COUNT(*) FROM "order" WHERE buyerToken = ? AND status = 'pending' AND expiresAt > ?"#),
                arguments: [request.buyerToken, nowText]) ?? 0
        if pendingCount >= policy.maxPendingPerBuyer {
            let same = try Order.fetchOne(
                db.cachedStatement(
                    sql: #"""
                        SELECT * FROM "order" WHERE buyerToken = ? AND status = 'pending' AND expiresAt > ?
                            AND goodsId = ? AND type = ?
                        ORDER BY createdAt DESC LIMIT 1
                        """#), arguments: [request.buyerToken, nowText, request.goodsId, request.type.rawValue])
            if let same { return .success(same) }
            return .failure(.tooManyPending(pendingCount))
        }
        let recent = try Date.fetchAll(
            db.cachedStatement(
                sql: #"""
                    SELECT createdAt FROM "order" WHERE buyerAddress = ? AND createdAt > ?
                    ORDER BY createdAt LIMIT ?
                    """#),
            arguments: [
                request.buyerAddress, DatabaseTime.text(now.addingTimeInterval(-60)), policy.createRatePerMinute,
            ])
        if recent.count >= policy.createRatePerMinute {
            return .failure(.tooFast(retryAfter: Self.seconds(until: recent.first?.addingTimeInterval(60), from: now)))
        }
        // Slots of unpaid orders only: a paid order's slot is money received, not a reservation.
        let releases = try Date.fetchAll(
            db.cachedStatement(
                sql: #"""
                    SELECT slotReleaseAt FROM "order"
                    WHERE buyerAddress = ? AND createdAt > ? AND holdsSlot AND slotReleaseAt > ? AND status <> 'paid'
                    ORDER BY slotReleaseAt LIMIT ?
                    """#),
            arguments: [
                request.buyerAddress, DatabaseTime.text(now.addingTimeInterval(-(policy.ttl + holding.lateGrace))),
                nowText, policy.maxSlotsPerAddress,
            ])
        if releases.count >= policy.maxSlotsPerAddress {
            return .failure(.addressHoldsTooMany(retryAfter: Self.seconds(until: releases.first, from: now)))
        }
        return nil
    }

    /// Why no key can be had for the goods now, or nil when one is free: busy while every key
    /// left is reserved by a live order, sold out when none is left at all.
    static func keyRefusal(_ db: Database, goodsId: String, now: Date, nowText: String) throws -> PurchaseRefusal? {
        guard
            try Int64.fetchOne(db.cachedStatement(sql: CardKeySQL.free + " LIMIT 1"), arguments: [goodsId, nowText])
                == nil
        else { return nil }
        guard
            let until = try String.fetchOne(
                db.cachedStatement(sql: CardKeySQL.reservedUntil), arguments: [goodsId, nowText])
        else { return .soldOut }
        return .busy(retryAfter: seconds(until: Date.fromDatabaseValue(until.databaseValue), from: now))
    }

    /// Inserts a new order with one cached statement (every purchase runs it inside the writer).
    static func insert(_ order: Order, _ db: Database) throws {
        try db.cachedStatement(
            sql: #"""
                INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, payCodeId, status, holdsSlot,
                    slotReleaseAt, buyerToken, buyerAddress, buyerEmail, language, createdAt, expiresAt, paidLate, flagged)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?, ?, ?, ?, ?, 0, 0)
                """#
        ).execute(arguments: [
            order.id, order.goodsId, order.type.rawValue, order.priceFen, order.amountFen, order.payCodeId,
            DatabaseTime.text(order.slotReleaseAt), order.buyerToken, order.buyerAddress, order.buyerEmail,
            order.language, DatabaseTime.text(order.createdAt), DatabaseTime.text(order.expiresAt),
        ])
    }

    /// The amount for the free candidates `free` (highest first).
    private func choose(from free: [Int], price: Int) -> Int? {
        guard !free.isEmpty else { return nil }
        if policy.mode == .onConflict, free.first == price { return price }
        return free[randomIndex(free.count)]
    }

    /// Whole seconds from `now` to `date`, at least 1.
    static func seconds(until date: Date?, from now: Date) -> Int {
        max(1, date.map { Int($0.timeIntervalSince(now).rounded(.up)) } ?? 1)
    }
}
