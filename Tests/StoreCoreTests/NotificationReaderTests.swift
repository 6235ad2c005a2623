import Foundation
import GRDB
import TestSupport
import Testing

@testable import StoreCore

@Suite("Reading forwarded wallet notifications")
struct NotificationReaderTests {
    static let wechat = "com.tencent.mm", alipay = "com.eg.android.AlipayGphone"

    @Test("every rule reads the texts it was written for, with its wallet, from the package or the title")
    func rulesReadTheirExamples() {
        for rule in NotificationRule.all {
            let app = rule.wallet == .wechat ? Self.wechat : Self.alipay
            let title = rule.wallet == .wechat ? "微信支付" : "支付宝"
            for example in rule.examples {
                let expected = NotificationReader.Reading.payment(
                    type: rule.wallet, amount: Money(parsing: example.amount)!, rawAmount: example.amount)
                #expect(NotificationReader.read(app: app, title: "", content: example.text) == expected, "\(example)")
                #expect(NotificationReader.read(app: "", title: title, content: example.text) == expected, "\(example)")
            }
        }
    }

    @Test("the texts of SPEC 15, under their titles")
    func specTexts() {
        let cases: [(String, String, String, PayType, String)] = [
            (Self.wechat, "微信支付", "微信支付收款1.17元(朋友到店)", .wechat, "1.17"),
            (Self.wechat, "微信收款助手", "[3条]微信支付: 微信支付收款0.50元", .wechat, "0.50"),
            ("", "微信收款商业版", "微信支付收款12.00元", .wechat, "12.00"),
            (Self.alipay, "支付宝通知", "成功收款0.01元。享免费提现等更多专属服务，点击查看", .alipay, "0.01"),
            (Self.alipay, "", "某某通过扫码向你付款0.01元", .alipay, "0.01"),
            ("", "支付宝", "支付宝成功收款0.01元", .alipay, "0.01"),
            // SmsForwarder's default text for an app: the package, then the title, then the text.
            (Self.wechat, "", "com.tencent.mm\n微信支付\n微信支付收款0.99元\n2026-12-01 12:00:00", .wechat, "0.99"),
        ]
        for (app, title, content, wallet, amount) in cases {
            #expect(
                NotificationReader.read(app: app, title: title, content: content)
                    == .payment(type: wallet, amount: Money(parsing: amount)!, rawAmount: amount), "\(content)")
        }
    }

    @Test("a daily total, a text without an amount, another app and an unknown wallet are never guessed")
    func unread() {
        #expect(NotificationReader.read(app: Self.alipay, title: "", content: "今日第5笔收款，共计¥1.04") == .unread(.noAmount))
        #expect(
            NotificationReader.read(app: Self.alipay, title: "", content: "成功收款0.01元，今日第5笔收款，共计¥1.04")
                == .unread(.severalAmounts))
        #expect(
            NotificationReader.read(app: Self.wechat, title: "", content: "微信支付收款1.00元 微信支付收款2.00元")
                == .unread(.severalAmounts))
        #expect(NotificationReader.read(app: Self.wechat, title: "微信支付", content: "你有一笔新的收款") == .unread(.noAmount))
        #expect(
            NotificationReader.read(app: "com.example.bank", title: "", content: "成功收款0.01元") == .unread(.notAWallet))
        #expect(NotificationReader.read(app: "", title: "短信", content: "成功收款0.01元") == .unread(.noWallet))
        // A WeChat text forwarded as Alipay's is not read by Alipay's rules.
        #expect(NotificationReader.read(app: Self.alipay, title: "", content: "微信支付收款1.17元") == .unread(.noAmount))
    }

    @Test("SmsForwarder's signature vector, and its sign as a form sends it (encoded twice)")
    func signature() {
        let signer = ListenerSignature(secret: "k3Y-example-Secret-0123456789ab")
        #expect(signer.smsForwarderSign(timestamp: "1700000000123") == "m4rkGZB2uZ1yCLakLUclQptXcoC4JNHpCxXtbi02kjI=")
        for sent in [
            "m4rkGZB2uZ1yCLakLUclQptXcoC4JNHpCxXtbi02kjI=", "m4rkGZB2uZ1yCLakLUclQptXcoC4JNHpCxXtbi02kjI%3D",
            "m4rkGZB2uZ1yCLakLUclQptXcoC4JNHpCxXtbi02kjI%253D",
        ] {
            #expect(ListenerSignature.plainBase64(sent) == "m4rkGZB2uZ1yCLakLUclQptXcoC4JNHpCxXtbi02kjI=")
        }
        #expect(ListenerSignature.plainBase64("a b%2Bc") == "a+b+c")
    }

    @Test("an unread notification turned into a payment by the seller is linked once, in the payment's transaction")
    func convert() async throws {
        let ledger = try await Ledger(stocked: [100])
        let order = try await ledger.allocator.purchase(
            PurchaseRequest(goodsId: ledger.goods.id, type: .wechat, buyerToken: "b", buyerAddress: "a"))
        let notification = ListenerNotification(
            channelId: 1, app: Self.wechat, title: "微信支付", content: "你有一笔新的收款", reason: .noAmount,
            receivedAt: ledger.clock.now())
        #expect(try await ledger.database.recordListenerNotification(notification, replayKey: "h1", replayMemory: 600))
        #expect(try await !ledger.database.recordListenerNotification(notification, replayKey: "h1", replayMemory: 600))
        let stored = try #require(try await ledger.database.listenerNotifications().first)
        #expect(stored.isOpen && stored.reason == .noAmount)
        let push = ListenerPush(
            type: .wechat, amount: Money(fen: 100), rawAmount: "1.00", source: .smsForwarder,
            rawRequest: "read by the seller", remoteAddress: nil, notificationId: stored.id)
        guard case .recorded(let payment) = try await ledger.matcher.record(push) else {
            Issue.record("not recorded")
            return
        }
        #expect(payment.outcome == .matched && payment.orderId == order.id)
        #expect(try await ledger.database.listenerNotification(id: stored.id!)?.paymentId == payment.id)
        // A second time the notification is no longer open: refused, and nothing is stored.
        await #expect(throws: ListenerNotificationError.notOpen) { try await ledger.matcher.record(push) }
        #expect(try await ledger.database.payments().count == 1)
        await #expect(throws: ListenerNotificationError.notOpen) {
            try await ledger.database.dismissListenerNotification(id: stored.id!, now: ledger.clock.now())
        }
    }

    @Test("v10 keeps every payment as it was")
    func v10() async throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v9: merchants and their notifications")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO payment (channelId, type, amountFen, rawAmount, source, rawRequest, receivedAt, outcome,
                        flagged)
                    VALUES (1, 'wechat', 98, '0.980', 'appPush', 'GET …', '2026-11-01 10:01:00.000', 'unmatched', 1)
                    """)
        }
        let database = try AppDatabase(queue)
        let payments = try await database.payments()
        #expect(payments.count == 1 && payments[0].rawAmount == "0.980" && payments[0].source == .appPush)
        #expect(payments[0].flagged && payments[0].channelId == 1 && payments[0].outcome == .unmatched)
    }
}
