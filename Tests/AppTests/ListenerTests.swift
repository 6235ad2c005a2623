import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import Testing

@testable import App

@Suite("Listener protocols")
struct ListenerTests {
    static let secret = ListenerSignature(secret: TestServices.listenerSecret)

    @Test("protocol A setting: the specification's vector is accepted, GET and POST")
    func setting() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let query = "sign=70d96caa9f0bfe1ca895006b51f2b61f&apiurl=http%3A%2F%2Fpay.example.com%2Faddons%2Fpay%2F"
            let get = try Shop.json(try await client.execute(uri: "/addons/pay/api/setting?\(query)", method: .get))
            #expect(get["code"] as? Int == 1 && get["msg"] as? String == "配置成功!")
            let post = try Shop.json(
                try await client.execute(
                    uri: "/addons/pay/api/setting", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: query)))
            #expect(post["code"] as? Int == 1)
            let bad = try Shop.json(
                try await client.execute(uri: "/addons/pay/api/setting?sign=00&apiurl=x", method: .get))
            #expect(bad["code"] as? Int == 0)
        }
    }

    @Test("protocol A notify: the raw price is signed, so 0.990 works with its own signature")
    func rawPrice() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            _ = try await Shop.order(client, goods: shop.goods.id, type: "alipay")
            let answer = try Shop.json(
                try await client.execute(
                    uri: "/addons/pay/api/notify?sign=28b24d1d0a88efa86c75f63c978f250f&price=0.990&type=alipay",
                    method: .get))
            #expect(answer["code"] as? Int == 1)
            #expect(try await shop.services.database.payments().first?.rawAmount == "0.990")
        }
    }

    @Test(
        "bad signatures and malformed prices are refused and change nothing",
        arguments: [
            "price=1.001&type=wechat", "price=-1&type=wechat", "price=abc&type=wechat", "price=&type=wechat",
            "price=1.00&type=paypal",
        ])
    func malformed(_ query: String) async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let fields = FormFields(query)
            let sign = Self.secret.notifySign(price: fields["price"] ?? "", type: fields["type"] ?? "")
            let answer = try Shop.json(
                try await client.execute(uri: "/addons/pay/api/notify?\(query)&sign=\(sign)", method: .get))
            #expect(answer["code"] as? Int == 0)
            let unsigned = try Shop.json(
                try await client.execute(
                    uri: "/addons/pay/api/notify?price=1.00&type=wechat&sign=\(String(repeating: "0", count: 32))",
                    method: .get))
            #expect(unsigned["code"] as? Int == 0 && (unsigned["msg"] as? String)?.contains("bad signature") == true)
            #expect(try await shop.services.database.payments().isEmpty)
        }
    }

    @Test("a flood of bad signatures is limited in the protocol's JSON, and never locks out a correct push")
    func signatureLimit() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            var answers: [TestResponse] = []
            for index in 0..<30 {
                answers.append(
                    try await client.execute(
                        uri: "/addons/pay/api/notify?sign=forged\(index)&price=1.00&type=wechat", method: .get))
                answers.append(try await client.execute(uri: "/appPush?t=1&type=1&price=1.00&sign=x", method: .get))
            }
            // Every answer is the app's JSON, the last ones a limit with Retry-After.
            for answer in answers {
                #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
                let body = try Shop.json(answer)
                #expect(body["code"] as? Int == 0 || body["code"] as? Int == -1)
            }
            #expect(answers.last?.status == .tooManyRequests && answers.last?.headers[.retryAfter] != nil)
            let paid = try await Shop.notify(client, price: "1.00")
            #expect(paid.status == .ok)
            #expect(try Shop.json(paid)["code"] as? Int == 1)
            let status = try Shop.json(try await client.execute(uri: "/api/orders/\(order["id"] ?? "")", method: .get))
            #expect(status["status"] as? String == "paid")
            let setting = try await client.execute(
                uri:
                    "/addons/pay/api/setting?sign=70d96caa9f0bfe1ca895006b51f2b61f&apiurl=http%3A%2F%2Fpay.example.com%2Faddons%2Fpay%2F",
                method: .get)
            #expect(try Shop.json(setting)["code"] as? Int == 1)
            #expect(try await shop.services.database.payments().count == 1)
        }
    }

    @Test("protocol B: heartbeats and pushes with a current clock, refused when stale or replayed")
    func protocolB() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let t = String(Int(Date().timeIntervalSince1970 * 1000))
            let heart = try Shop.json(
                try await client.execute(uri: "/appHeart?t=\(t)&sign=\(Self.secret.heartSign(t: t))", method: .get))
            #expect(heart["code"] as? Int == 1 && heart.keys.contains("data"))
            #expect(try await shop.services.database.listenerLastSeen() != nil)

            // The specification's vector is from 2023: its signature is right, its clock is not.
            let stale = try Shop.json(
                try await client.execute(
                    uri: "/appHeart?t=1700000000123&sign=29ca60eeb8cb663d1fe675e49f2404d6", method: .get))
            #expect(stale["code"] as? Int == -1 && (stale["msg"] as? String)?.contains("clock") == true)

            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            let pushQuery = "t=\(t)&type=1&price=1.0&sign=\(Self.secret.pushSign(type: "1", price: "1.0", t: t))"
            let pushed = try Shop.json(
                try await client.execute(
                    uri: "/appPush", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: pushQuery)))
            #expect(pushed["code"] as? Int == 1)
            #expect(try await shop.services.database.order(id: id)?.status == .paid)
            let replay = try Shop.json(try await client.execute(uri: "/appPush?\(pushQuery)", method: .get))
            #expect(replay["code"] as? Int == -1 && (replay["msg"] as? String)?.contains("already received") == true)
            let badType = "t=\(t)&type=3&price=1.00&sign=\(Self.secret.pushSign(type: "3", price: "1.00", t: t))"
            #expect(
                try Shop.json(try await client.execute(uri: "/appPush?\(badType)", method: .get))["code"] as? Int == -1)
            #expect(try await shop.services.database.payments().count == 1)
        }
    }
}
