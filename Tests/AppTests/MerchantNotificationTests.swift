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
            return Response(status: answer.0, body: ResponseBody(byteBuffer: ByteBuffer(string: answer.1)))
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
