import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Channels and generic codes")
struct ChannelTests {
    static let secondSecret = "second-phone-secret-0123456789ab"

    /// A second channel with fixed codes for `amounts` (fen) of both types, or a generic code.
    @discardableResult
    static func addChannel(
        _ shop: Shop, amounts: [Int] = Array(90...100), generic: Bool = false, secret: String = secondSecret
    ) async throws -> Int64 {
        let channel = try await shop.services.database.createChannel(name: "second phone", secret: secret, now: Date())
        try await addCodes(shop, channel: channel.id!, amounts: amounts, generic: generic)
        try await shop.services.reloadChannelKeys()
        return channel.id!
    }

    static func addCodes(_ shop: Shop, channel: Int64, amounts: [Int], generic: Bool = false) async throws {
        let amountsOrGeneric: [Int?] = generic ? [nil] : amounts
        for fen in amountsOrGeneric {
            for type in PayType.allCases {
                let payload =
                    "\(type == .wechat ? "wxp://" : "https://qr.alipay.com/")c\(channel)-\(fen.map(String.init) ?? "any")"
                _ = try await shop.services.database.insertPayCode(
                    PayCode(
                        channelId: channel, type: type, amountFen: fen, payload: payload,
                        originalDigest: String(repeating: "a", count: 64), originalFormat: "png",
                        originalName: "\(payload).png",
                        renderedDigest: try shop.services.blobs.store(
                            try QRRendererFixture.png(payload), kind: .rendered, fileExtension: "png"),
                        createdAt: Date()))
            }
        }
    }

    /// A push of protocol A signed with `secret`.
    static func notify(
        _ client: any TestClientProtocol, price: String, secret: String, type: String = "wechat"
    ) async throws -> [String: Any] {
        let sign = ListenerSignature(secret: secret).notifySign(price: price, type: type)
        return try Shop.json(
            try await client.execute(
                uri: "/addons/pay/api/notify?sign=\(sign)&price=\(price)&type=\(type)", method: .get))
    }

    @Test(
        "two channels of 11 amounts: 22 simultaneous purchases take 22 distinct (channel, amount) pairs, the 23rd is a clean 503"
    )
    func capacityGrowsWithChannels() async throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("store.sqlite").path
        let shop = try await Shop.make(amounts: Array(90...100), database: try AppDatabase.open(path: file))
        try await Self.addChannel(shop)
        try await Application(router: buildRouter(services: shop.services)).test(.ahc(.http)) { client in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<22 { group.addTask { try await Shop.order(client, goods: shop.goods.id, buyer: nil) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == .created })
            let orders = try responses.map { try Shop.json($0) }
            let pairs = Set(orders.map { "\($0["channel"] as? Int ?? 0)/\($0["amount"] as? String ?? "")" })
            #expect(pairs.count == 22)
            #expect(Set(orders.compactMap { $0["channel"] as? Int }) == [1, 2])
            let extra = try await Shop.order(client, goods: shop.goods.id, buyer: nil)
            #expect(extra.status == .serviceUnavailable && extra.headers[.retryAfter] != nil)
        }
    }

    @Test("a push signed with channel 2's secret pays channel 2's order of that amount, not channel 1's")
    func pushMatchesItsChannel() async throws {
        let shop = try await Shop.make(amounts: [100])
        try await Self.addChannel(shop, amounts: [100])
        try await TestServices.test(shop.services) { client in
            let first = try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: "a"))
            let second = try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: "b"))
            #expect(first["amount"] as? String == "1.00" && second["amount"] as? String == "1.00")
            let onTwo = try #require([first, second].first { $0["channel"] as? Int == 2 }?["id"] as? String)
            let onOne = try #require([first, second].first { $0["channel"] as? Int == 1 }?["id"] as? String)
            #expect(try await Self.notify(client, price: "1.00", secret: Self.secondSecret)["code"] as? Int == 1)
            #expect(try await shop.services.database.order(id: onTwo)?.status == .paid)
            #expect(try await shop.services.database.order(id: onOne)?.status == .pending)
            let payment = try #require(try await shop.services.database.payments().first)
            #expect(payment.channelId == 2 && payment.orderId == onTwo)
            // The push is channel 2's sign of life.
            #expect(try await shop.services.database.channel(id: 2)?.lastSeenAt != nil)
            #expect(try await shop.services.database.channel(id: 1)?.lastSeenAt == nil)
        }
    }

    @Test("a disabled channel gets no new orders, and its listener's push still pays the order it holds")
    func disabledChannelStillLands() async throws {
        let shop = try await Shop.make(amounts: [])
        try await Self.addChannel(shop, amounts: [100])
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let id = try #require(order["id"] as? String)
            _ = try await shop.services.database.updateChannel(id: 2, enabled: false)
            #expect(try await Shop.order(client, goods: shop.goods.id, buyer: "other").status == .conflict)
            #expect(try await Self.notify(client, price: "1.00", secret: Self.secondSecret)["code"] as? Int == 1)
            #expect(try await shop.services.database.order(id: id)?.status == .paid)
        }
    }

    @Test("one generic code serves every amount below the list price, never the list price; its orders say generic")
    func genericCode() async throws {
        let shop = try await Shop.make(amounts: [])
        try await Self.addCodes(shop, channel: 1, amounts: [], generic: true)
        try await TestServices.test(shop.services) { client in
            var amounts: [String] = []
            for index in 0..<10 {
                let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: "buyer-\(index)"))
                #expect(order["generic"] as? Bool == true)
                amounts.append(try #require(order["amount"] as? String))
            }
            #expect(Set(amounts) == Set((90...99).map { Money(fen: $0).description }))
            #expect(!amounts.contains("1.00"))
            let full = try await Shop.order(client, goods: shop.goods.id, buyer: "eleventh")
            #expect(full.status == .serviceUnavailable)
            // The generic order's pay page puts the exact amount first, with a copy button.
            let order = try #require(
                try await shop.services.database.orders(status: .pending, now: shop.clock.now()).first)
            let page = String(buffer: try await client.execute(uri: "/pay/\(order.id)", method: .get).body)
            #expect(page.contains(#"class="generic-amount""#) && page.contains("data-copy-amount"))
            #expect(page.contains("enter exactly this amount"))
        }
    }

    @Test("a fixed code is chosen before a generic one")
    func fixedBeforeGeneric() async throws {
        let shop = try await Shop.make(amounts: [])
        try await Self.addCodes(shop, channel: 1, amounts: [], generic: true)
        try await Self.addChannel(shop, amounts: [100, 97])
        try await TestServices.test(shop.services) { client in
            let orders = try await (0..<3).asyncMap { index in
                try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: "buyer-\(index)"))
            }
            // Both fixed amounts first (the list price before 0.97), then the generic code.
            #expect(orders[0]["channel"] as? Int == 2 && orders[0]["amount"] as? String == "1.00")
            #expect(orders[1]["channel"] as? Int == 2 && orders[1]["amount"] as? String == "0.97")
            #expect(orders.prefix(2).allSatisfy { $0["generic"] as? Bool == false })
            #expect(orders[2]["channel"] as? Int == 1 && orders[2]["generic"] as? Bool == true)
            #expect(orders[2]["amount"] as? String != "1.00")
        }
    }

    @Test("an online channel is chosen before an offline one; with order.requireOnlineListener never an offline one")
    func onlineBeforeOffline() async throws {
        for requireOnline in [false, true] {
            let shop = try await Shop.make(amounts: [100, 99], ["order.requireOnlineListener": .bool(requireOnline)])
            try await Self.addChannel(shop, amounts: [100, 99])
            try await TestServices.test(shop.services) { client in
                // Nobody heard from yet: with the requirement there is no one to pay.
                if requireOnline {
                    let none = try await Shop.order(client, goods: shop.goods.id, buyer: "early")
                    #expect(none.status == .serviceUnavailable)
                    #expect((try Shop.json(none)["message"] as? String)?.contains("listener is offline") == true)
                }
                // Channel 2's phone says it is there.
                let t = "\(Int(shop.clock.now().timeIntervalSince1970 * 1000))"
                let sign = ListenerSignature(secret: Self.secondSecret).heartSign(t: t)
                _ = try await client.execute(uri: "/appHeart?t=\(t)&sign=\(sign)", method: .get)
                let orders = try await (0..<3).asyncMap { index in
                    try await Shop.order(client, goods: shop.goods.id, buyer: "buyer-\(index)")
                }
                #expect(try orders.prefix(2).allSatisfy { try Shop.json($0)["channel"] as? Int == 2 })
                if requireOnline {
                    #expect(orders[2].status == .serviceUnavailable)
                } else {
                    #expect(try Shop.json(orders[2])["channel"] as? Int == 1)
                }
            }
        }
    }

    @Test("a secret changed outside the server (qrstore channels secret) replaces the old one within seconds")
    func secretChangedFromTheCommandLine() async throws {
        let shop = try await Shop.make(amounts: [100])
        try await Self.addChannel(shop, amounts: [100])
        try await TestServices.test(shop.services) { client in
            #expect(try await Self.notify(client, price: "0.50", secret: Self.secondSecret)["code"] as? Int == 1)
            // What the command does: the database only.
            let fresh = try await shop.services.database.replaceChannelSecret(id: 2)
            shop.clock.advance(by: 6)
            #expect(try await Self.notify(client, price: "0.51", secret: Self.secondSecret)["code"] as? Int == 0)
            #expect(try await Self.notify(client, price: "0.52", secret: fresh)["code"] as? Int == 1)
        }
    }

    @Test("a payment of one channel attaches to another channel's order only when confirmed, and is flagged")
    func attachAcrossChannels() async throws {
        let shop = try await Shop.make(amounts: [100])
        try await Self.addChannel(shop, amounts: [])
        try await TestServices.test(shop.services) { client in
            let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id))
            let id = try #require(order["id"] as? String)
            #expect(order["channel"] as? Int == 1)
            // The same wallet and amount, but into the second phone's account.
            #expect(try await Self.notify(client, price: "1.00", secret: Self.secondSecret)["code"] as? Int == 1)
            let payment = try #require(try await shop.services.database.payments(unmatchedOnly: true).first)
            #expect(payment.channelId == 2)
            await #expect(throws: OrderChangeError.self) {
                _ = try await shop.services.database.markOrderPaid(
                    id: id, paymentId: payment.id, clock: shop.clock, holding: shop.services.configuration.slotHolding)
            }
            let paid = try await shop.services.database.markOrderPaid(
                id: id, paymentId: payment.id, acceptMismatch: true, clock: shop.clock,
                holding: shop.services.configuration.slotHolding)
            #expect(paid.status == .paid && paid.flagged)
        }
    }

    @Test("secrets are unique and at least 16 characters; a new channel gets 32 random ones")
    func secrets() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let short = try await AdminAPITests.send(
                client, "/admin/api/channels", .post, json: #"{"name": "b", "secret": "too-short"}"#)
            #expect(short.status == .unprocessableContent)
            let taken = try await AdminAPITests.send(
                client, "/admin/api/channels", .post,
                json: #"{"name": "b", "secret": "\#(TestServices.listenerSecret)"}"#)
            #expect(taken.status == .conflict)
            let made = try await AdminAPITests.send(
                client, "/admin/api/channels", .post, json: #"{"name": "second phone"}"#)
            #expect(made.status == .created)
            let secret = try #require(try Shop.json(made)["secret"] as? String)
            #expect(secret.count == 32 && secret != TestServices.listenerSecret)
            // The new channel's listener is heard at once.
            #expect(try await Self.notify(client, price: "0.50", secret: secret)["code"] as? Int == 1)
            let list =
                try JSONSerialization.jsonObject(
                    with: Data(buffer: try await AdminAPITests.send(client, "/admin/api/channels", .get).body))
                as? [[String: Any]]
            #expect(list?.map { $0["id"] as? Int } == [1, 2])
            #expect(list?.allSatisfy { $0["secret"] == nil } == true)
            // Channel 1 stays even when empty: the store's first listener secret lives there.
            _ = try await shop.services.database.writer.write { db in try db.execute(sql: "DELETE FROM payCode") }
            #expect(try await AdminAPITests.send(client, "/admin/api/channels/1", .delete).status == .conflict)
            // A channel with codes cannot be deleted; an empty one can.
            try await Self.addCodes(shop, channel: 2, amounts: [50])
            #expect(try await AdminAPITests.send(client, "/admin/api/channels/2", .delete).status == .conflict)
            _ = try await shop.services.database.writer.write { db in try db.execute(sql: "DELETE FROM payCode") }
            // A change answers without the secret, which is shown only when made.
            let renamed = try await AdminAPITests.send(client, "/admin/api/channels/2", .patch, json: #"{"name": "B"}"#)
            #expect(try Shop.json(renamed)["secret"] == nil && Shop.json(renamed)["name"] as? String == "B")
            #expect(try await AdminAPITests.send(client, "/admin/api/channels/2", .delete).status == .noContent)
            #expect(try await Self.notify(client, price: "0.50", secret: secret)["code"] as? Int == 0)
        }
    }

    @Test("the seller adds, renames and turns off a channel, uploads generic codes into it, and sees its coverage")
    func sellerPages() async throws {
        let shop = try await Shop.make(amounts: [100])
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            var seller = Browser(client)
            _ = try await seller.logIn()
            let added = try await seller.post("/admin/channels", form: [("name", "第二部手机"), ("secret", "")])
            #expect(added.status == .seeOther || added.status == .found)
            let channel = try #require(try await shop.services.database.channel(id: 2))
            var page = String(buffer: try await seller.get("/admin/channels").body)
            #expect(page.contains("第二部手机") && page.contains(channel.secret))
            #expect(page.contains("/admin/channels/2/listener-qr.png"))
            let short = try await seller.post("/admin/channels", form: [("name", "x"), ("secret", "short")])
            #expect(short.status == .unprocessableContent)
            let slash = try await seller.post(
                "/admin/channels", form: [("name", "x"), ("secret", "has/a-slash-0123456789")])
            #expect(slash.status == .unprocessableContent)
            let emoji = try await seller.post(
                "/admin/channels", form: [("name", String(repeating: "👨‍👩‍👧", count: 13)), ("secret", "")])
            #expect(emoji.status == .unprocessableContent)
            _ = try await seller.post("/admin/channels/2", form: [("name", "Phone B")])
            #expect(try await shop.services.database.channel(id: 2)?.name == "Phone B")

            let upload = try await seller.upload(
                "/admin/codes/upload", files: [("any.png", try QRRendererFixture.png("wxp://f2f0generic"))],
                fields: [("channel", "2"), ("generic", "true")])
            #expect(upload.status == .ok)
            let codes = try await shop.services.database.payCodes(channelId: 2)
            #expect(codes.count == 1 && codes[0].isGeneric && codes[0].type == .wechat)
            // A generic code that comes with an amount may be a fixed one ticked by mistake: refused.
            let named = try await seller.upload(
                "/admin/codes/upload", files: [("wechat_0.99.png", try QRRendererFixture.png("wxp://f2f0named"))],
                fields: [("channel", "2"), ("generic", "true")])
            #expect(
                String(buffer: named.body).contains("amount_conflict")
                    || String(buffer: named.body).contains("amounts disagree"))
            #expect(try await shop.services.database.payCodes(channelId: 2).count == 1)
            let list = String(buffer: try await seller.get("/admin/codes?channel=2").body)
            #expect(list.contains("#2") && list.contains("generic") && !list.contains("#1<"))
            let coverage = String(buffer: try await seller.get("/admin/coverage").body)
            #expect(coverage.contains("#1 ") && coverage.contains("#2 Phone B") && coverage.contains("+ generic"))
            let dashboard = String(buffer: try await seller.get("/admin").body)
            #expect(dashboard.contains("Phone B"))

            _ = try await seller.post("/admin/channels/2/disable", form: [])
            #expect(try await shop.services.database.channel(id: 2)?.enabled == false)
            page = String(buffer: try await seller.get("/admin/channels").body)
            #expect(page.contains("Turn on"))
            // With codes it cannot be deleted.
            #expect(try await seller.post("/admin/channels/2/delete", form: []).status == .conflict)
        }
    }
}

extension Sequence {
    /// `map` with an async transform, one element after the other.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
