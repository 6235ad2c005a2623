import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Card keys over HTTP")
struct CardKeyHTTPTests {
    /// A shop whose goods sell card keys; `keys` are added through the API.
    static func shop(keys: [String], database: AppDatabase? = nil) async throws -> Shop {
        let shop = try await Shop.make(database: database)
        _ = try await shop.services.database.updateGoods(
            id: shop.goods.id,
            with: GoodsDraft(
                name: "Licence", price: Money(fen: 100), delivery: "Activate at example.com", deliveryMode: .cardKeys))
        try await TestServices.test(shop.services) { client in
            let added = try Shop.json(
                try await AdminAPITests.send(
                    client, "/admin/api/goods/\(shop.goods.id)/keys", .post,
                    json: String(data: try JSONEncoder().encode(["keys": keys]), encoding: .utf8)))
            #expect(added["added"] as? Int == Set(keys).count)
        }
        return shop
    }

    @Test("200 simultaneous purchases of goods with 5 keys: at most 5 orders, never two with one key")
    func concurrentPurchases() async throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("store.sqlite").path
        let shop = try await Self.shop(keys: (1...5).map { "KEY-\($0)" }, database: try AppDatabase.open(path: file))
        try await Application(router: buildRouter(services: shop.services)).test(.ahc(.http)) { client in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await Shop.order(
                            client, goods: shop.goods.id, type: index % 2 == 0 ? "wechat" : "alipay", buyer: nil)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.filter { $0.status == .created }.count == 5)
            #expect(responses.allSatisfy { $0.status == .created || $0.status == .serviceUnavailable })
            let orders = try await shop.services.database.orders(status: .pending, now: shop.clock.now())
            #expect(orders.count == 5)
            let available = try await shop.services.database.cardKeyStock(goodsId: shop.goods.id, now: shop.clock.now())
            #expect(available.available == 0 && available.reserved == 5 && available.sold == 0)
        }
    }

    @Test("a paid order delivers its own key; the stock, the list by state, sold out as 409 and on the page")
    func deliveryAndSoldOut() async throws {
        let shop = try await Self.shop(keys: ["ONLY-KEY", "ONLY-KEY"])
        try await TestServices.test(shop.services) { client in
            let page = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(page.contains("In stock: 1"))
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            // Reserved is not sold out: the form stays, and a purchase is busy, to be retried.
            let reserved = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(reserved.contains("/buy\"") && !reserved.contains("Sold out"))
            #expect(try await Shop.order(client, goods: shop.goods.id, buyer: nil).status == .serviceUnavailable)
            let id = try #require(order["id"] as? String)
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            let status = try Shop.json(try await client.execute(uri: "/api/orders/\(id)", method: .get))
            #expect(status["delivery"] as? String == "Activate at example.com\n\nONLY-KEY")
            // The pay page, when the buyer comes back, shows the key too.
            #expect(String(buffer: try await client.execute(uri: "/pay/\(id)", method: .get).body).contains("ONLY-KEY"))
            let sold = try await AdminAPITests.send(client, "/admin/api/goods/\(shop.goods.id)/keys?state=sold", .get)
            #expect(String(buffer: sold.body).contains(id))
            let soldOut = try await Shop.order(client, goods: shop.goods.id, buyer: nil)
            #expect(soldOut.status == .conflict)
            #expect(try Shop.json(soldOut)["error"] as? String == "sold_out")
            let after = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(after.contains("Sold out") && !after.contains("/buy\""))
            let goods = try Shop.json(try await AdminAPITests.send(client, "/admin/api/goods/\(shop.goods.id)", .get))
            #expect(goods["deliveryMode"] as? String == "cardKeys" && goods["stock"] as? Int == 0)
            // A text body, one key per line, fills the stock again.
            let text = try await client.execute(
                uri: "/admin/api/goods/\(shop.goods.id)/keys", method: .post,
                headers: [.authorization: "Bearer \(TestServices.apiToken)", .contentType: "text/plain"],
                body: ByteBuffer(string: "NEW-1\nNEW-2\nONLY-KEY\n"))
            let added = try Shop.json(text)
            #expect(added["added"] as? Int == 2 && added["duplicates"] as? Int == 1 && added["available"] as? Int == 2)
            #expect(
                try await AdminAPITests.send(client, "/admin/api/goods/\(shop.goods.id)/keys?state=lost", .get).status
                    == .unprocessableContent)
        }
    }

    @Test("the delivery mode cannot change while an order waits for payment under the current one")
    func modeChangeWithPendingOrders() async throws {
        let shop = try await Self.shop(keys: ["KEY-1"])
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let change = try await AdminAPITests.send(
                client, "/admin/api/goods/\(shop.goods.id)", .patch, json: #"{"deliveryMode": "text"}"#)
            #expect(change.status == .unprocessableContent)
            #expect((try Shop.json(change)["message"] as? String)?.contains("waiting for payment") == true)
            // Other fields still change.
            let rename = try await AdminAPITests.send(
                client, "/admin/api/goods/\(shop.goods.id)", .patch, json: #"{"name": "Licence Pro"}"#)
            #expect(rename.status == .ok)
            // Once the order is paid the mode may change; the paid order keeps its key.
            _ = try await Shop.notify(client, price: try #require(order["amount"] as? String))
            let later = try await AdminAPITests.send(
                client, "/admin/api/goods/\(shop.goods.id)", .patch, json: #"{"deliveryMode": "text"}"#)
            #expect(later.status == .ok)
            let id = try #require(order["id"] as? String)
            #expect(try await shop.services.database.cardKey(orderId: id)?.secret == "KEY-1")
        }
    }

    @Test("the seller adds keys in bulk on the keys page, sees them by state, and deletes an unsold one")
    func keysPage() async throws {
        let shop = try await Self.shop(keys: ["FIRST"])
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            let added = try await browser.post(
                "/admin/goods/\(shop.goods.id)/keys",
                form: [("keys", "SECOND\r\nTHIRD\nFIRST\n" + String(repeating: "x", count: 2001))])
            #expect(added.headers[.location] == "/admin/goods/\(shop.goods.id)/keys?added=2&skipped=1&tooLong=1")
            let page = String(buffer: try await browser.get(added.headers[.location]!).body)
            #expect(page.contains("2 keys added. 1 duplicates skipped. 1 longer than 2000 characters, not added."))
            #expect(page.contains("SECOND") && page.contains("THIRD"))
            let keys = try await shop.services.database.cardKeys(
                goodsId: shop.goods.id, sold: false, now: shop.clock.now())
            let second = try #require(keys.first { $0.secret == "SECOND" }?.id)
            let deleted = try await browser.post("/admin/goods/\(shop.goods.id)/keys/\(second)/delete", form: [])
            #expect(deleted.status == .seeOther)
            #expect(
                try await browser.post("/admin/goods/\(shop.goods.id)/keys/\(second)/delete", form: []).status
                    == .conflict)
            let left = try await shop.services.database.cardKeys(
                goodsId: shop.goods.id, sold: false, now: shop.clock.now())
            #expect(Set(left.map(\.secret)) == ["FIRST", "THIRD"])
        }
    }
}
