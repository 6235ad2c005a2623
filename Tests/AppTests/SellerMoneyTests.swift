import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import StoreCore
import Testing

@testable import App

@Suite("The seller's orders, payments and settings")
struct SellerMoneyTests {
    /// A shop, a logged-in browser, and two orders: one paid by the listener, one pending.
    static func withOrders(
        _ body: @escaping @Sendable (inout Browser, Shop, _ paid: String, _ pending: String) async throws -> Void
    ) async throws {
        let shop = try await Shop.make(["order.maxPendingPerBuyer": .int(10)])
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            let paid = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            let pending = try #require(
                try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            _ = try await Shop.notify(client, price: "1.00")
            var browser = Browser(client)
            _ = try await browser.logIn()
            try await body(&browser, shop, paid, pending)
        }
    }

    @Test("the dashboard shows the listener, today's income, pending orders and unmatched payments")
    func dashboard() async throws {
        try await Self.withOrders { browser, shop, _, pending in
            _ = try await Shop.notify(browser.client, price: "0.33")
            let html = String(buffer: try await browser.get("/admin").body)
            #expect(html.contains("<strong>Online</strong>"))
            #expect(html.contains("<strong>¥ 1.00</strong> today, 1 paid of 2 orders"))
            #expect(html.contains("/admin/orders/\(pending)"))
            #expect(html.contains("0.33"))
        }
    }

    @Test("orders are listed and filtered; the detail page marks paid with an attached payment, or closes")
    func orders() async throws {
        try await Self.withOrders { browser, shop, paid, pending in
            let all = String(buffer: try await browser.get("/admin/orders").body)
            #expect(all.contains(paid) && all.contains(pending))
            let onlyPending = String(buffer: try await browser.get("/admin/orders?status=pending").body)
            #expect(onlyPending.contains(pending) && !onlyPending.contains(paid))
            _ = try await Shop.notify(browser.client, price: "0.77")
            let stray = try #require(try await shop.services.database.payments(unmatchedOnly: true).first?.id)
            let detail = String(buffer: try await browser.get("/admin/orders/\(pending)").body)
            #expect(detail.contains("Mark paid") && detail.contains("#\(stray) · wechat 0.77"))
            // 0.77 is not the order's amount: attaching it needs the seller's confirmation …
            let unconfirmed = try await browser.post("/admin/orders/\(pending)/paid", form: [("payment", "\(stray)")])
            #expect(unconfirmed.status == .conflict)
            #expect(String(buffer: unconfirmed.body).contains("Confirm to attach it anyway"))
            #expect(try await shop.services.database.order(id: pending)?.status == .pending)
            // … and then flags both.
            let marked = try await browser.post(
                "/admin/orders/\(pending)/paid", form: [("payment", "\(stray)"), ("confirm", "yes")])
            #expect(marked.headers[.location] == "/admin/orders/\(pending)?done=paid")
            #expect(try await shop.services.database.order(id: pending)?.status == .paid)
            #expect(try await shop.services.database.order(id: pending)?.flagged == true)
            #expect(try await shop.services.database.payment(id: stray)?.outcome == .attached)
            #expect(try await shop.services.database.payment(id: stray)?.flagged == true)
            let twice = try await browser.post("/admin/orders/\(pending)/close", form: [])
            #expect(twice.status == .conflict)
            #expect(String(buffer: twice.body).contains("already paid"))
            #expect(try await browser.post("/admin/orders/\(Nanoid.make())/close", form: []).status == .notFound)
        }
    }

    @Test("closing ends the order for the buyer's page; the amount stays reserved for the late grace")
    func close() async throws {
        try await Self.withOrders { browser, shop, _, pending in
            let closed = try await browser.post("/admin/orders/\(pending)/close", form: [])
            #expect(closed.status == .seeOther)
            let status = try Shop.json(try await browser.client.execute(uri: "/api/orders/\(pending)", method: .get))
            #expect(status["status"] as? String == "closed")
            let order = try #require(try await shop.services.database.order(id: pending))
            #expect(
                order.holdsSlot && order.slotReleaseAt > shop.clock.now(), "a payment on its way is still this order's")
            let payments = String(buffer: try await browser.get("/admin/payments").body)
            #expect(payments.contains("matched"))
        }
    }

    @Test("the channels page shows each secret and both apps' set-up; regenerating replaces it for the listener")
    func settings() async throws {
        try await Self.withOrders { browser, shop, _, _ in
            let page = String(buffer: try await browser.get("/admin/channels").body)
            #expect(page.contains(TestServices.listenerSecret) && page.contains("/addons/pay/"))
            let qr = try await browser.get("/admin/channels/1/listener-qr.png")
            let payloads = try QRCodeReader().payloads(in: Data(buffer: qr.body))
            #expect(payloads.count == 1 && payloads[0].hasSuffix("/\(TestServices.listenerSecret)"))
            #expect(try await browser.post("/admin/channels/1/secret", form: []).status == .seeOther)
            let secret = try #require(try await shop.services.database.channel(id: 1)?.secret)
            #expect(secret != TestServices.listenerSecret && secret.count == 32)
            #expect(try Shop.json(try await Shop.notify(browser.client, price: "1.00"))["code"] as? Int == 0)
            let sign = ListenerSignature(secret: secret).notifySign(price: "0.50", type: "wechat")
            let answer = try Shop.json(
                try await browser.client.execute(
                    uri: "/addons/pay/api/notify?sign=\(sign)&price=0.50&type=wechat", method: .get))
            #expect(answer["code"] as? Int == 1)
        }
    }

    @Test("a configured secret cannot be regenerated from the page")
    func configuredSecret() async throws {
        let services = try await TestServices.make(["listener.secret": .string(TestServices.listenerSecret)])
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            #expect(String(buffer: try await browser.get("/admin/channels").body).contains("Set by the configuration"))
            #expect(try await browser.post("/admin/channels/1/secret", form: []).status == .conflict)
        }
    }

    @Test("the JSON API lists orders and payments, marks paid, closes, and reports status")
    func api() async throws {
        try await Self.withOrders { browser, shop, paid, pending in
            let client = browser.client
            let orders =
                try JSONSerialization.jsonObject(
                    with: Data(buffer: try await AdminAPITests.send(client, "/admin/api/orders?status=paid", .get).body)
                ) as? [[String: Any]]
            #expect(orders?.map { $0["id"] as? String } == [paid])
            #expect(
                try await AdminAPITests.send(client, "/admin/api/orders?status=lost", .get).status
                    == .unprocessableContent)
            _ = try await Shop.notify(client, price: "0.21")
            let unmatched =
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer: try await AdminAPITests.send(client, "/admin/api/payments?matched=false", .get).body))
                as? [[String: Any]]
            #expect(unmatched?.map { $0["amount"] as? String } == ["0.21"])
            let paymentId = try #require(unmatched?.first?["id"] as? Int)
            let unconfirmed = try await AdminAPITests.send(
                client, "/admin/api/orders/\(pending)/paid", .post, json: #"{"payment": \#(paymentId)}"#)
            #expect(unconfirmed.status == .conflict)
            let marked = try Shop.json(
                try await AdminAPITests.send(
                    client, "/admin/api/orders/\(pending)/paid", .post,
                    json: #"{"payment": \#(paymentId), "confirm": true}"#))
            #expect(marked["status"] as? String == "paid" && marked["flagged"] as? Bool == true)
            let again = try await AdminAPITests.send(client, "/admin/api/orders/\(pending)/close", .post)
            #expect(again.status == .conflict)
            let status = try Shop.json(try await AdminAPITests.send(client, "/admin/api/status", .get))
            let listener = try #require(status["listener"] as? [String: Any])
            #expect(listener["online"] as? Bool == true && listener["lastSeenAt"] != nil)
            let today = try #require(status["today"] as? [String: Any])
            var income = 0
            for id in [paid, pending] { income += try await shop.services.database.order(id: id)?.amountFen ?? 0 }
            #expect(today["orders"] as? Int == 2 && today["paidOrders"] as? Int == 2)
            #expect(today["income"] as? String == Money(fen: income).description)
            #expect(status["pendingOrders"] as? Int == 0)
        }
    }
}
