import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Buyers behind a trusted proxy")
struct TrustedProxyTests {
    static func proxies(_ list: String) throws -> TrustedProxies {
        try TrustedProxies.parse(list).get()
    }

    @Test(
        "the client is the first address from the right that is not a trusted proxy",
        arguments: [
            // (trusted, peer, X-Forwarded-For values, client)
            ("127.0.0.1", "127.0.0.1", ["203.0.113.5"], "203.0.113.5"),
            ("127.0.0.1", "198.51.100.9", ["203.0.113.5"], "198.51.100.9"),  // peer not trusted
            ("127.0.0.1", "127.0.0.1", [], "127.0.0.1"),  // the proxy itself
            ("127.0.0.1", "127.0.0.1", ["6.6.6.6, 203.0.113.5"], "203.0.113.5"),  // spoofed hop ignored
            ("127.0.0.1, 10.0.0.0/8", "127.0.0.1", ["203.0.113.5", "10.1.2.3"], "203.0.113.5"),
            ("10.0.0.0/8", "10.9.9.9", ["10.1.1.1, 10.2.2.2"], "10.1.1.1"),  // only proxies: the farthest
            ("127.0.0.1", "127.0.0.1", ["not-an-address"], "127.0.0.1"),
            ("127.0.0.1", "127.0.0.1", ["garbage, 203.0.113.5"], "203.0.113.5"),
            ("::1, fd00::/8", "::1", ["2001:db8::7, fd00::1"], "2001:db8::7"),
            ("192.168.0.0/23", "192.168.1.200", ["203.0.113.5"], "203.0.113.5"),
            ("192.168.0.0/23", "192.168.2.1", ["203.0.113.5"], "192.168.2.1"),  // outside the /23
            ("", "127.0.0.1", ["203.0.113.5"], "127.0.0.1"),  // nothing trusted
        ])
    func resolution(_ trusted: String, _ peer: String, _ forwardedFor: [String], _ client: String) throws {
        #expect(try Self.proxies(trusted).clientAddress(peer: peer, forwardedFor: forwardedFor) == client)
    }

    @Test(
        "an entry that is not an address or network is refused, naming it",
        arguments: ["localhost", "10.0.0.0/33", "::1/129", "10.0.0/8", "127.0.0.1/"])
    func badEntries(_ entry: String) async throws {
        #expect(throws: (any Error).self) { try Self.proxies("127.0.0.1, \(entry)") }
        do {
            _ = try await TestServices.make(["http.trustedProxies": .string("127.0.0.1,\(entry)")])
            Issue.record("\(entry) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("http.trustedProxies") && error.description.contains(entry))
        }
    }

    @Test("on a real server, addresses behind a trusted proxy are counted one by one; spoofing does not help")
    func buyersCountedSeparately() async throws {
        let shop = try await Shop.make(
            ["order.maxSlotsPerAddress": .int(1), "http.trustedProxies": .string("127.0.0.1")])
        try await Application(router: buildRouter(services: shop.services)).test(.live) {
            (client: any TestClientProtocol) async throws in
            let first = "203.0.113.5"
            #expect(try await Self.order(client, type: "wechat", shop: shop, forwardedFor: first).status == .created)
            // The same address's second order is over the limit …
            #expect(
                try await Self.order(client, type: "alipay", shop: shop, forwardedFor: first).status
                    == .tooManyRequests)
            // … another address behind the same proxy is not, even when claiming to be the first.
            #expect(
                try await Self.order(client, type: "alipay", shop: shop, forwardedFor: "\(first), 198.51.100.7").status
                    == .created)
            let buyers = try await shop.services.database.orders(status: .pending, now: Date()).compactMap(
                \.buyerAddress)
            #expect(Set(buyers) == [first, "198.51.100.7"])
        }
    }

    @Test("without trusted proxies X-Forwarded-For is ignored")
    func headerIgnoredByDefault() async throws {
        let shop = try await Shop.make(["order.maxSlotsPerAddress": .int(1)])
        try await Application(router: buildRouter(services: shop.services)).test(.live) {
            (client: any TestClientProtocol) async throws in
            #expect(
                try await Self.order(client, type: "wechat", shop: shop, forwardedFor: "203.0.113.5").status
                    == .created)
            #expect(
                try await Self.order(client, type: "alipay", shop: shop, forwardedFor: "198.51.100.7").status
                    == .tooManyRequests)
            #expect(
                try await shop.services.database.orders(status: .pending, now: Date()).compactMap(\.buyerAddress)
                    == ["127.0.0.1"])
        }
    }

    static func order(
        _ client: any TestClientProtocol, type: String, shop: Shop, forwardedFor: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/orders", method: .post,
            headers: [.contentType: "application/json", ForwardedForMiddleware.header: forwardedFor],
            body: ByteBuffer(string: #"{"goods": "\#(shop.goods.id)", "type": "\#(type)"}"#))
    }
}
