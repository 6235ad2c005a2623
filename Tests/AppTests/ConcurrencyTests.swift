import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Purchases under load, on a real server")
struct ConcurrencyTests {
    @Test("200 simultaneous purchases: 11 distinct amounts per type, the rest a clean 503; 11 pushes pay exactly those")
    func twoHundredAtOnce() async throws {
        // setup: 11 stocked amounts (1.00 … 0.90) per type in a real WAL database file (a pool of
        // connections, as in production); 200 buyers, each with its own cookie, from one address
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("store.sqlite").path
        let shop = try await Shop.make(amounts: Array(90...100), database: try AppDatabase.open(path: file))
        let app = Application(router: buildRouter(services: shop.services))
        // AsyncHTTPClient with its pool of connections: the requests really arrive side by side
        // (the plain live client pipelines them on one connection).
        try await app.test(.ahc(.http)) { client in
            // MUT
            let responses = try await withThrowingTaskGroup(of: (String, TestResponse).self) { group in
                for index in 0..<200 {
                    let type = index % 2 == 0 ? "wechat" : "alipay"
                    group.addTask { (type, try await Shop.order(client, goods: shop.goods.id, type: type, buyer: nil)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // validate
            var amounts: [String: [String]] = [:]
            var orderIds: [String: [String]] = [:]
            for (type, response) in responses {
                switch response.status {
                case .created:
                    let body = try Shop.json(response)
                    amounts[type, default: []].append(try #require(body["amount"] as? String))
                    orderIds[type, default: []].append(try #require(body["id"] as? String))
                case .serviceUnavailable:
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                    #expect(try Shop.json(response)["error"] as? String == "busy")
                default:
                    Issue.record("unexpected \(response.status)")
                }
            }
            let expected = Set((90...100).map { Money(fen: $0).description })
            for type in ["wechat", "alipay"] {
                #expect(amounts[type]?.count == 11)
                #expect(Set(amounts[type] ?? []) == expected)
            }
            #expect(try await shop.services.database.pendingOrderCount(now: shop.clock.now()) == 22)

            // 11 pushes per type, concurrently too, pay exactly those orders.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for fen in 90...100 {
                    for type in ["wechat", "alipay"] {
                        group.addTask {
                            _ = try await Shop.notify(client, price: Money(fen: fen).description, type: type)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let paid = try await shop.services.database.orders(status: .paid, now: shop.clock.now())
            #expect(Set(paid.map(\.id)) == Set(orderIds.values.flatMap { $0 }))
            #expect(try await shop.services.database.pendingOrderCount(now: shop.clock.now()) == 0)
            #expect(try await shop.services.database.payments().allSatisfy { $0.outcome == .matched })
        }
    }
}
