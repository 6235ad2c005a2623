import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

/// The ways real buyers, listeners and other websites could make money land on the wrong order,
/// tried over HTTP.
@Suite("Money safety over HTTP")
struct MoneySafetyTests {
    /// A signed protocol-B push of `price` at the shop's clock.
    static func appPush(
        _ client: any TestClientProtocol, _ shop: Shop, price: String, t: String? = nil
    )
        async throws -> [String: Any]
    {
        let t = t ?? String(Int(shop.clock.now().timeIntervalSince1970 * 1000))
        let sign = ListenerSignature(secret: TestServices.listenerSecret).pushSign(type: "1", price: price, t: t)
        return try Shop.json(
            try await client.execute(uri: "/appPush?t=\(t)&type=1&price=\(price)&sign=\(sign)", method: .get))
    }

    static func status(_ client: any TestClientProtocol, _ id: String) async throws -> [String: Any] {
        try Shop.json(try await client.execute(uri: "/api/orders/\(id)", method: .get))
    }

    @Test("a repeated protocol-A push after a match is a duplicate; the next buyer is not paid by it")
    func repeatedNotify() async throws {
        let shop = try await Shop.make(amounts: [200], price: 200)
        try await TestServices.test(shop.services) { client in
            let first = try #require(
                try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: nil))["id"] as? String)
            #expect(try Shop.json(try await Shop.notify(client, price: "2.00"))["code"] as? Int == 1)
            shop.clock.advance(by: 1)
            // The next buyer is not handed the amount that was just paid …
            let next = try await Shop.order(client, goods: shop.goods.id, buyer: nil)
            #expect(next.status == .serviceUnavailable)
            // … so the listener's repeat of the push is recorded as a duplicate, and pays nobody.
            let repeated = try Shop.json(try await Shop.notify(client, price: "2.00"))
            #expect((repeated["msg"] as? String)?.contains("duplicate") == true)
            let payments = try await shop.services.database.payments()
            #expect(payments.map(\.outcome).sorted { $0.rawValue < $1.rawValue } == [.duplicate, .matched])
            #expect(payments.allSatisfy { $0.orderId == first })
        }
    }

    @Test("a repeated protocol-B push (a new t) after a match is a duplicate too")
    func repeatedAppPush() async throws {
        let shop = try await Shop.make(amounts: [200], price: 200)
        try await TestServices.test(shop.services) { client in
            let first = try #require(
                try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: nil))["id"] as? String)
            #expect(try await Self.appPush(client, shop, price: "2.00")["code"] as? Int == 1)
            shop.clock.advance(by: 1)
            #expect(try await Shop.order(client, goods: shop.goods.id, buyer: nil).status == .serviceUnavailable)
            let repeated = try await Self.appPush(client, shop, price: "2.00")
            #expect(repeated["code"] as? Int == 1 && (repeated["msg"] as? String)?.contains("duplicate") == true)
            // The same request again is a replay, refused and not stored.
            let t = String(Int(shop.clock.now().timeIntervalSince1970 * 1000))
            #expect(try await Self.appPush(client, shop, price: "2.00", t: t)["code"] as? Int == -1)
            #expect(try await shop.services.database.payments().allSatisfy { $0.orderId == first })
            // Once the window has passed, the amount goes to the next buyer and a new push pays them.
            shop.clock.advance(by: 120)
            let second = try #require(
                try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: nil))["id"] as? String)
            #expect(try await Self.appPush(client, shop, price: "2.00")["code"] as? Int == 1)
            #expect(try await Self.status(client, second)["status"] as? String == "paid")
        }
    }

    @Test("a closed order's amount is not the next buyer's, so a payment on its way pays the closed order")
    func closeThenRebuy() async throws {
        let shop = try await Shop.make(amounts: [200], price: 200)
        try await TestServices.test(shop.services) { client in
            let closed = try #require(
                try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: nil))["id"] as? String)
            #expect(try await AdminAPITests.send(client, "/admin/api/orders/\(closed)/close", .post).status == .ok)
            let rebuy = try await Shop.order(client, goods: shop.goods.id, buyer: nil)
            #expect(rebuy.status == .serviceUnavailable)
            #expect(rebuy.headers[.retryAfter] == "120")
            let late = try Shop.json(try await Shop.notify(client, price: "2.00"))
            #expect((late["msg"] as? String)?.contains("late payment") == true)
            #expect(try await shop.services.database.order(id: closed)?.paidLate == true)
        }
    }

    @Test("three buyers behind one address get three orders, each their own")
    func threeBuyersOneAddress() async throws {
        let shop = try await Shop.make(["order.maxPendingPerBuyer": .int(1)])
        try await TestServices.test(shop.services) { client in
            var ids: [String] = []
            var browsers: [Browser] = []
            for _ in 0..<3 {
                var browser = Browser(client)
                let page = try await browser.get("/goods/\(shop.goods.id)")
                #expect(
                    page.headers[values: .setCookie].contains {
                        $0.hasPrefix("qrstore_buyer=") && $0.contains("HttpOnly")
                    })
                let bought = try await browser.post("/goods/\(shop.goods.id)/buy", form: [("type", "wechat")])
                #expect(bought.status == .seeOther)
                ids.append(String(try #require(bought.headers[.location]).dropFirst("/pay/".count)))
                browsers.append(browser)
            }
            #expect(Set(ids).count == 3)
            // Buying again hands each buyer their own order back, never a neighbour's.
            for (index, var browser) in browsers.enumerated() {
                let again = try await browser.post("/goods/\(shop.goods.id)/buy", form: [("type", "wechat")])
                #expect(again.headers[.location] == "/pay/\(ids[index])")
            }
            let orders = try await shop.services.database.orders(now: shop.clock.now())
            #expect(Set(orders.compactMap(\.buyerToken)).count == 3)
            #expect(Set(orders.map(\.amountFen)).count == 3)
        }
    }

    @Test("another site's urlencoded form cannot reserve amounts through /api/orders")
    func crossSiteForm() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            for contentType in ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"] {
                let forged = try await client.execute(
                    uri: "/api/orders", method: .post,
                    headers: [.contentType: contentType, .origin: "https://evil.example"],
                    body: ByteBuffer(string: "goods=\(shop.goods.id)&type=wechat"))
                #expect(forged.status == .forbidden || forged.status == .unsupportedMediaType, "\(contentType)")
            }
            #expect(try await shop.services.database.orders(now: shop.clock.now()).isEmpty)
            // The product page's own form, with its token, works.
            var browser = Browser(client)
            _ = try await browser.get("/goods/\(shop.goods.id)")
            let own = try await browser.post("/api/orders", form: [("goods", shop.goods.id), ("type", "wechat")])
            #expect(own.status == .created)
        }
    }

    @Test("with listener.protocolA off, protocol A answers its own JSON refusal and records nothing")
    func protocolAOff() async throws {
        let shop = try await Shop.make(["listener.protocolA": .bool(false)])
        try await TestServices.test(shop.services) { client in
            _ = try await Shop.order(client, goods: shop.goods.id)
            let answer = try await Shop.notify(client, price: "1.00")
            #expect(answer.status == .notFound)
            #expect(try Shop.json(answer)["code"] as? Int == 0)
            #expect(try await shop.services.database.payments().isEmpty)
            #expect(try await Self.appPush(client, shop, price: "1.00")["code"] as? Int == 1)
        }
    }

    @Test("a listener request with a body too large is still answered in the protocol's JSON")
    func listenerErrorsAreJSON() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let answer = try await client.execute(
                uri: "/appPush", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: String(repeating: "a", count: 100_000)))
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try Shop.json(answer)["code"] as? Int == -1)
        }
    }

    @Test("pages send a content security policy, refuse framing and send no referrer")
    func securityHeaders() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            for path in ["/", "/goods/\(shop.goods.id)", "/admin/login", "/nowhere"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
        }
    }

    @Test("bad API tokens are throttled per address, like bad passwords")
    func apiTokenThrottle() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            for _ in 0..<5 {
                let bad = try await client.execute(
                    uri: "/admin/api/goods", method: .get, headers: [.authorization: "Bearer guess"])
                #expect(bad.status == .unauthorized)
            }
            let locked = try await client.execute(
                uri: "/admin/api/goods", method: .get, headers: [.authorization: "Bearer guess"])
            #expect(locked.status == .tooManyRequests && locked.headers[.retryAfter] != nil)
        }
    }

    @Test("today's figures follow site.timeZone")
    func todayInTimeZone() async throws {
        // The order is made at 14:30 UTC, and asked about at 15:30 UTC on 2026-03-01: 23:30 the
        // same day in Shanghai, but already 00:30 the next day in Tokyo.
        let asked = Date(timeIntervalSince1970: 1_772_379_000)
        for (zone, orders) in [("Asia/Shanghai", 1), ("Asia/Tokyo", 0)] {
            let clock = ManualClock(asked.addingTimeInterval(-3600))
            let services = try await TestServices.make(["site.timeZone": .string(zone)], clock: clock)
            let goods = try await services.database.createGoods(GoodsDraft(name: "A", price: Money(fen: 100)))
            _ = try await services.database.insertPayCode(
                PayCode(
                    type: .wechat, amountFen: 100, payload: "wxp://tz",
                    originalDigest: String(repeating: "a", count: 64),
                    originalFormat: "png", originalName: "1.00.png", renderedDigest: String(repeating: "b", count: 64),
                    createdAt: clock.now()))
            _ = try await services.allocator.purchase(
                PurchaseRequest(goodsId: goods.id, type: .wechat, buyerToken: "t", buyerAddress: "a"))
            clock.advance(by: 3600)
            try await TestServices.test(services) { client in
                let status = try Shop.json(try await AdminAPITests.send(client, "/admin/api/status", .get))
                #expect((status["today"] as? [String: Any])?["orders"] as? Int == orders, "\(zone)")
            }
        }
    }
}
