import Foundation
import GRDB
import TestSupport
import Testing

@testable import StoreCore

@Suite("Reading forwarded wallet notifications")
struct NotificationReaderTests {
    static let wechat = "com.tencent.mm", alipay = "com.eg.android.AlipayGphone"

    @Test(
        "every rule reads the texts it was written for, under each of its titles, from the package or the title alone")
    func rulesReadTheirExamples() {
        for rule in NotificationRule.all {
            let app = rule.wallet == .wechat ? Self.wechat : Self.alipay
            for example in rule.examples {
                let expected = NotificationReader.Reading.payment(
                    type: rule.wallet, amount: Money(parsing: example.amount)!, rawAmount: example.amount)
                for title in rule.titles {
                    #expect(
                        NotificationReader.read(app: app, title: title, text: example.text) == expected, "\(example)")
                    #expect(
                        NotificationReader.read(app: "", title: title, text: example.text) == expected, "\(example)")
                }
            }
        }
    }

    @Test("the texts of SPEC 15 under their titles, and SmsForwarder's default text taken apart")
    func specTexts() {
        let cases: [(String, String, String, PayType, String)] = [
            (Self.wechat, "微信支付", "微信支付收款1.17元(朋友到店)", .wechat, "1.17"),
            (Self.wechat, "微信收款助手", "[3条]微信支付: 微信支付收款0.50元", .wechat, "0.50"),
            ("", "微信收款商业版", "微信支付收款12.00元", .wechat, "12.00"),
            (Self.alipay, "支付宝通知", "成功收款0.01元。享免费提现等更多专属服务，点击查看", .alipay, "0.01"),
            (Self.alipay, "支付宝", "某某通过扫码向你付款0.01元", .alipay, "0.01"),
            ("", "支付宝", "支付宝成功收款0.01元", .alipay, "0.01"),
        ]
        for (app, title, text, wallet, amount) in cases {
            #expect(
                NotificationReader.read(app: app, title: title, text: text)
                    == .payment(type: wallet, amount: Money(parsing: amount)!, rawAmount: amount), "\(text)")
        }
        // No template: the package, the text, the title, the UID, the time, the device.
        let parts = NotificationReader.parts(
            from: Self.wechat, title: nil,
            content: "com.tencent.mm\n微信支付收款0.99元\n微信支付\nUID：10123\n2026-12-01 12:00:00\n元宝的手机")
        #expect(parts == ("微信支付", "微信支付收款0.99元"))
        #expect(
            NotificationReader.read(app: Self.wechat, title: parts.title, text: parts.text)
                == .payment(type: .wechat, amount: Money(fen: 99), rawAmount: "0.99"))
        // A template's [title] may carry the notification's scheme after #####.
        #expect(NotificationReader.parts(from: "", title: "支付宝#####alipays://x", content: "t") == ("支付宝", "t"))
    }

    @Test("a chat message, a group message, an SMS and a daily total are never read as money")
    func neverGuessed() {
        // A buyer typing the text to the seller: the title is the buyer's name, or the text is theirs.
        #expect(NotificationReader.read(app: Self.wechat, title: "张三", text: "微信支付收款1.00元") == .unread(.noAmount))
        #expect(NotificationReader.read(app: Self.wechat, title: "买家群", text: "张三: 微信支付收款1.00元") == .unread(.noAmount))
        #expect(NotificationReader.read(app: Self.wechat, title: "微信支付", text: "张三: 微信支付收款1.00元") == .unread(.noAmount))
        #expect(NotificationReader.read(app: Self.alipay, title: "李四", text: "成功收款1.00元") == .unread(.noAmount))
        // An SMS, or another app, says nothing about the wallet, whatever its text.
        #expect(NotificationReader.read(app: "+8613800000000", title: "", text: "支付宝成功收款1.00元") == .unread(.notAWallet))
        #expect(
            NotificationReader.read(app: "com.example.bank", title: "支付宝", text: "成功收款0.01元") == .unread(.notAWallet))
        #expect(NotificationReader.read(app: "", title: "短信", text: "成功收款0.01元") == .unread(.noWallet))
        // A daily total beside the payment, two payments in one text, a text without an amount.
        #expect(NotificationReader.read(app: Self.alipay, title: "支付宝", text: "今日第5笔收款，共计¥1.04") == .unread(.noAmount))
        #expect(
            NotificationReader.read(app: Self.alipay, title: "支付宝", text: "成功收款0.01元，今日第5笔收款，共计¥1.04")
                == .unread(.severalAmounts))
        #expect(
            NotificationReader.read(app: Self.alipay, title: "支付宝", text: "成功收款1.00元，余额1,001.00元")
                == .unread(.severalAmounts))
        #expect(NotificationReader.read(app: Self.wechat, title: "微信支付", text: "你有一笔新的收款") == .unread(.noAmount))
        // A WeChat text under Alipay's package is not read by Alipay's rules.
        #expect(NotificationReader.read(app: Self.alipay, title: "支付宝", text: "微信支付收款1.17元") == .unread(.noAmount))
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

    @Test("an unread notification the seller reads is an unmatched payment of its channel, made once")
    func sellerRead() async throws {
        let ledger = try await Ledger(stocked: [100])
        let order = try await ledger.allocator.purchase(
            PurchaseRequest(goodsId: ledger.goods.id, type: .wechat, buyerToken: "b", buyerAddress: "a"))
        let notification = ListenerNotification(
            channelId: 1, app: Self.wechat, title: "微信支付", content: "你有一笔新的收款", reason: .noAmount,
            receivedAt: ledger.clock.now())
        #expect(
            try await ledger.database.recordListenerNotification(
                notification, replayKey: "h1", alsoSeen: ["t1"], replayMemory: 600))
        #expect(
            try await !ledger.database.recordListenerNotification(
                notification, replayKey: "h1", alsoSeen: ["t1"], replayMemory: 600))
        let stored = try #require(try await ledger.database.listenerNotifications().first)
        #expect(stored.isOpen && stored.reason == .noAmount)
        let payment = try await ledger.database.recordSellerReadPayment(
            notificationId: stored.id!, type: .wechat, amount: Money(fen: 100), rawAmount: "1.00",
            now: ledger.clock.now())
        // Not matched by the time now: the order holding 1.00 may be another buyer's.
        #expect(payment.outcome == .unmatched && payment.source == .manual && payment.channelId == 1)
        #expect(try await ledger.database.order(id: order.id)?.status == .pending)
        #expect(try await ledger.database.listenerNotification(id: stored.id!)?.paymentId == payment.id)
        await #expect(throws: ListenerNotificationError.notOpen) {
            try await ledger.database.recordSellerReadPayment(
                notificationId: stored.id!, type: .wechat, amount: Money(fen: 100), rawAmount: "1.00",
                now: ledger.clock.now())
        }
        #expect(try await ledger.database.payments().count == 1)
        await #expect(throws: ListenerNotificationError.notOpen) {
            try await ledger.database.dismissListenerNotification(id: stored.id!, now: ledger.clock.now())
        }
        // The timestamp it carried is used up: a push with the same key is a replay.
        let replay = try await ledger.matcher.record(
            ListenerPush(
                type: .wechat, amount: Money(fen: 100), rawAmount: "1.00", source: .smsForwarder, rawRequest: "x",
                remoteAddress: nil, replayKey: "t1"))
        #expect(replay == .replay)
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
        // The index that lets one payment settle one order came through the rebuild.
        let indexes = try await queue.read { db in try db.indexes(on: "payment").map(\.name) }
        #expect(Set(indexes).isSuperset(of: ["paymentOrder", "paymentOutcome", "paymentReceived"]))
    }
}
