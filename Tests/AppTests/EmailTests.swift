import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Mail
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Email delivery and lookup")
struct EmailTests {
    /// A shop that mails through `transport`, selling card keys `KEY-1`, `KEY-2`.
    static func shop(
        _ transport: RecordingMailTransport, emailRequired: Bool = false
    ) async throws -> (Shop, OutboxWorker) {
        let shop = try await Shop.make(
            ["http.baseURL": .string("https://pay.example.com")],
            mailer: Mailer(from: "小店 <shop@example.com>", transport: transport))
        _ = try await shop.services.database.updateGoods(
            id: shop.goods.id,
            with: GoodsDraft(
                name: "会员", price: Money(fen: 100), delivery: "Activate at example.com", deliveryMode: .cardKeys,
                emailRequired: emailRequired))
        _ = try await shop.services.database.addCardKeys(
            goodsId: shop.goods.id, lines: ["KEY-1", "KEY-2"], now: shop.clock.now())
        let worker = OutboxWorker(
            services: shop.services, mailer: shop.services.mailer!, logger: Logger(label: "test"))
        return (shop, worker)
    }

    @Test("a paid order's email goes to its buyer, in the buyer's language, with its own key and its link")
    func orderEmail() async throws {
        let transport = RecordingMailTransport()
        let (shop, worker) = try await Self.shop(transport)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(
                try await Shop.order(
                    client, goods: shop.goods.id, email: " Buyer@Example.com ",
                    headers: [.acceptLanguage: "zh-CN,zh;q=0.9"]))
            let id = try #require(order["id"] as? String)
            // Nothing is owed before the payment.
            #expect(try await worker.deliverDue() == 0)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            #expect(try await worker.deliverDue() == 1)
            let sent = await transport.sent
            let message = try #require(sent.first)
            #expect(sent.count == 1)
            #expect(message.to == "buyer@example.com")
            #expect(message.from == "小店 <shop@example.com>")
            #expect(message.subject.contains(id) && message.subject.contains("已支付"))
            let key = try #require(try await shop.services.database.cardKey(orderId: id)?.secret)
            #expect(message.body.contains(key))
            #expect(!message.body.contains(key == "KEY-1" ? "KEY-2" : "KEY-1"))
            #expect(message.body.contains("https://pay.example.com/pay/\(id)"))
            #expect(message.body.contains("感谢您购买「会员」"))
            // Sent once: the next look finds nothing due.
            #expect(try await worker.deliverDue() == 0)
            let messages = try await shop.services.database.outboxMessages(orderId: id)
            #expect(messages.map(\.0.state) == [.sent])
        }
    }

    @Test("a refused attempt is retried after the schedule's first delay, and the seller sees every attempt")
    func retry() async throws {
        let transport = RecordingMailTransport(failures: 1)
        let (shop, worker) = try await Self.shop(transport)
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com"))
            let id = try #require(order["id"] as? String)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            #expect(try await worker.deliverDue() == 1)
            #expect(await transport.sent.isEmpty)
            var (message, attempts) = try #require(try await shop.services.database.outboxMessages(orderId: id).first)
            // A pending email cannot be doubled by sending it again.
            #expect(
                try await shop.services.database.resendOutboxMessage(
                    id: message.id!, orderId: id, now: shop.clock.now()) == false)
            #expect(message.state == .pending && message.attempts == 1)
            #expect(message.nextAttemptAt == shop.clock.now().addingTimeInterval(15))
            #expect(attempts.map(\.succeeded) == [false])
            #expect(attempts[0].detail.contains("451 try again later"))
            // Not before its time.
            shop.clock.advance(by: 14)
            #expect(try await worker.deliverDue() == 0)
            shop.clock.advance(by: 1)
            #expect(try await worker.deliverDue() == 1)
            #expect(await transport.sent.count == 1)
            (message, attempts) = try #require(try await shop.services.database.outboxMessages(orderId: id).first)
            #expect(message.state == .sent && attempts.map(\.succeeded) == [false, true])

            var seller = Browser(client)
            _ = try await seller.logIn()
            var page = String(buffer: try await seller.get("/admin/orders/\(id)").body)
            #expect(page.contains("buyer@example.com") && page.contains("451 try again later"))
            #expect(page.contains(">sent<"))
            // Sent again by hand: the same content, from the start of the schedule.
            let resend = try await seller.post("/admin/orders/\(id)/emails/\(message.id!)/resend", form: [])
            #expect(resend.status == .seeOther || resend.status == .found)
            #expect(try await worker.deliverDue() == 1)
            let sent = await transport.sent
            #expect(sent.count == 2 && sent[0].body == sent[1].body && sent[0].subject == sent[1].subject)
            page = String(buffer: try await seller.get("/admin/orders/\(id)").body)
            #expect(page.contains(">sent<"))
            // Another order's email, or none, is not this order's to resend.
            let again = try await seller.post("/admin/orders/\(id)/emails/999/resend", form: [])
            #expect(again.status == .conflict)
        }
    }

    @Test("after the whole schedule an email has failed, and it is not tried again")
    func givesUp() async throws {
        let transport = RecordingMailTransport(failures: 100)
        let (shop, worker) = try await Self.shop(transport)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com"))
            let id = try #require(order["id"] as? String)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            for delay in [0] + RetrySchedule.standard.delays {
                shop.clock.advance(by: delay)
                #expect(try await worker.deliverDue() == 1)
            }
            shop.clock.advance(by: 100_000)
            #expect(try await worker.deliverDue() == 0)
            #expect(await transport.tries == 10)
            let (message, attempts) = try #require(try await shop.services.database.outboxMessages(orderId: id).first)
            #expect(message.state == .failed && attempts.count == 10)
        }
    }

    @Test("goods that require an email refuse a purchase without one, or with a malformed one")
    func emailRequired() async throws {
        let (shop, _) = try await Self.shop(RecordingMailTransport(), emailRequired: true)
        try await TestServices.test(shop.services) { client in
            let page = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(page.contains(#"name="email" autocomplete="email" required"#))
            let missing = try await Shop.order(client, goods: shop.goods.id)
            #expect(missing.status == .unprocessableContent)
            #expect(
                try Shop.json(missing)["message"] as? String
                    == "These goods need your email: what you buy is sent to it once paid.")
            for bad in ["buyer", "a@b", "buyer@example.com\r\nBcc: x@example.com"] {
                let response = try await Shop.order(client, goods: shop.goods.id, email: bad)
                #expect(response.status == .unprocessableContent, "\(bad)")
            }
            // Refusals hold no slot and no key.
            let stock = try await shop.services.database.cardKeyStock(goodsId: shop.goods.id, now: shop.clock.now())
            #expect(stock.available == 2)
            #expect(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com").status == .created)
        }
    }

    @Test("without mail.host no email is asked for, kept or queued")
    func noMail() async throws {
        let shop = try await Shop.make()
        _ = try await shop.services.database.updateGoods(
            id: shop.goods.id, with: GoodsDraft(name: "Book", price: Money(fen: 100), emailRequired: true))
        try await TestServices.test(shop.services) { client in
            let page = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(!page.contains(#"name="email""#))
            let lookup = String(buffer: try await client.execute(uri: "/orders", method: .get).body)
            #expect(!lookup.contains(#"name="email""#))
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com"))
            let id = try #require(order["id"] as? String)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            #expect(try await shop.services.database.order(id: id)?.buyerEmail == nil)
            #expect(try await shop.services.database.outboxMessages(orderId: id).isEmpty)
            #expect(shop.services.mailer == nil)
        }
    }

    @Test("a lookup by email mails the links of its paid orders, never lists them, and is limited")
    func lookupByEmail() async throws {
        let transport = RecordingMailTransport()
        let (shop, worker) = try await Self.shop(transport)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com"))
            let id = try #require(order["id"] as? String)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            try await worker.deliverDue()

            var buyer = Browser(client)
            let answer = try await buyer.post("/orders", form: [("email", "Buyer@example.com")])
            let page = String(buffer: answer.body)
            #expect(answer.status == .ok)
            #expect(page.contains("If this address has paid orders"))
            #expect(!page.contains(id))
            // An address with no orders gets the same answer, and nothing is sent to it.
            let unknown = String(buffer: try await buyer.post("/orders", form: [("email", "other@example.com")]).body)
            #expect(unknown.contains("If this address has paid orders"))
            #expect(try await worker.deliverDue() == 1)
            let sent = await transport.sent
            #expect(sent.count == 2)
            #expect(sent[1].to == "buyer@example.com" && sent[1].body.contains("https://pay.example.com/pay/\(id)"))
            // One lookup email per mailbox in ten minutes.
            _ = try await buyer.post("/orders", form: [("email", "buyer@example.com")])
            #expect(try await worker.deliverDue() == 0)
            // A few lookups an hour per address, then 429.
            let bad = try await buyer.post("/orders", form: [("email", "not-an-address")])
            #expect(bad.status == .unprocessableContent)
            _ = try await buyer.post("/orders", form: [("email", "c@example.com")])
            _ = try await buyer.post("/orders", form: [("email", "d@example.com")])
            let limited = try await buyer.post("/orders", form: [("email", "e@example.com")])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // Without the page's token, nothing is done.
            let forged = try await buyer.post("/orders", form: [("email", "buyer@example.com")], csrf: .some(nil))
            #expect(forged.status == .forbidden)
        }
    }

    @Test("an address that cannot be a recipient fails at once, without a retry")
    func undeliverableRecipient() async throws {
        let transport = RecordingMailTransport()
        let (shop, worker) = try await Self.shop(transport)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, email: "buyer@example.com"))
            let id = try #require(order["id"] as? String)
            // As an order made before addresses were checked could hold it.
            try await shop.services.database.writer.write { db in
                try db.execute(
                    sql: #"UPDATE "order" SET buyerEmail = ? WHERE id = ?"#,
                    arguments: ["a@example.com>\r\nRCPT TO:<b@example.com", id])
            }
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            #expect(try await worker.deliverDue() == 1)
            #expect(await transport.tries == 0)
            let (message, attempts) = try #require(try await shop.services.database.outboxMessages(orderId: id).first)
            #expect(message.state == .failed && attempts.map(\.detail) == ["not a deliverable address"])
        }
    }
}
