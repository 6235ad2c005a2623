import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Buying and paying")
struct PurchaseTests {
    @Test("an order gets the list price first, then unique lower amounts, then a clean 503 with Retry-After")
    func slots() async throws {
        let shop = try await Shop.make(amounts: [100, 99], ["order.maxPendingPerBuyer": .int(10)])
        try await TestServices.test(shop.services) { client in
            let first = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            #expect(first["amount"] as? String == "1.00" && first["discount"] as? String == "0.00")
            #expect(first["status"] as? String == "pending" && first["payUrl"] as? String == "wxp://wechat-100")
            #expect((first["qr"] as? String)?.hasSuffix("/qr.png") == true)
            let second = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            #expect(second["amount"] as? String == "0.99" && second["discount"] as? String == "0.01")
            let busy = try await Shop.order(client, goods: shop.goods.id)
            #expect(busy.status == .serviceUnavailable)
            #expect(Int(busy.headers[.retryAfter] ?? "") ?? 0 > 400)
            #expect(try Shop.json(busy)["error"] as? String == "busy")
            // The other wallet has its own slots.
            let alipay = try Shop.json(try await Shop.order(client, goods: shop.goods.id, type: "alipay"))
            #expect(alipay["amount"] as? String == "1.00")
        }
    }

    @Test("refusals: unknown goods 404, bad input 422, not stocked 409, too many pending 429")
    func refusals() async throws {
        let shop = try await Shop.make(amounts: [100])
        let unstocked = try await shop.services.database.createGoods(GoodsDraft(name: "Big", price: Money(fen: 5000)))
        try await TestServices.test(shop.services) { client in
            #expect(try await Shop.order(client, goods: Nanoid.make()).status == .notFound)
            #expect(try await Shop.order(client, goods: shop.goods.id, type: "paypal").status == .unprocessableContent)
            let notStocked = try await Shop.order(client, goods: unstocked.id)
            #expect(notStocked.status == .conflict)
            #expect((try Shop.json(notStocked)["message"] as? String)?.contains("not uploaded") == true)
            let missing = try await client.execute(
                uri: "/api/orders", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(missing.status == .unprocessableContent)
            _ = try await Shop.order(client, goods: shop.goods.id)
            _ = try await Shop.order(client, goods: shop.goods.id, type: "alipay")
            let third = try await Shop.order(client, goods: unstocked.id)
            #expect(third.status == .tooManyRequests)
            // The same goods and wallet again: the buyer gets the pending order back.
            #expect(try await Shop.order(client, goods: shop.goods.id).status == .created)
        }
    }

    @Test("a signed notify marks the order paid; its status then carries the delivery")
    func notifyPays() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let id = try #require(order["id"] as? String)
            let pending = try Shop.json(try await client.execute(uri: "/api/orders/\(id)", method: .get))
            #expect(pending["status"] as? String == "pending" && pending["delivery"] == nil)
            let answer = try Shop.json(try await Shop.notify(client, price: "1.00"))
            #expect(answer["code"] as? Int == 1 && answer["wait"] as? Int == 3)
            let paid = try Shop.json(try await client.execute(uri: "/api/orders/\(id)", method: .get))
            #expect(
                paid["status"] as? String == "paid" && paid["delivery"] as? String == "https://example.com/download/42")
            #expect(paid["paidAt"] != nil)
            // The QR is only served while the order waits for payment.
            #expect(try await client.execute(uri: "/pay/\(id)/qr.png", method: .get).status == .notFound)
            // Unmatched and duplicate pushes are recorded, and answered code 1.
            let again = try Shop.json(try await Shop.notify(client, price: "1.00"))
            #expect(again["code"] as? Int == 1 && (again["msg"] as? String)?.contains("duplicate") == true)
            let stray = try Shop.json(try await Shop.notify(client, price: "0.50"))
            #expect((stray["msg"] as? String)?.contains("no matching order") == true)
            let outcomes = try await shop.services.database.payments().map(\.outcome)
            #expect(Set(outcomes) == [.matched, .duplicate, .unmatched])
        }
    }

    @Test("a waiting status request answers as soon as the payment arrives")
    func longPoll() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            async let waited = client.execute(uri: "/api/orders/\(id)?wait=20", method: .get)
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            _ = try await Shop.notify(client, price: "1.00")
            let status = try Shop.json(try await waited)
            #expect(status["status"] as? String == "paid")
            #expect(ContinuousClock.now - started < .seconds(5), "woken by the payment, not by the 20 s timeout")
        }
    }

    @Test("expiry and late grace with a short lifetime")
    func expiryAndGrace() async throws {
        let shop = try await Shop.make(amounts: [100], ["order.ttl": .int(1), "order.lateGrace": .int(2)])
        try await TestServices.test(shop.services) { client in
            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            shop.clock.advance(by: 1.3)
            let expired = try Shop.json(try await client.execute(uri: "/api/orders/\(id)", method: .get))
            #expect(expired["status"] as? String == "expired")
            // Inside the grace the amount is still held: nobody else gets it, and a payment is late.
            #expect(try await Shop.order(client, goods: shop.goods.id).status == .serviceUnavailable)
            let late = try Shop.json(try await Shop.notify(client, price: "1.00"))
            #expect((late["msg"] as? String)?.contains("late payment") == true)
            #expect(try await shop.services.database.order(id: id)?.paidLate == true)
        }
    }

    @Test("a slot frees after expiry plus grace; a payment then is unmatched")
    func afterGrace() async throws {
        let shop = try await Shop.make(amounts: [100], ["order.ttl": .int(1), "order.lateGrace": .int(1)])
        try await TestServices.test(shop.services) { client in
            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            shop.clock.advance(by: 2.2)
            let stray = try Shop.json(try await Shop.notify(client, price: "1.00"))
            #expect((stray["msg"] as? String)?.contains("no matching order") == true)
            #expect(try await shop.services.database.order(id: id)?.status(at: shop.clock.now()) == .expired)
            #expect(try await Shop.order(client, goods: shop.goods.id).status == .created)
        }
    }

    @Test("the product page's form buys and redirects to the pay page, which shows the amount and the code")
    func buyFromPage() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            var browser = Browser(client)
            _ = try await browser.get("/goods/\(shop.goods.id)")
            let bought = try await browser.post("/goods/\(shop.goods.id)/buy", form: [("type", "alipay")])
            #expect(bought.status == .seeOther)
            let location = try #require(bought.headers[.location])
            #expect(location.hasPrefix("/pay/"))
            let page = String(buffer: try await browser.get(location).body)
            #expect(page.contains("¥ 1.00") && page.contains("Pay exactly"))
            #expect(
                page.contains(
                    "alipays://platformapi/startapp?saId=10000007&amp;qrcode=https%3A%2F%2Fqr%2Ealipay%2Ecom%2Falipay%2D100"
                ))
            let image = try await browser.get(location + "/qr.png")
            #expect(image.status == .ok && image.headers[.contentType] == "image/png")
            #expect(
                try await browser.post("/goods/\(shop.goods.id)/buy", form: [("type", "wechat")], csrf: .some(nil))
                    .status == .forbidden)
            #expect(try await browser.get("/pay/\(Nanoid.make())").status == .notFound)
        }
    }
}

@Suite("Order lookup")
struct OrderLookupTests {
    @Test("an order number leads to its page; an unknown or malformed one is told, in the buyer's language")
    func lookup() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            let form = try await client.execute(uri: "/orders", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(form.status == .ok && String(buffer: form.body).contains("查询订单"))
            let found = try await client.execute(uri: "/orders?order=%20\(id)%20", method: .get)
            #expect(found.status == .seeOther && found.headers[.location] == "/pay/\(id)")
            for unknown in [Nanoid.make(), "..%2F..%2Fetc", "<script>"] {
                let answer = try await client.execute(uri: "/orders?order=\(unknown)", method: .get)
                #expect(answer.status == .notFound)
                #expect(String(buffer: answer.body).contains("There is no order with that number."))
                #expect(!String(buffer: answer.body).contains("<script>"))
            }
        }
    }
}
