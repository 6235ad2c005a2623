import Configuration
import Foundation
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

    /// Codes for each amount in `amounts` (fen), of both types, rendered from made-up payloads.
    static func make(
        amounts: [Int] = Array(90...100), price: Int = 100, _ overrides: [String: ConfigContent] = [:]
    ) async throws -> Shop {
        let services = try await TestServices.make(overrides)
        let goods = try services.database.createGoods(
            GoodsDraft(name: "Book", price: Money(fen: price), delivery: "https://example.com/download/42"))
        for fen in amounts {
            for type in PayType.allCases {
                _ = try services.database.insertPayCode(
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
        return Shop(services: services, goods: goods)
    }

    /// `POST /api/orders` as JSON.
    static func order(
        _ client: any TestClientProtocol, goods: String, type: String = "wechat"
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/orders", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"goods": "\#(goods)", "type": "\#(type)"}"#))
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
