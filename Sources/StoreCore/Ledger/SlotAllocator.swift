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
    /// Only channels whose listener is offline could serve, and `order.requireOnlineListener` is set.
    case noOnlineListener
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
    /// Seconds without a sign of life after which a channel's listener counts as offline.
    public var offlineAfter: TimeInterval
    /// Whether offline channels are never given new orders.
    public var requireOnlineListener: Bool

    public init(
        ttl: TimeInterval = 300, maxDiscount: Money = Money(fen: 10),
        mode: DiscountMode = .onConflict, maxPendingPerBuyer: Int = 2, maxSlotsPerAddress: Int = 10,
        createRatePerMinute: Int = 30, offlineAfter: TimeInterval = 90, requireOnlineListener: Bool = false
    ) {
        self.offlineAfter = offlineAfter
        self.requireOnlineListener = requireOnlineListener
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
            let taken: TakenSlot
            switch try takeSlot(
                db, type: request.type, price: price, amounts: max(1, price - policy.maxDiscount.fen)...price, now: now)
            {
            case .success(let slot): taken = slot
            case .failure(let refusal): return .failure(refusal)
            }
            let choice = taken.choice, codeId = taken.codeId
            let amount = choice.amountFen
            let expiresAt = now.addingTimeInterval(policy.ttl)
            let order = Order(
                id: Nanoid.make(), goodsId: request.goodsId, channelId: choice.channelId, type: request.type,
                priceFen: price, amountFen: amount, payCodeId: codeId, generic: choice.generic, status: .pending,
                holdsSlot: true,
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

    /// A chosen slot and the code that collects it.
    struct TakenSlot {
        var choice: SlotCandidates.Choice
        var codeId: Int64
    }

    /// A free (channel, amount) slot for `type` among `amounts`, and the least recently used code
    /// that collects it, marked used; or why there is none.
    func takeSlot(
        _ db: Database, type: PayType, price: Int, amounts: ClosedRange<Int>, now: Date
    ) throws -> Result<TakenSlot, PurchaseRefusal> {
        let candidates = try Self.candidates(
            db, type: type, low: amounts.lowerBound, high: amounts.upperBound, now: now, policy: policy)
        let choice: SlotCandidates.Choice
        switch candidates.choose(
            price: price, amounts: amounts, mode: policy.mode, requireOnline: policy.requireOnlineListener,
            randomIndex: randomIndex)
        {
        case .take(let taken): choice = taken
        case .notStocked: return .failure(.notStocked)
        case .noOnlineListener: return .failure(.noOnlineListener)
        case .busy(let soonest):
            let date = soonest.flatMap { Date.fromDatabaseValue($0.databaseValue) }
            return .failure(.busy(retryAfter: Self.seconds(until: date, from: now)))
        }
        // The least recently used code of the slot spreads use over duplicates.
        let codeId = try Int64.fetchOne(
            db.cachedStatement(
                sql: choice.generic
                    ? """
                    SELECT id FROM payCode WHERE channelId = ? AND type = ? AND amountFen IS NULL AND enabled
                    ORDER BY lastUsedAt IS NOT NULL, lastUsedAt, id LIMIT 1
                    """
                    : """
                    SELECT id FROM payCode WHERE channelId = ? AND type = ? AND amountFen = ? AND enabled
                    ORDER BY lastUsedAt IS NOT NULL, lastUsedAt, id LIMIT 1
                    """),
            arguments: choice.generic
                ? [choice.channelId, type.rawValue] : [choice.channelId, type.rawValue, choice.amountFen])!
        try db.cachedStatement(sql: "UPDATE payCode SET lastUsedAt = ? WHERE id = ?").execute(arguments: [
            DatabaseTime.text(now), codeId,
        ])
        return .success(TakenSlot(choice: choice, codeId: codeId))
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

    /// What the database holds for a purchase of `type` between `low` and `high`: the enabled
    /// channels with their codes, and the slots held now.
    static func candidates(
        _ db: Database, type: PayType, low: Int, high: Int, now: Date, policy: PurchasePolicy
    ) throws -> SlotCandidates {
        let nowText = DatabaseTime.text(now)
        let onlineSince = DatabaseTime.text(now.addingTimeInterval(-policy.offlineAfter))
        // Cursors and columns by position: these run for every purchase, inside the one writer,
        // over up to (amounts × channels) rows.
        var channels: [Int64: SlotCandidates.ChannelState] = [:]
        let channelRows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT id, lastSeenAt >= ? FROM channel WHERE enabled"), arguments: [onlineSince])
        while let row = try channelRows.next() {
            let id: Int64 = row[0]
            channels[id] = .init(id: id, online: row[1] ?? false, fixed: [], generic: false)
        }
        // Two reads, each an index range: fixed codes of the amounts, then generic codes.
        let fixed = try Row.fetchCursor(
            db.cachedStatement(sql: fixedCodesQuery), arguments: [type.rawValue, low, high])
        while let row = try fixed.next() {
            let id: Int64 = row[0]
            channels[id]?.fixed.insert(row[1])
        }
        for id in try Int64.fetchAll(db.cachedStatement(sql: genericCodesQuery), arguments: [type.rawValue]) {
            channels[id]?.generic = true
        }
        var held: [Int64: [Int: String]] = [:]
        let holders = try Row.fetchCursor(
            db.cachedStatement(sql: heldSlotsQuery), arguments: [type.rawValue, low, high])
        var stale: [String] = []
        while let row = try holders.next() {
            let release: String = row[3]
            if release <= nowText {
                stale.append(row[0])
            } else {
                held[row[1], default: [:]][row[2]] = release
            }
        }
        // A holder past its release time no longer counts; its flag is cleared here, for these
        // candidates only, so that the unique index lets the new order take the slot.
        for id in stale {
            try db.cachedStatement(sql: #"UPDATE "order" SET holdsSlot = 0 WHERE id = ?"#).execute(arguments: [id])
        }
        return SlotCandidates(channels: channels.values.sorted { $0.id < $1.id }, held: held)
    }

    /// The channels with an enabled fixed code of a type for each amount of a range.
    static let fixedCodesQuery = """
        SELECT channelId, amountFen FROM payCode WHERE type = ? AND amountFen BETWEEN ? AND ? AND enabled
        """
    /// The channels with an enabled generic code of a type.
    static let genericCodesQuery =
        "SELECT DISTINCT channelId FROM payCode WHERE type = ? AND amountFen IS NULL AND enabled"
    /// The holders of a type's slots in a range of amounts, on every channel.
    static let heldSlotsQuery = #"""
        SELECT id, channelId, amountFen, slotReleaseAt FROM "order"
        WHERE holdsSlot AND type = ? AND amountFen BETWEEN ? AND ?
        """#

    /// Inserts a new order with one cached statement (every purchase runs it inside the writer).
    static func insert(_ order: Order, _ db: Database) throws {
        try db.cachedStatement(
            sql: #"""
                INSERT INTO "order" (id, goodsId, channelId, type, priceFen, amountFen, payCodeId, generic, status,
                    holdsSlot, slotReleaseAt, buyerToken, buyerAddress, buyerEmail, language, createdAt, expiresAt,
                    paidLate, flagged)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?, ?, ?, ?, ?, 0, 0)
                """#
        ).execute(arguments: [
            order.id, order.goodsId, order.channelId, order.type.rawValue, order.priceFen, order.amountFen,
            order.payCodeId, order.generic, DatabaseTime.text(order.slotReleaseAt), order.buyerToken,
            order.buyerAddress, order.buyerEmail,
            order.language, DatabaseTime.text(order.createdAt), DatabaseTime.text(order.expiresAt),
        ])
    }

    /// Whole seconds from `now` to `date`, at least 1.
    static func seconds(until date: Date?, from now: Date) -> Int {
        max(1, date.map { Int($0.timeIntervalSince(now).rounded(.up)) } ?? 1)
    }
}
