import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("SmsForwarder webhooks")
struct SmsForwarderTests {
    /// SmsForwarder's sign for `timestamp`, URL-encoded once as the app makes it.
    static func sign(_ timestamp: String, secret: String = TestServices.listenerSecret) -> String {
        ListenerSignature(secret: secret).smsForwarderSign(timestamp: timestamp)
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    static func now(_ shop: Shop, plus milliseconds: Int = 0) -> String {
        String(Int(shop.clock.now().timeIntervalSince1970 * 1000) + milliseconds)
    }

    /// SmsForwarder's default text for an app notification: package, text, title, UID, time, device.
    static func defaultText(_ package: String, _ text: String, title: String) -> String {
        "\(package)\n\(text)\n\(title)\nUID：10123\n2026-12-01 12:00:00\n元宝的手机"
    }

    /// A form as the app posts it without a template: every value form-encoded, the sign twice.
    static func form(
        _ client: any TestClientProtocol, channel: Int64 = 1, from: String, content: String, timestamp: String,
        sign: String
    ) async throws -> TestResponse {
        let body = [("from", from), ("content", content), ("timestamp", timestamp), ("sign", sign)]
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        return try await client.execute(
            uri: "/listener/smsforwarder/\(channel)", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    @Test("a form without a template pays the order; the same request again is paid once")
    func formMode() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let amount = try #require(order["amount"] as? String)
            let t = Self.now(shop)
            let content = Self.defaultText("com.tencent.mm", "微信支付收款\(amount)元(朋友到店)", title: "微信支付")
            let response = try await Self.form(
                client, from: "com.tencent.mm", content: content, timestamp: t, sign: Self.sign(t))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"code":0,"msg":"ok"}"#)
            let id = try #require(order["id"] as? String)
            #expect(try await shop.services.database.order(id: id)?.status == .paid)
            let again = try await Self.form(
                client, from: "com.tencent.mm", content: content, timestamp: t, sign: Self.sign(t))
            #expect(try again.status == .ok && Shop.json(again)["msg"] as? String == "duplicate")
            let payments = try await shop.services.database.payments()
            #expect(payments.count == 1 && payments[0].source == .smsForwarder && payments[0].channelId == 1)
            #expect(payments[0].rawRequest.contains("微信支付收款") && !payments[0].rawRequest.contains("sign="))
        }
    }

    @Test("a JSON template and a GET template are read the same way")
    func templates() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let first = try Shop.json(try await Shop.order(client, goods: shop.goods.id, type: "alipay"))
            let t = Self.now(shop)
            let json = try JSONSerialization.data(withJSONObject: [
                "from": "com.eg.android.AlipayGphone", "title": "支付宝通知", "timestamp": Int(t)!,
                "content": "成功收款\(first["amount"] as! String)元。享免费提现等更多专属服务，点击查看", "sign": Self.sign(t),
                "device": "phone 2",
            ])
            let posted = try await client.execute(
                uri: "/listener/smsforwarder/1", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(data: json))
            #expect(posted.status == .ok)
            #expect(try await shop.services.database.order(id: first["id"] as! String)?.status == .paid)

            let second = try Shop.json(try await Shop.order(client, goods: shop.goods.id, type: "alipay"))
            // Each request has a timestamp of its own: a sign is used up by the first one carrying it.
            let t2 = Self.now(shop, plus: 1)
            let query = [
                ("title", "支付宝"), ("msg", "某某通过扫码向你付款\(second["amount"] as! String)元"), ("timestamp", t2),
                ("sign", Self.sign(t2).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
            ].map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            let got = try await client.execute(
                uri: "/listener/smsforwarder/1?" + query.joined(separator: "&"), method: .get)
            #expect(got.status == .ok)
            #expect(try await shop.services.database.order(id: second["id"] as! String)?.status == .paid)
        }
    }

    @Test("a daily total and a text without an amount are kept unread, never paid")
    func unread() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, type: "alipay"))
            let amount = try #require(order["amount"] as? String)
            let t = Self.now(shop)
            for text in ["今日第5笔收款，共计¥\(amount)", "成功收款\(amount)元，今日第5笔收款，共计¥9.99", "你有一笔新的收款"] {
                let content = Self.defaultText("com.eg.android.AlipayGphone", text, title: "支付宝")
                let response = try await Self.form(
                    client, from: "com.eg.android.AlipayGphone", content: content, timestamp: t, sign: Self.sign(t))
                #expect(response.status == .ok)
            }
            // A buyer's chat message with the seller, forwarded as WeChat's: its title is the buyer.
            let chat = Self.defaultText("com.tencent.mm", "微信支付收款\(amount)元", title: "张三")
            let t2 = Self.now(shop, plus: 1)
            _ = try await Self.form(client, from: "com.tencent.mm", content: chat, timestamp: t2, sign: Self.sign(t2))
            #expect(try await shop.services.database.order(id: order["id"] as! String)?.status == .pending)
            #expect(try await shop.services.database.payments().isEmpty)
            let kept = try await shop.services.database.listenerNotifications()
            #expect(Set(kept.map(\.reason)) == [.noAmount, .severalAmounts] && kept.count == 4)
            #expect(kept.contains { $0.title == "张三" && $0.content == "微信支付收款\(amount)元" })
            #expect(kept.allSatisfy { $0.isOpen && $0.channelId == 1 })
        }
    }

    @Test("refusals: a bad sign 401, a stale timestamp 400, another channel's secret 401; a heartbeat stores nothing")
    func refusals() async throws {
        let shop = try await Shop.make()
        let second = try await ChannelTests.addChannel(shop)
        try await TestServices.test(shop.services) { client in
            let t = Self.now(shop)
            let bad = try await Self.form(
                client, from: "com.tencent.mm", content: "微信支付收款1.00元", timestamp: t, sign: "AAAA")
            #expect(try bad.status == .unauthorized && Shop.json(bad)["code"] as? Int == -1)
            let old = String(Int(shop.clock.now().timeIntervalSince1970 * 1000) - 301_000)
            let stale = try await Self.form(
                client, from: "com.tencent.mm", content: "微信支付收款1.00元", timestamp: old, sign: Self.sign(old))
            #expect(stale.status == .badRequest)
            let crossed = try await Self.form(
                client, channel: second, from: "com.tencent.mm", content: "微信支付收款1.00元", timestamp: t,
                sign: Self.sign(t))
            #expect(crossed.status == .unauthorized)
            let own = try await Self.form(
                client, channel: second, from: "heartbeat", content: "如果 每分钟 就执行 推送通知", timestamp: t,
                sign: Self.sign(t, secret: ChannelTests.secondSecret))
            #expect(own.status == .ok)
            #expect(try await shop.services.database.channel(id: second)?.lastSeenAt == shop.clock.now())
            let missing = try await client.execute(uri: "/listener/smsforwarder/1", method: .post)
            #expect(missing.status == .badRequest)
            #expect(try await client.execute(uri: "/listener/smsforwarder/99", method: .post).status == .notFound)
            #expect(try await shop.services.database.payments().isEmpty)
            #expect(try await shop.services.database.listenerNotifications().isEmpty)
        }
    }

    @Test("a heartbeat's sign cannot be reused for a payment, and a title with money is no heartbeat")
    func heartbeats() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, type: "alipay"))
            let amount = try #require(order["amount"] as? String)
            let t = Self.now(shop)
            let beat = try await Self.form(
                client, from: " heartbeat", content: "如果 每分钟 就执行 推送通知", timestamp: t, sign: Self.sign(t))
            #expect(beat.status == .ok)
            // Someone who saw the heartbeat's timestamp and sign forges a payment with them.
            let forged = Self.defaultText("com.eg.android.AlipayGphone", "成功收款\(amount)元", title: "支付宝")
            _ = try await Self.form(
                client, from: "com.eg.android.AlipayGphone", content: forged, timestamp: t, sign: Self.sign(t))
            #expect(try await shop.services.database.order(id: order["id"] as! String)?.status == .pending)
            #expect(try await shop.services.database.listenerNotifications().map(\.reason) == [.reusedSign])
            // A JSON template whose text is empty but whose title is not is read, not a heartbeat.
            let t2 = Self.now(shop, plus: 1)
            let json = try JSONSerialization.data(withJSONObject: [
                "title": "支付宝", "content": "成功收款\(amount)元", "timestamp": t2, "sign": Self.sign(t2),
            ])
            _ = try await client.execute(
                uri: "/listener/smsforwarder/1", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(data: json))
            #expect(try await shop.services.database.order(id: order["id"] as! String)?.status == .paid)
        }
    }

    @Test(
        "the seller reads an unread notification as an unmatched payment, once, and attaches it; another is put aside")
    func sellerReadsUnread() async throws {
        let shop = try await Shop.make()
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let amount = try #require(order["amount"] as? String)
            let t = Self.now(shop)
            for text in ["你有一笔新的收款<b>", "今日第5笔收款，共计¥1.04"] {
                let content = Self.defaultText("com.tencent.mm", text, title: "微信支付")
                _ = try await Self.form(
                    client, from: "com.tencent.mm", content: content, timestamp: t, sign: Self.sign(t))
            }
            let kept = try await shop.services.database.listenerNotifications()
            let unreadId = try #require(kept.first { $0.content.hasPrefix("你有") }?.id)
            let totalId = try #require(kept.first { $0.content.hasPrefix("今日") }?.id)
            var browser = Browser(client)
            _ = try await browser.logIn()
            let dashboard = String(buffer: try await browser.get("/admin").body)
            #expect(dashboard.contains("2 forwarded notifications could not be read"))
            let page = String(buffer: try await browser.get("/admin/payments").body)
            #expect(page.contains("你有一笔新的收款&lt;b&gt;") && page.contains("今日第5笔收款"))
            let channels = String(buffer: try await browser.get("/admin/channels").body)
            #expect(channels.contains("/listener/smsforwarder/1</code>"))

            #expect(
                try await browser.post(
                    "/admin/notifications/\(unreadId)/payment", form: [("type", "wechat"), ("amount", "1.001")]
                ).status == .unprocessableContent)
            let made = try await browser.post(
                "/admin/notifications/\(unreadId)/payment", form: [("type", "wechat"), ("amount", amount)])
            #expect(made.status == .seeOther)
            // Unmatched: the seller attaches it on the order it belongs to.
            #expect(try await shop.services.database.order(id: order["id"] as! String)?.status == .pending)
            let payment = try #require(try await shop.services.database.payments().first)
            #expect(payment.source == .manual && payment.outcome == .unmatched && payment.channelId == 1)
            let attached = try await browser.post(
                "/admin/orders/\(order["id"] as! String)/paid", form: [("payment", String(payment.id!))])
            #expect(attached.status == .seeOther)
            #expect(try await shop.services.database.order(id: order["id"] as! String)?.status == .paid)
            #expect(try await shop.services.database.listenerNotification(id: unreadId)?.paymentId == payment.id)
            let again = try await browser.post(
                "/admin/notifications/\(unreadId)/payment", form: [("type", "wechat"), ("amount", amount)])
            #expect(again.status == .conflict)
            #expect(try await shop.services.database.payments().count == 1)

            #expect(try await browser.post("/admin/notifications/\(totalId)/dismiss", form: []).status == .seeOther)
            #expect(try await shop.services.database.listenerNotification(id: totalId)?.isOpen == false)
            #expect(try await browser.post("/admin/notifications/\(totalId)/dismiss", form: []).status == .conflict)
        }
    }
}
