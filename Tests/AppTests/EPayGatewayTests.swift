import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Protocols
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("易支付 V1 API")
struct EPayGatewayTests {
    @Test("submit.php with the specification's vector sends the buyer to the pay page; mapi.php answers JSON")
    func submitAndMapi() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let fields = GatewayClient.epayOrder()
            #expect(
                EPaySignature(key: GatewayClient.key).sign(fields + [("sign_type", "MD5")])
                    == "cc6ebe3880ce134f60e6a25864b292eb")
            let submitted = try await GatewayClient.epay(
                client, "/submit.php", fields + [("sitename", "Shop")], post: true)
            #expect(submitted.status == .found)
            let created = try #require(try await shop.services.database.gatewayOrder(pid: 1001, outTradeNo: "E1001"))
            #expect(submitted.headers[.location] == "/pay/\(created.order.id)")
            #expect(created.merchantOrder.rawType == "wxpay" && created.order.type == .wechat)
            #expect(created.merchantOrder.name == "VIP 会员" && created.merchantOrder.siteName == "Shop")
            let page = String(buffer: try await client.execute(uri: "/pay/\(created.order.id)", method: .get).body)
            #expect(page.contains("VIP 会员") && page.contains("1.00"))

            let mapi = try Shop.json(
                try await GatewayClient.epay(
                    client, "/mapi.php", GatewayClient.epayOrder(outTradeNo: "E1002") + [("clientip", "1.2.3.4")],
                    post: true))
            #expect(mapi["code"] as? Int == 1)
            let tradeNo = try #require(mapi["trade_no"] as? String)
            #expect(tradeNo.count >= 16 && tradeNo.allSatisfy(\.isNumber))
            let second = try #require(try await shop.services.database.gatewayOrder(tradeNo: tradeNo))
            #expect(mapi["payurl"] as? String == "http://127.0.0.1:8080/pay/\(second.order.id)")
            #expect(mapi["qrcode"] as? String == "wxp://wechat-\(second.order.amountFen)")
            #expect(second.merchantOrder.clientIp == "1.2.3.4")
        }
    }

    @Test("refusals: bad signature, unknown pid, unsupported type, missing fields, a repeated order number")
    func refusals() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            func mapi(_ fields: [(String, String)], key: String = GatewayClient.key) async throws -> String? {
                let answer = try Shop.json(
                    try await GatewayClient.epay(client, "/mapi.php", fields, key: key, post: true))
                #expect(answer["code"] as? Int == -1)
                return answer["msg"] as? String
            }
            let order = GatewayClient.epayOrder()
            #expect(try await mapi(order, key: "not-the-key-0123456789") == "签名校验失败，请返回重试！")
            #expect(try await mapi([("pid", "1")] + order.dropFirst()) == "商户不存在！")
            #expect(try await mapi(Array(order.dropFirst())) == "商户ID不能为空")
            #expect(try await mapi(order.filter { $0.0 != "money" }) == "金额(money)不能为空")
            #expect(try await mapi(GatewayClient.epayOrder(money: "1.001")) == "金额不合法")
            #expect(try await mapi(GatewayClient.epayOrder(outTradeNo: "E 1")) == "订单号(out_trade_no)格式不正确")
            #expect(try await mapi(order.filter { $0.0 != "notify_url" }) == "通知地址(notify_url)不能为空")
            #expect(try await mapi(GatewayClient.epayOrder(type: "qqpay"))?.contains("qqpay") == true)
            #expect(
                try await mapi(GatewayClient.epayOrder(notifyUrl: "http://192.168.1.2/n"))?.contains("内网或本机") == true)

            // submit.php answers the buyer with an error page, not JSON.
            let page = try await GatewayClient.epay(client, "/submit.php", GatewayClient.epayOrder(type: "bank"))
            #expect(page.status == .badRequest)
            #expect(String(buffer: page.body).contains("不支持的支付方式(type)：bank"))
            let noReturn = try await GatewayClient.epay(client, "/submit.php", order.filter { $0.0 != "return_url" })
            #expect(String(buffer: noReturn.body).contains("回调地址(return_url)不能为空"))

            // The same order number: the same order while the request is the same, refused otherwise.
            let first = try Shop.json(try await GatewayClient.epay(client, "/mapi.php", order, post: true))
            let again = try Shop.json(try await GatewayClient.epay(client, "/mapi.php", order, post: true))
            #expect(first["trade_no"] as? String != nil && again["trade_no"] as? String == first["trade_no"] as? String)
            #expect(
                try await mapi(GatewayClient.epayOrder(money: "2.00"))
                    == "该订单(E1001)支付参数有变化，请更换订单号重新发起支付")
            #expect(try await shop.services.database.orders(now: shop.clock.now()).count == 1)
        }
    }

    @Test("api.php act=order by key or by sign, before and after payment; act=query; bad keys")
    func queries() async throws {
        let shop = try await Shop.make()
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let created = try Shop.json(
                try await GatewayClient.epay(
                    client, "/mapi.php", GatewayClient.epayOrder() + [("param", "u=7")], post: true))
            let tradeNo = try #require(created["trade_no"] as? String)
            func query(_ query: String) async throws -> [String: Any] {
                try Shop.json(try await client.execute(uri: "/api.php?" + query, method: .get))
            }
            let waiting = try await query("act=order&pid=1001&key=\(GatewayClient.key)&trade_no=\(tradeNo)")
            #expect(waiting["code"] as? Int == 1 && waiting["msg"] as? String == "查询订单号成功！")
            #expect(waiting["status"] as? Int == 0 && waiting["trade_status"] as? String == "WAIT_BUYER_PAY")
            #expect(waiting["out_trade_no"] as? String == "E1001" && waiting["money"] as? String == "1.00")
            #expect(waiting["type"] as? String == "wxpay" && waiting["param"] as? String == "u=7")
            #expect(waiting["pid"] as? Int == 1001 && waiting["name"] as? String == "VIP 会员")

            #expect(try Shop.json(try await Shop.notify(client, price: "1.00"))["code"] as? Int == 1)
            let signed = try Shop.json(
                try await GatewayClient.epay(
                    client, "/api.php", [("act", "order"), ("pid", "1001"), ("out_trade_no", "E1001")]))
            #expect(signed["status"] as? Int == 1 && signed["trade_status"] as? String == "TRADE_SUCCESS")
            #expect(signed["endtime"] as? String != nil)

            let merchant = try await query("act=query&pid=1001&key=\(GatewayClient.key)")
            #expect(merchant["code"] as? Int == 1 && merchant["pid"] as? Int == 1001 && merchant["active"] as? Int == 1)
            #expect(merchant["orders"] as? Int == 1 && merchant["order_today"] as? String == "1.00")

            let badKey = try await query("act=order&pid=1001&key=wrong&trade_no=\(tradeNo)")
            #expect(badKey["code"] as? Int == -1 && badKey["msg"] as? String == "KEY校验失败")
            #expect(try await query("act=order&pid=1&key=wrong&trade_no=1")["msg"] as? String == "PID不存在")
            let unknown = try await query("act=order&pid=1001&key=\(GatewayClient.key)&trade_no=12345678901234567890")
            #expect(unknown["msg"] as? String == "订单号不存在")
            #expect(try await query("act=nothing")["msg"] as? String == "No Act!")

            // The notification carries the 易支付 parameters, signed over the raw values.
            let queued = try #require(try await shop.services.database.dueOutboxMessages(now: shop.clock.now()).first)
            let sent = GatewayClient.fields(of: queued.recipient)
            #expect(sent["trade_no"] == tradeNo && sent["out_trade_no"] == "E1001" && sent["money"] == "1.00")
            #expect(sent["name"] == "VIP 会员" && sent["param"] == "u=7" && sent["trade_status"] == "TRADE_SUCCESS")
            let unsigned = sent.filter { $0.key != "sign" }.map { ($0.key, $0.value) }
            #expect(sent["sign"] == EPaySignature(key: GatewayClient.key).sign(unsigned))
            #expect(queued.recipient.contains("name=VIP%20%E4%BC%9A%E5%91%98"))
        }
    }
}
