import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Merchants for the seller")
struct MerchantAdminTests {
    static let auth: HTTPFields = [.authorization: "Bearer \(TestServices.apiToken)", .contentType: "application/json"]

    @Test("the merchants API: pids from 1001, keys, changes, a new key, refusals as 4xx")
    func api() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            func call(_ uri: String, _ method: HTTPRequest.Method, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: method, headers: Self.auth, body: body.map { ByteBuffer(string: $0) })
            }
            let first = try await call("/admin/api/merchants", .post, #"{"name":"独角数卡"}"#)
            #expect(first.status == .created)
            let created = try Shop.json(first)
            #expect(created["pid"] as? Int == 1001 && (created["key"] as? String)?.count == 32)
            #expect(created["enabled"] as? Bool == true)
            let second = try Shop.json(
                try await call(
                    "/admin/api/merchants", .post,
                    #"{"name":"WP","key":"my-own-key-0123456789","notifyHosts":["Shop.Example"]}"#))
            #expect(second["pid"] as? Int == 1002 && second["key"] as? String == "my-own-key-0123456789")
            #expect(second["notifyHosts"] as? [String] == ["shop.example"])

            #expect(
                try await call("/admin/api/merchants", .post, #"{"name":"x","key":"short"}"#).status
                    == .unprocessableContent)
            #expect(
                try await call("/admin/api/merchants", .post, #"{"name":"x","key":"my-own-key-0123456789"}"#).status
                    == .conflict)
            #expect(
                try await call("/admin/api/merchants", .post, #"{"name":"x","notifyUrl":"ftp://a/"}"#).status
                    == .unprocessableContent)

            let changed = try Shop.json(
                try await call(
                    "/admin/api/merchants/1001", .patch, #"{"enabled":false,"notifyUrl":"https://a.example/n"}"#))
            #expect(changed["enabled"] as? Bool == false && changed["notifyUrl"] as? String == "https://a.example/n")
            let key = try Shop.json(try await call("/admin/api/merchants/1001/key", .post))["key"] as? String
            #expect(key != nil && key != created["key"] as? String)
            #expect(try await shop.services.database.merchant(pid: 1001)?.key == key)
            #expect(try await call("/admin/api/merchants/999/key", .post).status == .notFound)
            let list =
                try JSONSerialization.jsonObject(
                    with: Data(buffer: try await call("/admin/api/merchants", .get).body)) as? [[String: Any]]
            #expect(list?.map { $0["pid"] as? Int } == [1001, 1002])

            // A disabled merchant's key no longer makes orders.
            let refused = try Shop.json(
                try await GatewayClient.createOrder(client, payId: "A", price: "1.00", key: try #require(key)))
            #expect(refused["msg"] as? String == "签名错误")
        }
    }

    @Test("notifications API lists a paid merchant order's notification and retries it on request")
    func notificationsAPI() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            _ = try await GatewayClient.createOrder(
                client, payId: "T1", price: "1.00", extra: [("notifyUrl", "https://shop.example/n")])
            _ = try await Shop.notify(client, price: "1.00")
            let pending =
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer: try await client.execute(
                            uri: "/admin/api/notifications?state=pending", method: .get, headers: Self.auth
                        ).body)) as? [[String: Any]]
            let item = try #require(pending?.first)
            #expect(item["kind"] as? String == "merchantNotify" && item["state"] as? String == "pending")
            #expect((item["url"] as? String)?.hasPrefix("https://shop.example/n?payId=T1&") == true)
            #expect(item["attempts"] as? Int == 0)
            let id = try #require(item["id"] as? Int)
            let delivered = try await client.execute(
                uri: "/admin/api/notifications?state=delivered", method: .get, headers: Self.auth)
            #expect(String(buffer: delivered.body) == "[]")
            #expect(
                try await client.execute(uri: "/admin/api/notifications?state=sent", method: .get, headers: Self.auth)
                    .status == .unprocessableContent)
            #expect(
                try await client.execute(uri: "/admin/api/notifications/\(id)/retry", method: .post, headers: Self.auth)
                    .status == .accepted)
            #expect(
                try await client.execute(uri: "/admin/api/notifications/999/retry", method: .post, headers: Self.auth)
                    .status == .notFound)
        }
    }

    @Test(
        "the merchants page adds a merchant and shows the settings for 独角数卡 and 易支付 clients; the order page shows its notification"
    )
    func pages() async throws {
        let shop = try await Shop.make()
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            let added = try await browser.post("/admin/merchants", form: [("name", "我的发卡站"), ("key", "")])
            #expect(added.status == .seeOther)
            let merchant = try #require(try await shop.services.database.merchant(pid: 1001))
            let page = String(buffer: try await browser.get("/admin/merchants").body)
            #expect(page.contains("我的发卡站") && page.contains(merchant.key))
            #expect(page.contains("/submit.php</code>") && page.contains("<code>1001</code>"))

            let saved = try await browser.post(
                "/admin/merchants/1001",
                form: [
                    ("name", "我的发卡站"), ("notifyUrl", "https://shop.example/n"), ("returnUrl", ""),
                    ("notifyHosts", "shop.example"),
                ])
            #expect(saved.status == .seeOther)
            #expect(try await shop.services.database.merchant(pid: 1001)?.notifyHosts == ["shop.example"])
            let bad = try await browser.post(
                "/admin/merchants/1001", form: [("name", "x"), ("notifyUrl", "javascript:alert(1)")])
            #expect(bad.status == .unprocessableContent)

            _ = try await browser.post("/admin/merchants/1001/key", form: [])
            #expect(try await shop.services.database.merchant(pid: 1001)?.key != merchant.key)

            // An order of this merchant, paid: its page shows what the shop sent and the notification.
            let key = try #require(try await shop.services.database.merchant(pid: 1001)?.key)
            _ = try await GatewayClient.createOrder(client, payId: "SHOP-1", price: "1.00", key: key)
            _ = try await Shop.notify(client, price: "1.00")
            let order = try #require(try await shop.services.database.gatewayOrder(pid: 1001, outTradeNo: "SHOP-1"))
            let detail = String(buffer: try await browser.get("/admin/orders/\(order.order.id)").body)
            #expect(detail.contains("SHOP-1") && detail.contains(order.merchantOrder.tradeNo))
            #expect(detail.contains("https://shop.example/n?payId=SHOP-1"))
        }
    }
}
