import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Protocols
import StoreCore
import Synchronization
import TestSupport
import Testing

@testable import App

/// A merchant's notify endpoint on loopback: answers from a script, keeps what it was sent.
final class MerchantReceiver: Sendable {
    private let state: Mutex<(answers: [(HTTPResponse.Status, String)], received: [String])>

    init(answers: [(HTTPResponse.Status, String)]) {
        state = Mutex((answers, []))
    }

    var received: [String] { state.withLock { $0.received } }

    var application: some ApplicationProtocol {
        let router = Router()
        router.get("/notify") { request, _ -> Response in
            let answer = self.state.withLock { state -> (HTTPResponse.Status, String) in
                state.received.append(request.uri.description)
                return state.answers.isEmpty ? (.ok, "success") : state.answers.removeFirst()
            }
            // A redirect answer sends the store to another path, which would answer success.
            let headers: HTTPFields = answer.0 == .found ? [.location: "/notify?redirected=1"] : [:]
            return Response(
                status: answer.0, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer.1)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("Merchant notifications")
struct MerchantNotificationTests {
    /// A paid V免签 order whose notify URL is the receiver at `port`; returns its trade number.
    static func paidOrder(_ shop: Shop, port: Int) async throws -> String {
        try await GatewayClient.addMerchant(shop.services)
        try await TestServices.test(shop.services) { client in
            let answer = try Shop.json(
                try await GatewayClient.createOrder(
                    client, payId: "T1001", price: "1.00", param: "vip",
                    extra: [("notifyUrl", "http://127.0.0.1:\(port)/notify")]))
            #expect((answer["data"] as? [String: Any])?["orderId"] is String)
            #expect(try Shop.json(try await Shop.notify(client, price: "1.00"))["code"] as? Int == 1)
        }
        return try #require(try await shop.services.database.gatewayOrder(pid: 1001, outTradeNo: "T1001")).merchantOrder
            .tradeNo
    }

    @Test("a failing merchant is retried on the schedule with the same signed URL until it answers success")
    func retries() async throws {
        let receiver = MerchantReceiver(answers: [(.ok, "fail"), (.internalServerError, "oops"), (.ok, "success ")])
        try await receiver.application.test(.live) { merchant in
            let port = try #require(merchant.port)
            let shop = try await Shop.make(["gateway.allowPrivateNotifyUrls": .bool(true)])
            let tradeNo = try await Self.paidOrder(shop, port: port)
            let worker = OutboxWorker(services: shop.services, mailer: nil, logger: Logger(label: "test"))
            let client = MerchantNotifier.makeClient()
            let notifier = MerchantNotifier(client: client, policy: shop.services.notifyPolicy)
            #expect(try await worker.deliverDue(notifier: notifier) == 1)
            #expect(try await worker.deliverDue(notifier: notifier) == 0)
            shop.clock.advance(by: 15)
            #expect(try await worker.deliverDue(notifier: notifier) == 1)
            shop.clock.advance(by: 59)
            #expect(try await worker.deliverDue(notifier: notifier) == 0)
            shop.clock.advance(by: 1)
            #expect(try await worker.deliverDue(notifier: notifier) == 1)
            try await client.shutdown()

            let sent = receiver.received
            #expect(sent.count == 3 && Set(sent).count == 1)
            let expected = VMQMerchantSignature(key: GatewayClient.key).notification(
                payId: "T1001", param: "vip", type: "1", price: "1.00", reallyPrice: "1.00")
            #expect(sent.first == "/notify?payId=T1001&param=vip&type=1&price=1.00&reallyPrice=1.00&sign=\(expected)")
            let order = try #require(try await shop.services.database.gatewayOrder(tradeNo: tradeNo))
            let messages = try await shop.services.database.outboxMessages(orderId: order.order.id)
            #expect(messages.count == 1 && messages[0].0.state == .sent && messages[0].0.attempts == 3)
            #expect(messages[0].1.map(\.status) == [200, 500, 200])
            #expect(messages[0].1.map(\.detail) == ["fail", "oops", "success "])
            #expect(try await shop.services.vmqState(of: order) == 1)
        }
    }

    @Test("a notification to a private address is refused again at delivery, and kept for the next attempt")
    func privateAtDelivery() async throws {
        let receiver = MerchantReceiver(answers: [])
        try await receiver.application.test(.live) { merchant in
            let shop = try await Shop.make(["gateway.allowPrivateNotifyUrls": .bool(true)])
            let tradeNo = try await Self.paidOrder(shop, port: try #require(merchant.port))
            let worker = OutboxWorker(services: shop.services, mailer: nil, logger: Logger(label: "test"))
            let client = MerchantNotifier.makeClient()
            // The store restarted without `gateway.allowPrivateNotifyUrls`.
            let strict = MerchantNotifier(client: client, policy: NotifyAddressPolicy(allowPrivate: false))
            #expect(try await worker.deliverDue(notifier: strict) == 1)
            #expect(receiver.received.isEmpty)
            let order = try #require(try await shop.services.database.gatewayOrder(tradeNo: tradeNo))
            var messages = try await shop.services.database.outboxMessages(orderId: order.order.id)
            #expect(messages[0].0.state == .pending && messages[0].1.first?.detail.contains("127.0.0.1") == true)
            #expect(try await shop.services.vmqState(of: order) == 2)

            // It stays pending on the schedule: allowed again (a shop on the same network), the
            // next attempt delivers it.
            shop.clock.advance(by: 15)
            let lenient = MerchantNotifier(client: client, policy: NotifyAddressPolicy(allowPrivate: true))
            #expect(try await worker.deliverDue(notifier: lenient) == 1)
            try await client.shutdown()
            messages = try await shop.services.database.outboxMessages(orderId: order.order.id)
            #expect(messages[0].0.state == .sent && receiver.received.count == 1)
        }
    }

    @Test("a host name is connected to at the address it was vetted with, and redirects are not followed")
    func pinnedAndNoRedirects() async throws {
        let receiver = MerchantReceiver(answers: [(.ok, "success"), (.found, "")])
        try await receiver.application.test(.live) { merchant in
            let port = try #require(merchant.port)
            // `merchant.invalid` resolves nowhere: only the pinned address can reach the receiver.
            let client = MerchantNotifier.makeClient()
            let notifier = MerchantNotifier(client: client, policy: NotifyAddressPolicy(allowPrivate: false))
            let pinned = NotifyAddressPolicy.Destination(
                host: "merchant.invalid", writtenHost: "Merchant.invalid", address: "127.0.0.1")
            let delivered = await notifier.send(
                "http://Merchant.invalid:\(port)/notify?payId=1", to: pinned, gateway: .vmq)
            #expect(delivered.delivered && delivered.status == 200)
            let redirected = await notifier.send(
                "http://merchant.invalid:\(port)/notify?payId=2", to: pinned, gateway: .vmq)
            #expect(!redirected.delivered && redirected.status == 302)
            try await client.shutdown()
            #expect(receiver.received == ["/notify?payId=1", "/notify?payId=2"])
        }
    }

    @Test("before a delivery, every address of the host must be public, and the first is the one connected to")
    func vettedAtDelivery() async throws {
        var policy = NotifyAddressPolicy(allowPrivate: false)
        policy.resolve = { host in
            host == "shop.example" ? ["203.0.113.7", "2001:db8::7"] : ["203.0.113.8", "10.0.0.1"]
        }
        let destination = try await policy.checkBeforeDelivery("https://Shop.Example/n?a=1")
        #expect(destination.address == "203.0.113.7" && destination.host == "shop.example")
        await #expect(throws: NotifyAddressPolicy.Refusal.privateAddress("rebind.example (10.0.0.1)")) {
            _ = try await policy.checkBeforeDelivery("https://rebind.example/n")
        }
        policy.resolve = { _ in [] }
        await #expect(throws: NotifyAddressPolicy.Refusal.unresolvable("gone.example")) {
            _ = try await policy.checkBeforeDelivery("https://gone.example/n")
        }
        // When the order is made, a host that does not resolve (yet) is accepted.
        try await policy.check("https://gone.example/n", for: try await GatewayClient.addMerchant(Shop.make().services))
    }

    @Test("a notification far longer than the notify URL given (a long param in Chinese) is delivered")
    func longNotification() async throws {
        let receiver = MerchantReceiver(answers: [])
        try await receiver.application.test(.live) { merchant in
            let shop = try await Shop.make(["gateway.allowPrivateNotifyUrls": .bool(true)])
            try await GatewayClient.addMerchant(shop.services)
            let param = String(repeating: "会员", count: 500)
            try await TestServices.test(shop.services) { client in
                let answer = try Shop.json(
                    try await GatewayClient.createOrder(
                        client, payId: "LONG", price: "1.00", param: param,
                        extra: [("notifyUrl", "http://127.0.0.1:\(merchant.port!)/notify")]))
                #expect(answer["code"] as? Int == 1)
                let tooLong = try Shop.json(
                    try await GatewayClient.createOrder(client, payId: "LONGER", price: "1.00", param: param + "x"))
                #expect((tooLong["msg"] as? String)?.hasPrefix("param 过长") == true)
                _ = try await Shop.notify(client, price: "1.00")
            }
            let worker = OutboxWorker(services: shop.services, mailer: nil, logger: Logger(label: "test"))
            let client = MerchantNotifier.makeClient()
            #expect(
                try await worker.deliverDue(
                    notifier: MerchantNotifier(client: client, policy: shop.services.notifyPolicy)) == 1)
            try await client.shutdown()
            let sent = try #require(receiver.received.first)
            #expect(sent.utf8.count > 9000 && GatewayClient.fields(of: "http://x" + sent)["param"] == param)
            let order = try #require(try await shop.services.database.gatewayOrder(pid: 1001, outTradeNo: "LONG"))
            #expect(try await shop.services.vmqState(of: order) == 1)
        }
    }

    @Test("the success words: exactly success for V免签, containing it for 易支付")
    func successWords() {
        #expect(MerchantNotifier.isSuccess("success", gateway: .vmq))
        #expect(MerchantNotifier.isSuccess("\u{FEFF}success\r\n", gateway: .vmq))
        #expect(!MerchantNotifier.isSuccess("not success", gateway: .vmq))
        #expect(!MerchantNotifier.isSuccess("fail", gateway: .vmq))
        #expect(MerchantNotifier.isSuccess("<p>SUCCESS</p>", gateway: .epay))
        #expect(!MerchantNotifier.isSuccess("fail", gateway: .epay))
    }
}
