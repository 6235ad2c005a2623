import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Protocols
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("V免签 merchant API")
struct VMQGatewayTests {
    @Test(
        "createOrder with the specification's vector: the peer's fields and types, isHtml's script, the same payId again"
    )
    func createOrder() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let response = try await GatewayClient.createOrder(client, payId: "T1001", price: "1.00")
            #expect(response.status == .ok)
            let answer = try Shop.json(response)
            #expect(answer["code"] as? Int == 1 && answer["msg"] as? String == "成功")
            let data = try #require(answer["data"] as? [String: Any])
            #expect(data["payId"] as? String == "T1001")
            #expect(data["payType"] as? String == "1")
            #expect(data["price"] as? String == "1.00" && data["reallyPrice"] as? String == "1.00")
            #expect(data["payUrl"] as? String == "wxp://wechat-100")
            #expect(data["isAuto"] as? Int == 0 && data["state"] as? Int == 0)
            #expect(data["timeOut"] as? String == "5")
            #expect(data["date"] as? Int == Int(shop.clock.now().timeIntervalSince1970))
            let orderId = try #require(data["orderId"] as? String)
            #expect(orderId.count >= 16 && orderId.allSatisfy(\.isNumber))

            // The shop asks again (its buyer reloaded): the same order, not a second slot.
            let again = try Shop.json(try await GatewayClient.createOrder(client, payId: "T1001", price: "1.0"))
            #expect((again["data"] as? [String: Any])?["orderId"] as? String == orderId)
            let otherPrice = try Shop.json(try await GatewayClient.createOrder(client, payId: "T1001", price: "2.00"))
            #expect(otherPrice["code"] as? Int == -1 && otherPrice["msg"] as? String == "商户订单号已存在")
            #expect(otherPrice["data"] is NSNull)

            // A second buyer of the same price gets another amount.
            let second = try Shop.json(try await GatewayClient.createOrder(client, payId: "T1002", price: "1.00"))
            let secondAmount = try #require((second["data"] as? [String: Any])?["reallyPrice"] as? String)
            #expect(secondAmount != "1.00" && Money(parsing: secondAmount)!.fen >= 90)

            let html = try await GatewayClient.createOrder(
                client, payId: "T1003", price: "1.00", type: "2", extra: [("isHtml", "1")])
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            let script = String(buffer: html.body)
            let created = try #require(try await shop.services.database.gatewayOrder(pid: 1001, outTradeNo: "T1003"))
            #expect(
                script
                    == "<script>window.location.href = 'payPage/pay.html?orderId=\(created.merchantOrder.tradeNo)'</script>"
            )
            let page = try await client.execute(
                uri: "/payPage/pay.html?orderId=\(created.merchantOrder.tradeNo)", method: .get)
            #expect(page.status == .found && page.headers[.location] == "/pay/\(created.order.id)")
        }
    }

    @Test("createOrder refuses in the peer's words: each missing field, a bad type, a bad signature, an unknown order")
    func refusals() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            func message(_ query: String, path: String = "/createOrder") async throws -> String? {
                let response = try await client.execute(uri: path + "?" + query, method: .get)
                #expect(response.status == .ok)
                let answer = try Shop.json(response)
                #expect(answer["code"] as? Int == -1)
                return answer["msg"] as? String
            }
            #expect(try await message("type=1&price=1.00&sign=x") == "请传入商户订单号")
            #expect(try await message("payId=A&price=1.00&sign=x") == "请传入支付方式=>1|微信 2|支付宝")
            #expect(try await message("payId=A&type=3&price=1.00&sign=x") == "支付方式错误=>1|微信 2|支付宝")
            #expect(try await message("payId=A&type=1&sign=x") == "请传入订单金额")
            #expect(try await message("payId=A&type=1&price=0&sign=x") == "订单金额必须大于0")
            #expect(try await message("payId=A&type=1&price=1.00") == "请传入签名")
            #expect(try await message("payId=A&type=1&price=1.00&sign=ab951c2ba1295c5fad775ac7a8516345") == "签名错误")
            let wrongKey = try Shop.json(
                try await GatewayClient.createOrder(client, payId: "A", price: "1.00", key: "another-key-0123456789"))
            #expect(wrongKey["msg"] as? String == "签名错误")
            // 64 characters that are 128 code points: refused in words, not a 500 from the database.
            let combining = String(repeating: "e%CC%81", count: 64)
            #expect(try await message("payId=\(combining)&type=1&price=1.00&sign=x") == "签名错误")
            let long = try Shop.json(
                try await GatewayClient.createOrder(
                    client, payId: String(repeating: "e\u{301}", count: 64), price: "1.00"))
            #expect(long["msg"] as? String == "商户订单号过长 (at most 64 characters)")
            #expect(try await message("orderId=20260101000000123456", path: "/getOrder") == "云端订单编号不存在")
            #expect(try await message("", path: "/checkOrder") == "云端订单编号不存在")
            // Nothing was created by any of these.
            #expect(try await shop.services.database.orders(now: shop.clock.now()).isEmpty)
        }
    }

    @Test("a price nobody can serve, and every slot taken, are answered in the peer's words")
    func noSlot() async throws {
        let shop = try await Shop.make(amounts: [100], ["discount.max": .string("0.00")])
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let none = try Shop.json(try await GatewayClient.createOrder(client, payId: "A", price: "5.00"))
            #expect(none["msg"] as? String == "请您先进入后台配置程序")
            #expect(
                try Shop.json(try await GatewayClient.createOrder(client, payId: "B", price: "1.00"))["code"] as? Int
                    == 1)
            let busy = try Shop.json(try await GatewayClient.createOrder(client, payId: "C", price: "1.00"))
            #expect(busy["msg"] as? String == "订单超出负荷，请稍后重试")
        }
    }

    @Test(
        "a push pays the merchant order: state 2 until notified, checkOrder's signed return URL, the notification's vector"
    )
    func paidOrder() async throws {
        // Only 0.97 is stocked: the order's reallyPrice is the specification's vector's.
        let shop = try await Shop.make(amounts: [97])
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let data = try #require(
                try Shop.json(
                    try await GatewayClient.createOrder(
                        client, payId: "T1001", price: "1.00",
                        extra: [
                            ("notifyUrl", "http://shop.example/notify"), ("returnUrl", "http://shop.example/r?x=1"),
                        ])
                )["data"] as? [String: Any])
            let orderId = try #require(data["orderId"] as? String)
            #expect(data["reallyPrice"] as? String == "0.97")
            #expect(
                try Shop.json(try await client.execute(uri: "/checkOrder?orderId=\(orderId)", method: .get))["msg"]
                    as? String == "订单未支付")

            #expect(try Shop.json(try await Shop.notify(client, price: "0.97"))["code"] as? Int == 1)
            let state = try Shop.json(try await client.execute(uri: "/getOrder?orderId=\(orderId)", method: .post))
            #expect((state["data"] as? [String: Any])?["state"] as? Int == 2)

            let check = try Shop.json(try await client.execute(uri: "/checkOrder?orderId=\(orderId)", method: .get))
            #expect(check["code"] as? Int == 1)
            let back = try #require(check["data"] as? String)
            #expect(
                back.hasPrefix("http://shop.example/r?x=1&payId=T1001&param=&type=1&price=1.00&reallyPrice=0.97&sign="))
            #expect(GatewayClient.fields(of: back)["sign"] == "7af8b9788e66f74bcfec28d1d491f3b1")
            // The buyer's pay page is told the same address, and sends the buyer there.
            let order = try #require(try await shop.services.database.gatewayOrder(tradeNo: orderId)).order
            let status = try Shop.json(try await client.execute(uri: "/api/orders/\(order.id)", method: .get))
            #expect(status["status"] as? String == "paid" && status["returnUrl"] as? String == back)
            let page = String(buffer: try await client.execute(uri: "/pay/\(order.id)", method: .get).body)
            #expect(page.contains(#"data-return="http://shop.example/r?x=1&amp;payId=T1001"#))

            let queued = try await shop.services.database.dueOutboxMessages(now: shop.clock.now())
            #expect(queued.count == 1 && queued[0].kind == .merchantNotify)
            #expect(
                queued[0].recipient
                    == "http://shop.example/notify?payId=T1001&param=&type=1&price=1.00&reallyPrice=0.97&sign=7af8b9788e66f74bcfec28d1d491f3b1"
            )
        }
    }

    @Test("closeOrder needs md5(orderId + key) and only a waiting order; getState reports the listener")
    func closeAndState() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        let signer = VMQMerchantSignature(key: GatewayClient.key)
        try await TestServices.test(shop.services) { client in
            let data = try #require(
                try Shop.json(try await GatewayClient.createOrder(client, payId: "T1", price: "1.00"))["data"]
                    as? [String: Any])
            let orderId = try #require(data["orderId"] as? String)
            func close(_ sign: String) async throws -> [String: Any] {
                try Shop.json(
                    try await client.execute(uri: "/closeOrder?orderId=\(orderId)&sign=\(sign)", method: .get))
            }
            #expect(try await close("0123456789abcdef0123456789abcdef")["msg"] as? String == "签名校验不通过")
            #expect(try await close(signer.closeOrder(orderId: orderId))["code"] as? Int == 1)
            #expect(try await close(signer.closeOrder(orderId: orderId))["msg"] as? String == "订单状态不允许关闭")
            let state = try Shop.json(try await client.execute(uri: "/getOrder?orderId=\(orderId)", method: .get))
            #expect((state["data"] as? [String: Any])?["state"] as? Int == -1)
            #expect(
                try Shop.json(try await client.execute(uri: "/checkOrder?orderId=\(orderId)", method: .get))["msg"]
                    as? String == "订单已过期")
            // The slot is still held for the late grace: a new order does not get 1.00.
            let next = try Shop.json(try await GatewayClient.createOrder(client, payId: "T2", price: "1.00"))
            #expect((next["data"] as? [String: Any])?["reallyPrice"] as? String != "1.00")

            let t = "1700000000"
            func getState(_ sign: String) async throws -> [String: Any] {
                try Shop.json(try await client.execute(uri: "/getState?t=\(t)&sign=\(sign)", method: .get))
            }
            #expect(try await getState("bad")["msg"] as? String == "签名校验不通过")
            let before = try #require(try await getState(signer.state(t: t))["data"] as? [String: String])
            #expect(before == ["lastheart": "", "lastpay": "", "jkstate": "-1"])
            let heart = ListenerSignature(secret: TestServices.listenerSecret)
            let ms = String(Int(shop.clock.now().timeIntervalSince1970 * 1000))
            _ = try await client.execute(uri: "/appHeart?t=\(ms)&sign=\(heart.heartSign(t: ms))", method: .get)
            let after = try #require(try await getState(signer.state(t: t))["data"] as? [String: String])
            #expect(
                after["jkstate"] == "1" && after["lastheart"] == String(Int(shop.clock.now().timeIntervalSince1970)))
            shop.clock.advance(by: 3600)
            #expect((try await getState(signer.state(t: t))["data"] as? [String: String])?["jkstate"] == "0")
        }
    }

    @Test(
        "notify URLs: a private address is refused, notifyHosts is enforced, and a flood of bad signatures is limited")
    func notifyAddresses() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        let hostsKey = "hosts-merchant-key-0123456789"
        try await GatewayClient.addMerchant(shop.services, key: hostsKey, notifyHosts: ["shop.example"])
        try await TestServices.test(shop.services) { client in
            for url in ["http://127.0.0.1:9/n", "http://[::1]/n", "http://10.1.2.3/n", "http://localhost/n"] {
                let answer = try Shop.json(
                    try await GatewayClient.createOrder(client, payId: "P", price: "1.00", extra: [("notifyUrl", url)]))
                #expect((answer["msg"] as? String)?.contains("内网或本机") == true, "\(url)")
            }
            let otherHost = try Shop.json(
                try await GatewayClient.createOrder(
                    client, payId: "P", price: "1.00", key: hostsKey, extra: [("notifyUrl", "http://evil.example/n")]))
            #expect((otherHost["msg"] as? String)?.contains("evil.example") == true)
            let ownHost = try Shop.json(
                try await GatewayClient.createOrder(
                    client, payId: "P", price: "1.00", key: hostsKey, extra: [("notifyUrl", "http://SHOP.example/n")]))
            #expect(ownHost["code"] as? Int == 1)
            let ftp = try Shop.json(
                try await GatewayClient.createOrder(
                    client, payId: "P", price: "1.00", extra: [("notifyUrl", "ftp://shop.example/n")]))
            #expect((ftp["msg"] as? String)?.contains("http") == true)
            #expect(try await shop.services.database.orders(now: shop.clock.now()).count == 1)

            for _ in 0..<20 { _ = try await client.execute(uri: "/getState?t=1&sign=bad", method: .get) }
            let limited = try Shop.json(try await client.execute(uri: "/getState?t=1&sign=bad", method: .get))
            #expect((limited["msg"] as? String)?.contains("错误请求过多") == true)
            // A correct signature still passes.
            let sign = VMQMerchantSignature(key: GatewayClient.key).state(t: "1")
            #expect(
                try Shop.json(try await client.execute(uri: "/getState?t=1&sign=\(sign)", method: .get))["code"] as? Int
                    == 1)
        }
    }
}
