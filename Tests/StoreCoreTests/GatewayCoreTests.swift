import Foundation
import GRDB
import TestSupport
import Testing

@testable import StoreCore

@Suite("Merchant orders in the ledger")
struct GatewayCoreTests {
    static func request(
        _ merchant: Merchant, _ number: String, price: Int = 100, type: PayType = .wechat
    ) -> MerchantOrderRequest {
        MerchantOrderRequest(
            merchant: merchant, gateway: .vmq, outTradeNo: number, type: type, rawType: type == .wechat ? "1" : "2",
            price: Money(fen: price), rawPrice: Money(fen: price).description, notifyUrl: "https://shop.example/n")
    }

    @Test("merchant orders take slots beside the goods' orders, upwards with amountDirection up, never twice")
    func slots() async throws {
        let ledger = try await Ledger(stocked: Array(95...110))
        let merchant = try await ledger.database.createMerchant(name: "shop", now: ledger.clock.now())
        #expect(merchant.pid == 1001)
        let sale = try await ledger.allocator.purchase(
            PurchaseRequest(goodsId: ledger.goods.id, type: .wechat, buyerToken: "b", buyerAddress: "a"))
        #expect(sale.amountFen == 100)
        var amounts: Set<Int> = [sale.amountFen]
        for number in 1...10 {
            let created = try await ledger.allocator.createMerchantOrder(
                Self.request(merchant, "up-\(number)"), direction: .up)
            #expect(created.order.amountFen >= 100 && created.order.amountFen <= 110 && created.order.goodsId == nil)
            #expect(amounts.insert(created.order.amountFen).inserted)
            #expect(created.merchantOrder.tradeNo.count == 20 && created.merchantOrder.tradeNo.allSatisfy(\.isNumber))
        }
        // 100 … 110 are all held now: an eleventh upward order is busy, a downward one is not.
        await #expect(throws: MerchantOrderRefusal.self) {
            try await ledger.allocator.createMerchantOrder(Self.request(merchant, "up-11"), direction: .up)
        }
        let down = try await ledger.allocator.createMerchantOrder(Self.request(merchant, "down-1"), direction: .down)
        #expect(down.order.amountFen < 100 && down.order.amountFen >= 95)
    }

    @Test("the same merchant order number: the same waiting order, or refused once paid or changed")
    func repeatedNumbers() async throws {
        let ledger = try await Ledger(stocked: Array(90...100))
        let merchant = try await ledger.database.createMerchant(name: "shop", now: ledger.clock.now())
        let other = try await ledger.database.createMerchant(name: "other", now: ledger.clock.now())
        #expect(other.pid == 1002)
        let first = try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A"), direction: .down)
        let again = try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A"), direction: .down)
        #expect(again == first)
        // Another merchant's "A" is its own order.
        let theirs = try await ledger.allocator.createMerchantOrder(Self.request(other, "A"), direction: .down)
        #expect(theirs.order.id != first.order.id)
        await #expect(throws: MerchantOrderRefusal.orderNumberTaken) {
            try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A", price: 90), direction: .down)
        }
        await #expect(throws: MerchantOrderRefusal.orderNumberTaken) {
            try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A", type: .alipay), direction: .down)
        }
        // The same number through the other protocol is not that order (its notification's format).
        var viaEPay = Self.request(merchant, "A")
        viaEPay.gateway = .epay
        await #expect(throws: MerchantOrderRefusal.orderNumberTaken) {
            try await ledger.allocator.createMerchantOrder(viaEPay, direction: .down)
        }
        _ = try await ledger.matcher.record(
            ListenerPush(
                type: .wechat, amount: first.order.amount, rawAmount: first.order.amount.description, source: .notify,
                rawRequest: "test", remoteAddress: nil))
        await #expect(throws: MerchantOrderRefusal.alreadyPaid) {
            try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A"), direction: .down)
        }
        // Paid by the push: the notification is queued in the same transaction, signed.
        let queued = try await ledger.database.dueOutboxMessages(now: ledger.clock.now())
        #expect(queued.map(\.kind) == [.merchantNotify] && queued[0].orderId == first.order.id)
        #expect(queued[0].recipient.hasPrefix("https://shop.example/n?payId=A&param=&type=1&price=1.00&reallyPrice="))
        #expect(try await ledger.database.notificationState(orderId: first.order.id) == .pending)
    }

    @Test("an order paid by hand (补单) is notified as well; one without a notify URL is not")
    func paidByHand() async throws {
        let ledger = try await Ledger(stocked: Array(90...100))
        let merchant = try await ledger.database.createMerchant(name: "shop", now: ledger.clock.now())
        let notified = try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A"), direction: .down)
        var silent = Self.request(merchant, "B")
        silent.notifyUrl = nil
        let quiet = try await ledger.allocator.createMerchantOrder(silent, direction: .down)
        for order in [notified.order, quiet.order] {
            _ = try await ledger.database.markOrderPaid(id: order.id, clock: ledger.clock, holding: ledger.holding)
        }
        let queued = try await ledger.database.dueOutboxMessages(now: ledger.clock.now())
        #expect(queued.map(\.orderId) == [notified.order.id])
        #expect(try await ledger.database.notificationState(orderId: quiet.order.id) == nil)
    }

    @Test(
        "web addresses and private addresses",
        arguments: [
            ("127.0.0.1", true), ("10.0.0.8", true), ("172.16.5.4", true), ("172.32.0.1", false), ("192.168.0.1", true),
            ("169.254.1.1", true), ("0.0.0.0", true), ("100.64.0.1", true), ("8.8.8.8", false), ("::1", true),
            ("::", true), ("fc00::1", true), ("fd12::1", true), ("fe80::1%eth0", true), ("2001:db8::1", false),
            ("::ffff:127.0.0.1", true), ("::ffff:8.8.8.8", false), ("example.com", nil),
        ] as [(String, Bool?)])
    func privateAddresses(address: String, isPrivate: Bool?) {
        #expect(PrivateAddress.isPrivate(address) == isPrivate)
    }

    @Test("only http and https addresses with a host are web addresses")
    func webAddresses() {
        #expect(WebAddress("https://Shop.Example:8443/n?x=1")?.host == "shop.example")
        #expect(WebAddress("https://Shop.Example:8443/n")?.port == 8443)
        #expect(WebAddress("http://[::1]:80/")?.host == "::1")
        let long = "https://a.example/" + String(repeating: "x", count: 2000)
        #expect(WebAddress(long) != nil && WebAddress.given(long) == nil)
        for bad in [
            "ftp://a/", "javascript:alert(1)", "http:///x", "https://user:pw@a.example/", "http://a b/", "",
            "https://a.example/n#top",
        ] {
            #expect(WebAddress(bad) == nil, "\(bad)")
        }
    }

    @Test("emails left pending without a mail server never hold up merchant notifications")
    func emailsDoNotBlockNotifications() async throws {
        let ledger = try await Ledger(stocked: [100])
        let past = ledger.clock.now().addingTimeInterval(-3600)
        try await ledger.database.writer.write { db in
            for n in 0..<30 {
                var email = OutboxMessage(
                    kind: .lookupEmail, recipient: "b\(n)@example.com", state: .pending, attempts: 0,
                    nextAttemptAt: past, createdAt: past)
                try email.insert(db)
            }
        }
        let merchant = try await ledger.database.createMerchant(name: "shop", now: ledger.clock.now())
        let order = try await ledger.allocator.createMerchantOrder(Self.request(merchant, "A"), direction: .down)
        _ = try await ledger.database.markOrderPaid(id: order.order.id, clock: ledger.clock, holding: ledger.holding)
        let due = try await ledger.database.dueOutboxMessages(now: ledger.clock.now(), kinds: [.merchantNotify])
        #expect(due.map(\.orderId) == [order.order.id])
        #expect(try await ledger.database.nextOutboxAttempt(kinds: [.merchantNotify]) == ledger.clock.now())
        #expect(try await ledger.database.nextOutboxAttempt() == past)
        #expect(try await ledger.database.dueOutboxMessages(now: ledger.clock.now()).count == 20)
    }

    @Test("v9 keeps the outbox's messages and attempts, and trade numbers must be digits")
    func v9() async throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v8: channels and generic codes")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (kind, recipient, state, attempts, nextAttemptAt, createdAt)
                        VALUES ('lookupEmail', 'a@example.com', 'failed', 10, '2026-11-01', '2026-11-01');
                    INSERT INTO outboxAttempt (outboxId, at, succeeded, detail) VALUES (1, '2026-11-01', 0, '451');
                    """)
        }
        let database = try AppDatabase(queue)
        let overview = try await database.outboxOverview()
        #expect(overview.count == 1 && overview[0].0.recipient == "a@example.com" && overview[0].1?.detail == "451")
        #expect(overview[0].1?.status == nil)
        let merchant = try await database.createMerchant(name: "shop", now: Date())
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO "order" (id, type, priceFen, amountFen, status, holdsSlot, slotReleaseAt,
                        createdAt, expiresAt)
                    VALUES ('open00000000000000001', 'wechat', 100, 109, 'pending', 0, '2026-11-01',
                        '2026-11-01', '2026-11-01');
                    INSERT INTO merchantOrder (orderId, pid, gateway, outTradeNo, tradeNo, rawType, rawPrice)
                    VALUES ('open00000000000000001', \(merchant.pid), 'vmq', 'A', '20261101000000123456', '1', '1');
                    """)
        }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO merchantOrder (orderId, pid, gateway, outTradeNo, tradeNo, rawType, rawPrice)
                        VALUES ('open00000000000000001', \(merchant.pid), 'vmq', 'B', '2026110100000012345x', '1', '1')
                        """)
            }
        }
        // An order for goods is still never above its price.
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO goods (id, name, priceFen, createdAt, updatedAt)
                            VALUES ('goods0000000000000001', 'Book', 100, '2026-11-01', '2026-11-01');
                        INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, status, holdsSlot, slotReleaseAt,
                            createdAt, expiresAt)
                        VALUES ('open00000000000000002', 'goods0000000000000001', 'wechat', 100, 101, 'pending', 0,
                            '2026-11-01', '2026-11-01', '2026-11-01');
                        """)
            }
        }
    }
}
