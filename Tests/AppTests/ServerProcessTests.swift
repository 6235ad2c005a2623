import Foundation
import StoreCore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The server as a real process on a real WAL database file: durability, shutdown, logs.
@Suite("The server process", .serialized)
struct ServerProcessTests {
    /// A folder with a database holding goods at 1.00 and one WeChat code for 1.00.
    static func store() async throws -> (URL, Goods) {
        let folder = try Fixtures.temporaryDirectory()
        let database = try AppDatabase.open(path: folder.appendingPathComponent("qrstore.sqlite").path)
        let goods = try await database.createGoods(
            GoodsDraft(name: "Book", price: Money(fen: 100), delivery: "the secret link"))
        _ = try await database.insertPayCode(
            PayCode(
                type: .wechat, amountFen: 100, payload: "wxp://durable-100",
                originalDigest: String(repeating: "a", count: 64), originalFormat: "png", originalName: "1.00.png",
                renderedDigest: String(repeating: "b", count: 64), createdAt: Date()))
        return (folder, goods)
    }

    static let arguments = ["--listener-secret", TestServices.listenerSecret]

    /// Buys the goods as a new buyer; returns the order's id.
    static func buy(_ server: ServerProcess, _ goods: Goods) async throws -> String {
        let (status, body) = try await server.request(
            "/api/orders", method: "POST", json: #"{"goods": "\#(goods.id)", "type": "wechat"}"#)
        #expect(status == 201)
        return String(try #require(body.firstMatch(of: #/"id":"([0-9A-Za-z_-]{21})"/#)).1)
    }

    static func notifyPath(price: String = "1.00", type: String = "wechat") -> String {
        let sign = ListenerSignature(secret: TestServices.listenerSecret).notifySign(price: price, type: type)
        return "/addons/pay/api/notify?sign=\(sign)&price=\(price)&type=\(type)"
    }

    @Test("a push that was answered survives kill -9: the payment and the paid order are there after restart")
    func killAfterPush() async throws {
        let (folder, goods) = try await Self.store()
        let server = try ServerProcess(in: folder, arguments: Self.arguments)
        let orderId = try await Self.buy(server, goods)
        let (status, answer) = try await server.request(Self.notifyPath())
        #expect(status == 200 && answer.contains(#""code":1"#))
        server.stop(SIGKILL)

        let database = try AppDatabase.open(path: folder.appendingPathComponent("qrstore.sqlite").path)
        let payments = try await database.payments()
        #expect(payments.count == 1 && payments.first?.outcome == .matched)
        #expect(try await database.order(id: orderId)?.status == .paid)
        // And the restarted server delivers it.
        let again = try ServerProcess(in: folder, arguments: Self.arguments)
        let (_, order) = try await again.request("/api/orders/\(orderId)")
        #expect(order.contains(#""status":"paid""#) && order.contains("the secret link"))
        again.stop()
    }

    @Test("SIGTERM answers a waiting long-poll at once and the process exits within 2 seconds")
    func gracefulShutdown() async throws {
        let (folder, goods) = try await Self.store()
        let server = try ServerProcess(in: folder, arguments: Self.arguments)
        let orderId = try await Self.buy(server, goods)
        async let waiting = server.request("/api/orders/\(orderId)?wait=30", timeout: 40)
        // The long-poll is open once the server logged its request line.
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        let took = server.stop(SIGTERM)
        let (status, answer) = try await waiting
        #expect(status == 200 && answer.contains(#""status":"pending""#))
        #expect(ContinuousClock.now - started < .seconds(2), "the long-poll was answered at once")
        #expect(took < .seconds(2), "the process took \(took) to exit")
        #expect(server.running.process.terminationStatus == 0)
    }

    @Test("signatures never reach the request log")
    func signOutOfLog() async throws {
        let (folder, _) = try await Self.store()
        let server = try ServerProcess(in: folder, arguments: Self.arguments)
        let path = Self.notifyPath(price: "0.50")
        let sign = try #require(path.firstMatch(of: #/sign=([0-9a-f]{32})/#)).1
        let (status, _) = try await server.request(path)
        #expect(status == 200)
        server.stop()
        let log = server.errorOutput()
        #expect(log.contains("/addons/pay/api/notify?sign=***&price=0.50"), "\(log)")
        #expect(!log.contains(sign))
        let database = try AppDatabase.open(path: folder.appendingPathComponent("qrstore.sqlite").path)
        #expect(try await database.payments().allSatisfy { !$0.rawRequest.contains(sign) })
    }
}
