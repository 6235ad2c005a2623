import Foundation
import GRDB
import TestSupport
import Testing

@testable import StoreCore

/// A store with goods at `price` and WeChat codes for `stocked` (fen), on a clock the test moves.
struct Ledger {
    let database: AppDatabase
    let goods: Goods
    let clock: ManualClock
    let allocator: SlotAllocator
    let matcher: PaymentMatcher
    let holding: SlotHolding

    init(
        stocked: [Int], price: Int = 100, policy: PurchasePolicy = PurchasePolicy(maxPendingPerBuyer: 1000),
        holding: SlotHolding = SlotHolding(), database: AppDatabase? = nil
    ) async throws {
        let database = try database ?? AppDatabase.inMemory()
        self.database = database
        clock = ManualClock()
        goods = try await database.createGoods(
            GoodsDraft(name: "Book", price: Money(fen: price), delivery: "the link"), now: clock.now())
        for fen in stocked { _ = try await database.insertPayCode(DatabaseTests.code("wxp://code-\(fen)", fen: fen)) }
        allocator = SlotAllocator(database: database, policy: policy, holding: holding, clock: clock)
        matcher = PaymentMatcher(database: database, holding: holding, clock: clock)
        self.holding = holding
    }

    /// A purchase by buyer `token` from address `address` (its own address unless given).
    func buy(
        _ token: String, address: String? = nil, type: PayType = .wechat, goods: Goods? = nil
    ) async throws
        -> Order
    {
        try await allocator.purchase(
            PurchaseRequest(
                goodsId: (goods ?? self.goods).id, type: type, buyerToken: token, buyerAddress: address ?? token))
    }

    /// A verified push of `fen` as protocol A would make it.
    func push(_ fen: Int, type: PayType = .wechat, replayKey: String? = nil) async throws -> PushResult {
        try await matcher.record(
            ListenerPush(
                type: type, amount: Money(fen: fen), rawAmount: Money(fen: fen).description, source: .notify,
                rawRequest: "price=\(Money(fen: fen))&type=\(type)", remoteAddress: "1.2.3.4", replayKey: replayKey))
    }

    /// The payment a push recorded.
    func paid(_ fen: Int, type: PayType = .wechat) async throws -> Payment {
        guard case .recorded(let payment) = try await push(fen, type: type) else { throw LedgerTestError.replay }
        return payment
    }

    func status(_ order: Order) async throws -> Order.Status? {
        try await database.order(id: order.id)?.status(at: clock.now())
    }

    enum LedgerTestError: Error { case replay }
}

@Suite("Slots")
struct SlotTests {
    @Test("the list price first, then distinct lower amounts until all stocked ones are held")
    func uniqueAmounts() async throws {
        let ledger = try await Ledger(stocked: Array(90...100))
        let first = try await ledger.buy("a")
        #expect(first.amount == Money(fen: 100) && first.discount == Money(fen: 0) && first.holdsSlot)
        var amounts = [first.amountFen]
        for index in 1...10 { amounts.append(try await ledger.buy("b\(index)").amountFen) }
        #expect(Set(amounts) == Set(90...100))
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 420)) { try await ledger.buy("c") }
    }

    @Test("the random amount is spread over every free candidate and never an unstocked one")
    func spread() async throws {
        // 1.00 taken; 0.99…0.95 stocked; 0.94…0.90 not. Each draw's order is closed and its slot
        // released once the grace has passed, so the next draw sees the same candidates.
        let ledger = try await Ledger(stocked: Array(95...100), holding: SlotHolding(lateGrace: 0))
        _ = try await ledger.buy("first")
        var counts: [Int: Int] = [:]
        for draw in 0..<500 {
            let order = try await ledger.buy("draw\(draw)")
            counts[order.amountFen, default: 0] += 1
            _ = try await ledger.database.closeOrder(id: order.id, clock: ledger.clock, holding: ledger.holding)
            ledger.clock.advance(by: 0.001)
        }
        #expect(Set(counts.keys) == Set(95...99))
        // 100 expected each; a fair draw stays well inside 60…140.
        #expect(counts.values.allSatisfy { (60...140).contains($0) }, "\(counts)")
    }

    @Test("always-random mode includes the list price; amounts never go below 0.01")
    func alwaysAndFloor() async throws {
        let ledger = try await Ledger(
            stocked: [1, 2, 3, 4, 5], price: 5,
            policy: PurchasePolicy(maxDiscount: Money(fen: 10), mode: .always, maxPendingPerBuyer: 1000),
            holding: SlotHolding(lateGrace: 0))
        var seen = Set<Int>()
        for draw in 0..<200 {
            let order = try await ledger.buy("d\(draw)")
            seen.insert(order.amountFen)
            _ = try await ledger.database.closeOrder(id: order.id, clock: ledger.clock, holding: ledger.holding)
            ledger.clock.advance(by: 0.001)
        }
        #expect(seen == [1, 2, 3, 4, 5])
    }

    @Test("nothing stocked and everything busy are told apart")
    func refusals() async throws {
        let ledger = try await Ledger(stocked: [80])  // below the 0.10 window of 1.00
        await #expect(throws: PurchaseRefusal.notStocked) { try await ledger.buy("a") }
        await #expect(throws: PurchaseRefusal.unknownGoods) {
            try await ledger.allocator.purchase(
                PurchaseRequest(goodsId: Nanoid.make(), type: .wechat, buyerToken: "a", buyerAddress: "a"))
        }
    }

    @Test("a buyer at the limit gets their own pending order for the same goods back, or a refusal")
    func buyerLimit() async throws {
        let ledger = try await Ledger(stocked: Array(90...100), policy: PurchasePolicy(maxPendingPerBuyer: 2))
        let other = try await ledger.database.createGoods(GoodsDraft(name: "Other", price: Money(fen: 100)))
        let first = try await ledger.buy("token-a", address: "10.0.0.1")
        _ = try await ledger.buy("token-a", address: "10.0.0.1", goods: other)
        #expect(try await ledger.buy("token-a", address: "10.0.0.1").id == first.id)
        await #expect(throws: PurchaseRefusal.tooManyPending(2)) {
            try await ledger.buy("token-a", address: "10.0.0.1", type: .alipay)
        }
        // Another buyer behind the same address is a new buyer with a new order.
        let neighbour = try await ledger.buy("token-b", address: "10.0.0.1")
        #expect(neighbour.id != first.id && neighbour.amountFen != first.amountFen)
    }

    @Test("one address holds at most maxSlotsPerAddress unpaid slots, and frees them as they release")
    func addressSlots() async throws {
        let ledger = try await Ledger(
            stocked: Array(90...100), policy: PurchasePolicy(ttl: 60, maxPendingPerBuyer: 1, maxSlotsPerAddress: 3),
            holding: SlotHolding(lateGrace: 30))
        for buyer in 0..<3 { _ = try await ledger.buy("b\(buyer)", address: "nat") }
        await #expect(throws: PurchaseRefusal.addressHoldsTooMany(retryAfter: 90)) {
            try await ledger.buy("b3", address: "nat")
        }
        #expect(try await ledger.buy("elsewhere", address: "other").holdsSlot)
        ledger.clock.advance(by: 90)
        #expect(try await ledger.buy("b3", address: "nat").holdsSlot)
    }

    @Test("one address creates at most createRatePerMinute orders a minute")
    func addressRate() async throws {
        let ledger = try await Ledger(
            stocked: Array(90...100), policy: PurchasePolicy(maxPendingPerBuyer: 1, createRatePerMinute: 2))
        _ = try await ledger.buy("x1", address: "office")
        ledger.clock.advance(by: 20)
        _ = try await ledger.buy("x2", address: "office")
        await #expect(throws: PurchaseRefusal.tooFast(retryAfter: 40)) { try await ledger.buy("x3", address: "office") }
        ledger.clock.advance(by: 41)
        #expect(try await ledger.buy("x3", address: "office").holdsSlot)
    }

    @Test("a closed order's amount is not handed to the next buyer until the late grace has passed")
    func closeKeepsSlot() async throws {
        let ledger = try await Ledger(stocked: [100], holding: SlotHolding(lateGrace: 120))
        let first = try await ledger.buy("a")
        _ = try await ledger.database.closeOrder(id: first.id, clock: ledger.clock, holding: ledger.holding)
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 120)) { try await ledger.buy("b") }
        // The payment that was already on its way is the closed order's.
        let late = try await ledger.paid(100)
        #expect(late.outcome == .late && late.orderId == first.id)
    }

    @Test("the expiry service's sweep writes expiry and frees slots; purchases need no sweep")
    func sweep() async throws {
        let ledger = try await Ledger(
            stocked: [100], policy: PurchasePolicy(ttl: 60), holding: SlotHolding(lateGrace: 30))
        let order = try await ledger.buy("a")
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 90)) { try await ledger.buy("b") }
        ledger.clock.advance(by: 61)
        #expect(try await ledger.status(order) == .expired)
        #expect(try await ledger.database.order(id: order.id)?.status == .pending)
        ledger.clock.advance(by: 30)
        // No sweep has run, yet the slot is free.
        let next = try await ledger.buy("b")
        #expect(next.amountFen == 100 && next.id != order.id)
        let swept = try await ledger.database.sweepOrders(now: ledger.clock.now())
        #expect(swept == [order.id])
        #expect(try await ledger.database.order(id: order.id)?.status == .expired)
    }
}

@Suite("Matching")
struct MatchingTests {
    @Test("payments match the pending order, then late orders; strangers stay unmatched")
    func matching() async throws {
        let ledger = try await Ledger(
            stocked: Array(90...100), policy: PurchasePolicy(ttl: 60), holding: SlotHolding(lateGrace: 30))
        let onTime = try await ledger.buy("a")
        let late = try await ledger.buy("b")
        ledger.clock.advance(by: 10)
        let paid = try await ledger.paid(onTime.amountFen)
        #expect(paid.outcome == .matched && paid.orderId == onTime.id)
        #expect(try await ledger.status(onTime) == .paid)
        #expect(try await ledger.paid(50).outcome == .unmatched)
        // Past its lifetime but inside the grace: paid, flagged late.
        ledger.clock.advance(by: 65)
        let latePayment = try await ledger.paid(late.amountFen)
        #expect(latePayment.outcome == .late && latePayment.orderId == late.id)
        #expect(try await ledger.database.order(id: late.id)?.paidLate == true)
        #expect(try await ledger.database.payments().count == 3)
        #expect(try await ledger.database.payments(unmatchedOnly: true).map(\.amountFen) == [50])
    }

    @Test("a repeated push inside the duplicate window is a duplicate and never pays the next buyer")
    func repeatAfterMatch() async throws {
        // The order lifetime is shorter than the window: the slot is held by payment, not by life.
        let ledger = try await Ledger(
            stocked: [100], policy: PurchasePolicy(ttl: 30), holding: SlotHolding(duplicateWindow: 120, lateGrace: 0))
        let first = try await ledger.buy("a")
        #expect(try await ledger.paid(100).orderId == first.id)
        ledger.clock.advance(by: 1)
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 119)) { try await ledger.buy("b") }
        let repeated = try await ledger.paid(100)
        #expect(repeated.outcome == .duplicate && repeated.orderId == first.id)
        // After the window the slot is the next buyer's, and a new push pays them.
        ledger.clock.advance(by: 120)
        let second = try await ledger.buy("b")
        #expect(second.amountFen == 100)
        let next = try await ledger.paid(100)
        #expect(next.outcome == .matched && next.orderId == second.id)
        #expect(try await ledger.status(first) == .paid)
        #expect(try await ledger.status(second) == .paid)
    }

    @Test("after the grace the slot is free and a late payment stays unmatched")
    func graceEnds() async throws {
        let ledger = try await Ledger(
            stocked: [100], policy: PurchasePolicy(ttl: 60), holding: SlotHolding(lateGrace: 30))
        let order = try await ledger.buy("a")
        ledger.clock.advance(by: 91)
        let payment = try await ledger.paid(100)
        #expect(payment.outcome == .unmatched && payment.orderId == nil)
        #expect(try await ledger.status(order) == .expired)
    }

    @Test("a replay key is accepted once; the payment and the key are one transaction")
    func replay() async throws {
        let ledger = try await Ledger(stocked: [100])
        let order = try await ledger.buy("a")
        guard case .recorded(let payment) = try await ledger.push(100, replayKey: "1700|1|1.00") else {
            Issue.record("the first push was refused")
            return
        }
        #expect(payment.orderId == order.id)
        #expect(try await ledger.push(100, replayKey: "1700|1|1.00") == .replay)
        #expect(try await ledger.database.payments().count == 1)
    }

    @Test("a push finds the slot's holder through the partial index, not by scanning every order")
    func holderUsesIndex() async throws {
        let ledger = try await Ledger(stocked: [100])
        let plan = try await ledger.database.reader.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + PaymentMatcher.holderQuery, arguments: [1, "wechat", 100, Date()]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX orderSlot") }, "\(plan)")
    }

    @Test("a purchase reads codes and held slots of its amounts through the indexes, on every channel at once")
    func purchaseUsesIndexes() async throws {
        let ledger = try await Ledger(stocked: [100])
        let queries: [(String, StatementArguments, String)] = [
            (SlotAllocator.fixedCodesQuery, ["wechat", 90, 100], "payCodeSlot"),
            (SlotAllocator.genericCodesQuery, ["wechat"], "payCodeSlot"),
            (SlotAllocator.heldSlotsQuery, ["wechat", 90, 100], "orderSlot"),
        ]
        for (query, arguments, index) in queries {
            let plan = try await ledger.database.reader.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query, arguments: arguments)
                    .map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("INDEX \(index)") }, "\(plan)")
        }
    }

    @Test("marking paid by hand never shortens the hold: the listener's own push may still come")
    func manualKeepsHold() async throws {
        let ledger = try await Ledger(
            stocked: [100], policy: PurchasePolicy(ttl: 300), holding: SlotHolding(duplicateWindow: 120, lateGrace: 120)
        )
        let order = try await ledger.buy("a")
        let paid = try await ledger.database.markOrderPaid(id: order.id, clock: ledger.clock, holding: ledger.holding)
        #expect(paid.slotReleaseAt == order.slotReleaseAt)
        ledger.clock.advance(by: 400)
        // The listener comes back online and sends the push it queued: a duplicate, not a new buyer's.
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 20)) { try await ledger.buy("b") }
        let push = try await ledger.paid(100)
        #expect(push.outcome == .duplicate && push.orderId == order.id)
    }

    @Test("the seller can mark paid by hand, attach a payment, or close; each only once")
    func manual() async throws {
        let ledger = try await Ledger(stocked: Array(90...100))
        let first = try await ledger.buy("a")
        let stray = try await ledger.paid(first.amountFen, type: .alipay)
        #expect(stray.outcome == .unmatched)
        let now = ledger.clock.now(), holding = ledger.holding
        // Another type: refused unless the seller confirms, and then flagged.
        await #expect(throws: OrderChangeError.self) {
            try await ledger.database.markOrderPaid(
                id: first.id, paymentId: stray.id, clock: ledger.clock, holding: holding)
        }
        let paid = try await ledger.database.markOrderPaid(
            id: first.id, paymentId: stray.id, acceptMismatch: true, clock: ledger.clock, holding: holding)
        #expect(paid.status == .paid && paid.flagged && paid.holdsSlot && paid.slotReleaseAt > now)
        #expect(try await ledger.database.payment(id: stray.id!)?.outcome == .attached)
        #expect(try await ledger.database.payment(id: stray.id!)?.flagged == true)
        await #expect(throws: OrderChangeError.alreadySettled(.paid)) {
            try await ledger.database.markOrderPaid(id: first.id, clock: ledger.clock, holding: holding)
        }
        let second = try await ledger.buy("b")
        await #expect(throws: OrderChangeError.paymentNotAvailable) {
            try await ledger.database.markOrderPaid(
                id: second.id, paymentId: stray.id, clock: ledger.clock, holding: holding)
        }
        #expect(
            try await ledger.database.closeOrder(id: second.id, clock: ledger.clock, holding: holding).status == .closed
        )
        await #expect(throws: OrderChangeError.alreadySettled(.closed)) {
            try await ledger.database.closeOrder(id: second.id, clock: ledger.clock, holding: holding)
        }
        await #expect(throws: OrderChangeError.notFound) {
            try await ledger.database.closeOrder(id: Nanoid.make(), clock: ledger.clock, holding: holding)
        }
    }
}

@Suite("Card keys")
struct CardKeyTests {
    /// A ledger whose goods sell `keys` card keys, with plenty of free amounts.
    static func ledger(keys: Int, holding: SlotHolding = SlotHolding(lateGrace: 30)) async throws -> Ledger {
        let ledger = try await Ledger(stocked: Array(90...100), policy: PurchasePolicy(ttl: 60), holding: holding)
        _ = try await ledger.database.updateGoods(
            id: ledger.goods.id,
            with: GoodsDraft(name: "Licence", price: Money(fen: 100), deliveryMode: .cardKeys), now: ledger.clock.now())
        let added = try await ledger.database.addCardKeys(
            goodsId: ledger.goods.id,
            lines: (1...keys).map { "KEY-\($0)" } + ["KEY-1", "  ", " KEY-1 ", String(repeating: "k", count: 2001)],
            now: ledger.clock.now())
        #expect(added == CardKeyAddition(added: keys, duplicates: 2, tooLong: 1, available: keys))
        return ledger
    }

    @Test("each order reserves its own key; with every key reserved a purchase is busy until one comes back")
    func reserveAndReturn() async throws {
        let ledger = try await Self.ledger(keys: 2)
        let first = try await ledger.buy("a"), second = try await ledger.buy("b")
        #expect(first.amountFen != second.amountFen)
        await #expect(throws: PurchaseRefusal.busy(retryAfter: 90)) { try await ledger.buy("c") }
        #expect(try await ledger.database.cardKeyStock(goodsId: ledger.goods.id, now: ledger.clock.now()).reserved == 2)
        // The first is paid: its key is sold, its own.
        _ = try await ledger.paid(first.amountFen)
        #expect(try await ledger.database.cardKey(orderId: first.id)?.secret == "KEY-1")
        // The second expires; after the grace its key is back in the stock, even before a sweep.
        ledger.clock.advance(by: 91)
        let third = try await ledger.buy("c")
        #expect(try await ledger.database.cardKeyStock(goodsId: ledger.goods.id, now: ledger.clock.now()).reserved == 1)
        _ = try await ledger.paid(third.amountFen)
        #expect(try await ledger.database.cardKey(orderId: third.id)?.secret == "KEY-2")
        #expect(try await ledger.database.cardKey(orderId: second.id) == nil)
        // Nothing left at all: sold out.
        await #expect(throws: PurchaseRefusal.soldOut) { try await ledger.buy("d") }
        let sold = try await ledger.database.cardKeys(goodsId: ledger.goods.id, sold: true, now: ledger.clock.now())
        #expect(Set(sold.map(\.secret)) == ["KEY-1", "KEY-2"])
    }

    @Test("the sweep gives the keys of released slots back, and only of unpaid orders")
    func sweepReturnsKeys() async throws {
        let ledger = try await Self.ledger(keys: 2)
        let paid = try await ledger.buy("a")
        _ = try await ledger.buy("b")
        _ = try await ledger.paid(paid.amountFen)
        ledger.clock.advance(by: 200)
        _ = try await ledger.database.sweepOrders(now: ledger.clock.now())
        let keys = try await ledger.database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT secret, orderId, soldAt FROM cardKey ORDER BY id")
        }
        #expect(keys.map { $0["orderId"] as String? } == [paid.id, nil])
        #expect((keys[0]["soldAt"] as Date?) != nil)
    }

    @Test("a 补单 of an order whose key went to another buyer takes a free key, or is refused when none is left")
    func manualNeedsAKey() async throws {
        let ledger = try await Self.ledger(keys: 1)
        let first = try await ledger.buy("a")
        ledger.clock.advance(by: 91)  // expired and past the grace: its key is free again
        let second = try await ledger.buy("b")
        await #expect(throws: OrderChangeError.noKeyLeft) {
            try await ledger.database.markOrderPaid(id: first.id, clock: ledger.clock, holding: ledger.holding)
        }
        #expect(try await ledger.database.order(id: first.id)?.status != .paid, "nothing half-done")
        _ = try await ledger.database.addCardKeys(goodsId: ledger.goods.id, lines: ["KEY-NEW"], now: ledger.clock.now())
        let paid = try await ledger.database.markOrderPaid(id: first.id, clock: ledger.clock, holding: ledger.holding)
        #expect(paid.status == .paid)
        #expect(try await ledger.database.cardKey(orderId: first.id)?.secret == "KEY-NEW")
        _ = try await ledger.paid(second.amountFen)
        #expect(try await ledger.database.cardKey(orderId: second.id)?.secret == "KEY-1")
    }
}
