import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Imaging
import StoreCore
import TestSupport

@testable import App

/// A store with goods at 1.00 and WeChat and Alipay codes for some amounts, for purchase tests.
struct Shop {
    let services: AppServices
    let goods: Goods
    /// The services' clock: tests move it instead of sleeping.
    let clock: ManualClock

    /// Codes for each amount in `amounts` (fen), of both types, rendered from made-up payloads.
    static func make(
        amounts: [Int] = Array(90...100), price: Int = 100, _ overrides: [String: ConfigContent] = [:],
        database: AppDatabase? = nil, mailer: Mailer? = nil
    ) async throws -> Shop {
        let clock = ManualClock()
        let services = try await TestServices.make(overrides, clock: clock, database: database, mailer: mailer)
        let goods = try await services.database.createGoods(
            GoodsDraft(name: "Book", price: Money(fen: price), delivery: "https://example.com/download/42"))
        for fen in amounts {
            for type in PayType.allCases {
                _ = try await services.database.insertPayCode(
                    PayCode(
                        type: type, amountFen: fen,
                        payload: "\(type == .wechat ? "wxp://" : "https://qr.alipay.com/")\(type)-\(fen)",
                        originalDigest: String(repeating: "a", count: 64), originalFormat: "png",
                        originalName: "\(fen).png",
                        renderedDigest: try services.blobs.store(
                            try QRRendererFixture.png("\(type)-\(fen)"), kind: .rendered, fileExtension: "png"),
                        createdAt: Date()))
            }
        }
        return Shop(services: services, goods: goods, clock: clock)
    }

    /// The buyer cookie of the tests' one buyer.
    static let buyer = Nanoid.make() + Nanoid.make()

    /// `POST /api/orders` as JSON, by `buyer` (a cookie), or by a new buyer when nil.
    static func order(
        _ client: any TestClientProtocol, goods: String, type: String = "wechat", buyer: String? = Shop.buyer,
        email: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        if let buyer { headers[.cookie] = "qrstore_buyer=\(buyer)" }
        var body = ["goods": goods, "type": type]
        body["email"] = email
        return try await client.execute(
            uri: "/api/orders", method: .post, headers: headers,
            body: ByteBuffer(data: try JSONEncoder().encode(body)))
    }

    /// A signed protocol-A notify.
    static func notify(
        _ client: any TestClientProtocol, price: String, type: String = "wechat"
    ) async throws -> TestResponse {
        let sign = ListenerSignature(secret: TestServices.listenerSecret).notifySign(price: price, type: type)
        return try await client.execute(
            uri: "/addons/pay/api/notify?sign=\(sign)&price=\(price)&type=\(type)", method: .get)
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }
}

/// Clean code images for made-up payloads.
enum QRRendererFixture {
    static func png(_ payload: String) throws -> Data { try QRRenderer(moduleSize: 4).renderPNG(payload) }
}
