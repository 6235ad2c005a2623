import Foundation
import GRDB
import StoreCore
import Testing

@Suite("Slots and matching")
struct OrderTests {
    /// A database with goods at 1.00 and codes for the given amounts (in fen) of WeChat.
    static func store(stocked: [Int], price: Int = 100) throws -> (AppDatabase, Goods) {
        let database = try AppDatabase.inMemory()
        let goods = try database.createGoods(GoodsDraft(name: "Book", price: Money(fen: price), delivery: "the link"))
        for fen in stocked {
            _ = try database.insertPayCode(DatabaseTests.code("wxp://code-\(fen)", fen: fen))
        }
        return (database, goods)
    }

    /// A whole second, as the database keeps milliseconds.
    static let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func buy(_ allocator: SlotAllocator, _ goods: Goods, buyer: String, now: Date = start) throws -> Order {
        try allocator.purchase(PurchaseRequest(goodsId: goods.id, type: .wechat, buyerAddress: buyer), now: now)
    }

    @Test("the list price first, then distinct lower amounts until all stocked ones are held")
    func uniqueAmounts() throws {
        let (database, goods) = try Self.store(stocked: Array(90...100))
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy(maxPendingPerBuyer: 100))
        let first = try Self.buy(allocator, goods, buyer: "a")
        #expect(first.amount == Money(fen: 100) && first.discount == Money(fen: 0) && first.holdsSlot)
        var amounts = [first.amountFen]
        for index in 1...10 { amounts.append(try Self.buy(allocator, goods, buyer: "b\(index)").amountFen) }
        #expect(Set(amounts) == Set(90...100))
        #expect(throws: PurchaseRefusal.busy(retryAfter: 420)) { try Self.buy(allocator, goods, buyer: "c") }
    }

    @Test("the random amount is spread over every free candidate and never an unstocked one")
    func spread() throws {
        // 1.00 taken; 0.99…0.95 stocked; 0.94…0.90 not.
        let (database, goods) = try Self.store(stocked: Array(95...100))
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy(maxPendingPerBuyer: 1000))
        _ = try Self.buy(allocator, goods, buyer: "first")
        var counts: [Int: Int] = [:]
        for draw in 0..<500 {
            let order = try Self.buy(allocator, goods, buyer: "draw\(draw)")
            counts[order.amountFen, default: 0] += 1
            _ = try database.closeOrder(id: order.id)
        }
        #expect(Set(counts.keys) == Set(95...99))
        // 100 expected each; a fair draw stays well inside 60…140.
        #expect(counts.values.allSatisfy { (60...140).contains($0) }, "\(counts)")
    }

    @Test("always-random mode includes the list price; amounts never go below 0.01")
    func alwaysAndFloor() throws {
        let (database, goods) = try Self.store(stocked: [1, 2, 3, 4, 5], price: 5)
        let allocator = SlotAllocator(
            database: database,
            policy: PurchasePolicy(maxDiscount: Money(fen: 10), mode: .always, maxPendingPerBuyer: 100))
        var seen = Set<Int>()
        for draw in 0..<200 {
            let order = try Self.buy(allocator, goods, buyer: "d\(draw)")
            seen.insert(order.amountFen)
            _ = try database.closeOrder(id: order.id)
        }
        #expect(seen == [1, 2, 3, 4, 5])
    }

    @Test("nothing stocked and everything busy are told apart")
    func refusals() throws {
        let (database, goods) = try Self.store(stocked: [80])  // below the 0.10 window of 1.00
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy())
        #expect(throws: PurchaseRefusal.notStocked) { try Self.buy(allocator, goods, buyer: "a") }
        #expect(throws: PurchaseRefusal.unknownGoods) {
            try allocator.purchase(PurchaseRequest(goodsId: Nanoid.make(), type: .wechat, buyerAddress: "a"))
        }
    }

    @Test("a buyer at the limit gets the pending order for the same goods back, or a refusal")
    func buyerLimit() throws {
        let (database, goods) = try Self.store(stocked: Array(90...100))
        let other = try database.createGoods(GoodsDraft(name: "Other", price: Money(fen: 100)))
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy(maxPendingPerBuyer: 2))
        let first = try Self.buy(allocator, goods, buyer: "ip")
        _ = try Self.buy(allocator, other, buyer: "ip")
        #expect(try Self.buy(allocator, goods, buyer: "ip").id == first.id)
        #expect(throws: PurchaseRefusal.tooManyPending(2)) {
            try allocator.purchase(PurchaseRequest(goodsId: goods.id, type: .alipay, buyerAddress: "ip"))
        }
    }

    @Test("payments match the pending order, then late orders; repeats are duplicates; strangers unmatched")
    func matching() throws {
        let (database, goods) = try Self.store(stocked: Array(90...100))
        let allocator = SlotAllocator(
            database: database, policy: PurchasePolicy(ttl: 60, lateGrace: 30, maxPendingPerBuyer: 100))
        let matcher = PaymentMatcher(database: database)
        let start = Self.start
        let onTime = try Self.buy(allocator, goods, buyer: "a", now: start)
        let late = try Self.buy(allocator, goods, buyer: "b", now: start)
        func push(_ fen: Int) -> ListenerPush {
            ListenerPush(
                type: .wechat, amount: Money(fen: fen), rawAmount: Money(fen: fen).description, source: .notify,
                rawRequest: "price=\(Money(fen: fen))&type=wechat", remoteAddress: "1.2.3.4")
        }
        let paid = try matcher.record(push(onTime.amountFen), now: start.addingTimeInterval(10))
        #expect(paid.outcome == .matched && paid.orderId == onTime.id)
        #expect(try database.order(id: onTime.id)?.status == .paid)
        #expect(try database.order(id: onTime.id)?.holdsSlot == false)
        let again = try matcher.record(push(onTime.amountFen), now: start.addingTimeInterval(11))
        #expect(again.outcome == .duplicate && again.orderId == onTime.id)
        #expect(try matcher.record(push(50), now: start.addingTimeInterval(12)).outcome == .unmatched)
        // Past its lifetime but inside the grace: paid, flagged late.
        let latePayment = try matcher.record(push(late.amountFen), now: start.addingTimeInterval(75))
        #expect(latePayment.outcome == .late && latePayment.orderId == late.id)
        #expect(try database.order(id: late.id)?.paidLate == true)
        // Every push was stored, whatever its outcome.
        #expect(try database.payments().count == 4)
        #expect(try database.payments(unmatchedOnly: true).map(\.amountFen) == [50])
    }

    @Test("after the grace the slot is free and a late payment stays unmatched")
    func graceEnds() throws {
        let (database, goods) = try Self.store(stocked: [100])
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy(ttl: 60, lateGrace: 30))
        let start = Self.start
        let order = try Self.buy(allocator, goods, buyer: "a", now: start)
        #expect(throws: PurchaseRefusal.busy(retryAfter: 90)) { try Self.buy(allocator, goods, buyer: "b", now: start) }
        #expect(try database.sweepOrders(now: start.addingTimeInterval(61)) == [order.id])
        #expect(try database.order(id: order.id)?.status == .expired)
        let next = try Self.buy(allocator, goods, buyer: "b", now: start.addingTimeInterval(91))
        #expect(next.amountFen == 100 && next.id != order.id)
    }

    @Test("the seller can mark paid by hand, attach a payment, or close; each only once")
    func manual() throws {
        let (database, goods) = try Self.store(stocked: Array(90...100))
        let allocator = SlotAllocator(database: database, policy: PurchasePolicy(maxPendingPerBuyer: 100))
        let matcher = PaymentMatcher(database: database)
        let first = try Self.buy(allocator, goods, buyer: "a")
        let stray = try matcher.record(
            ListenerPush(
                type: .wechat, amount: Money(fen: 12), rawAmount: "0.12", source: .notify, rawRequest: "",
                remoteAddress: nil))
        let paid = try database.markOrderPaid(id: first.id, paymentId: stray.id)
        #expect(paid.status == .paid && !paid.holdsSlot)
        #expect(try database.payment(id: stray.id!)?.outcome == .attached)
        #expect(throws: OrderChangeError.alreadySettled(.paid)) { try database.markOrderPaid(id: first.id) }
        let second = try Self.buy(allocator, goods, buyer: "b")
        #expect(throws: OrderChangeError.paymentNotAvailable) {
            try database.markOrderPaid(id: second.id, paymentId: stray.id)
        }
        #expect(try database.closeOrder(id: second.id).status == .closed)
        #expect(throws: OrderChangeError.alreadySettled(.closed)) { try database.closeOrder(id: second.id) }
        #expect(throws: OrderChangeError.notFound) { try database.closeOrder(id: Nanoid.make()) }
    }
}
