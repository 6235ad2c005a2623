import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import StoreCore
import TestSupport
import Testing

@Suite("The seller JSON API")
struct AdminAPITests {
    static let auth: HTTPFields = [.authorization: "Bearer \(TestServices.apiToken)"]

    static func json(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body))
    }

    static func send(
        _ client: any TestClientProtocol, _ uri: String, _ method: HTTPRequest.Method, json body: String? = nil
    ) async throws -> TestResponse {
        var headers = auth
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test("goods: create, list, update and delete")
    func goods() async throws {
        try await TestServices.test(try await TestServices.make(["http.baseURL": .string("https://pay.example.com/")]))
        {
            client in
            let created = try await Self.send(
                client, "/admin/api/goods", .post, json: #"{"name": "Course", "price": "9.90", "delivery": "link"}"#)
            #expect(created.status == .created)
            let body = try #require(try Self.json(created) as? [String: Any])
            let id = try #require(body["id"] as? String)
            #expect(body["price"] as? String == "9.90" && body["name"] as? String == "Course")
            #expect(body["url"] as? String == "https://pay.example.com/goods/\(id)")

            let list = try #require(
                try Self.json(try await Self.send(client, "/admin/api/goods", .get)) as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == [id])

            let shown = try #require(
                try Self.json(try await Self.send(client, "/admin/api/goods/\(id)", .get)) as? [String: Any])
            #expect(shown["delivery"] as? String == "link")
            #expect(try await Self.send(client, "/admin/api/goods/\(Nanoid.make())", .get).status == .notFound)
            let badPatch = try await Self.send(client, "/admin/api/goods/\(id)", .patch, json: #"{"price": "1e2"}"#)
            #expect(badPatch.status == .unprocessableContent)

            let patched = try await Self.send(
                client, "/admin/api/goods/\(id)", .patch, json: #"{"price": "8", "enabled": false}"#)
            let patchedBody = try #require(try Self.json(patched) as? [String: Any])
            #expect(patchedBody["price"] as? String == "8.00" && patchedBody["enabled"] as? Bool == false)
            #expect(patchedBody["name"] as? String == "Course")

            #expect(try await Self.send(client, "/admin/api/goods/\(id)", .delete).status == .noContent)
            #expect(try await Self.send(client, "/admin/api/goods/\(id)", .delete).status == .notFound)
        }
    }

    @Test(
        "goods: bad input is a 422 whose message names the problem",
        arguments: [
            (#"{"name": "A", "price": "1.001"}"#, "price is not valid"),
            (#"{"name": "A", "price": 1.5}"#, "price has the wrong type"),
            (#"{"name": "", "price": "1"}"#, "Give the goods a name."), (#"{"price": "1"}"#, "name is missing."),
            (#"{"name": "A", "price": "0"}"#, "at least 0.01"), ("not json", "not valid JSON"),
        ])
    func badGoods(_ body: String, _ message: String) async throws {
        let services = try await TestServices.make()
        try await TestServices.test(services) { client in
            let response = try await Self.send(client, "/admin/api/goods", .post, json: body)
            #expect(response.status == .unprocessableContent)
            let error = try #require(try Self.json(response) as? [String: Any])
            #expect(error["error"] as? String == "invalid_input")
            #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
        }
        #expect(try await services.database.goodsList().isEmpty)
    }

    @Test("goods with orders cannot be deleted")
    func goodsWithOrders() async throws {
        let services = try await TestServices.make()
        let goods = try await services.database.createGoods(GoodsDraft(name: "Sold", price: Money(fen: 100)))
        try await services.database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, status, holdsSlot, slotReleaseAt,
                        createdAt, expiresAt, paidAt)
                    VALUES (?, ?, 'wechat', 100, 100, 'paid', 0, '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01')
                    """, arguments: [Nanoid.make(), goods.id])
        }
        try await TestServices.test(services) { client in
            let response = try await Self.send(client, "/admin/api/goods/\(goods.id)", .delete)
            #expect(response.status == .conflict)
            #expect(String(buffer: response.body).contains("disable them instead"))
        }
    }

    @Test("a code a buyer is paying with cannot be deleted until the order ends; its QR keeps working")
    func codeInUse() async throws {
        let shop = try await Shop.make(amounts: [100])
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let orderId = try #require(order["id"] as? String)
            let codeId = try #require(try await shop.services.database.order(id: orderId)?.payCodeId)

            let refused = try await Self.send(client, "/admin/api/codes/\(codeId)", .delete)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("Disable it instead"))
            #expect(try await shop.services.database.payCode(id: codeId) != nil)
            #expect(try await client.execute(uri: "/pay/\(orderId)/qr.png", method: .get).status == .ok)

            _ = try await Shop.notify(client, price: "1.00")
            #expect(try await Self.send(client, "/admin/api/codes/\(codeId)", .delete).status == .noContent)
            #expect(try await shop.services.database.order(id: orderId)?.status == .paid)
        }
    }

    @Test("codes: a mixed multipart batch gives one result per file with reason codes")
    func uploadCodes() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let (contentType, body) = Multipart.body(files: try CodesPagesTests.mixedBatch())
            var headers = Self.auth
            headers[.contentType] = contentType
            let response = try await client.execute(
                uri: "/admin/api/codes", method: .post, headers: headers, body: body)
            #expect(response.status == .ok)
            let summary = try #require(try Self.json(response) as? [String: Any])
            #expect(
                summary["imported"] as? Int == 3 && summary["duplicates"] as? Int == 3
                    && summary["rejected"] as? Int == 3)
            let results = try #require(summary["results"] as? [[String: Any]])
            #expect(
                results.map { $0["status"] as? String } == [
                    "imported", "imported", "duplicate", "duplicate", "imported", "rejected", "rejected", "rejected",
                    "duplicate",
                ])
            #expect(results.compactMap { $0["reason"] as? String } == ["no_qr", "unsupported_format", "too_large"])
            #expect(results[0]["amount"] as? String == "0.99" && results[0]["type"] as? String == "wechat")
            #expect(results[0]["payload"] as? String == Fixtures.wechatPayload)

            let list = try #require(
                try Self.json(try await Self.send(client, "/admin/api/codes?type=alipay", .get)) as? [[String: Any]])
            #expect(list.map { $0["amount"] as? String } == ["1.00"])
            #expect(try await Self.send(client, "/admin/api/codes?amount=abc", .get).status == .unprocessableContent)

            let coverage = try #require(
                try Self.json(try await Self.send(client, "/admin/api/coverage?price=1.00", .get)) as? [String: Any])
            let amounts = try #require(coverage["amounts"] as? [[String: Any]])
            #expect(amounts.count == 11)
            #expect(amounts[0]["amount"] as? String == "1.00" && amounts[0]["alipay"] as? Int == 1)
            #expect(amounts[1]["amount"] as? String == "0.99" && amounts[1]["wechat"] as? Int == 1)
            #expect(amounts[10]["amount"] as? String == "0.90")
            #expect(try await Self.send(client, "/admin/api/coverage?price=-1", .get).status == .unprocessableContent)

            let id = try #require(list.first?["id"] as? Int)
            #expect(try await Self.send(client, "/admin/api/codes/\(id)", .delete).status == .noContent)
            #expect(try await Self.send(client, "/admin/api/codes/\(id)", .delete).status == .notFound)
        }
    }

    @Test("codes: an upload that is not multipart is refused")
    func notMultipart() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let response = try await Self.send(client, "/admin/api/codes", .post, json: "{}")
            #expect(response.status == .unsupportedMediaType)
            #expect(String(buffer: response.body).contains("multipart/form-data"))
        }
    }

    @Test("codes: a form amount is for one image only; any payload only when the batch says so")
    func uploadRules() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            func upload(_ files: [(String, Data)], _ fields: [(String, String)]) async throws -> TestResponse {
                let (contentType, body) = Multipart.body(files: files, fields: fields)
                var headers = Self.auth
                headers[.contentType] = contentType
                return try await client.execute(uri: "/admin/api/codes", method: .post, headers: headers, body: body)
            }
            let one = try Fixtures.data("png_gray8.png"), other = try Fixtures.data("jpeg_baseline.jpg")
            let two = try await upload([("a.png", one), ("b.jpg", other)], [("amount", "0.99")])
            #expect(two.status == .unprocessableContent)
            #expect(String(buffer: two.body).contains("single image"))
            #expect(try await Self.send(client, "/admin/api/codes", .get).body.readableBytes <= 2)
            let single = try Self.json(try await upload([("a.png", one)], [("amount", "0.99")])) as? [String: Any]
            #expect(single?["imported"] as? Int == 1)

            let hello = try QRRenderer().renderPNG("hello")
            let refused = try Self.json(try await upload([("wechat_0.98.png", hello)], [])) as? [String: Any]
            let reason = (refused?["results"] as? [[String: Any]])?.first?["reason"] as? String
            #expect(reason == "not_a_pay_code")
            let accepted =
                try Self.json(try await upload([("wechat_0.98.png", hello)], [("allowAnyPayload", "true")]))
                as? [String: Any]
            #expect(accepted?["imported"] as? Int == 1)
        }
    }
}
