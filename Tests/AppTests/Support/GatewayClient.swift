import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Protocols
import StoreCore

@testable import App

/// Shop software's side of the gateway protocols, for tests: signed V免签 and 易支付 requests.
enum GatewayClient {
    /// The specification's test-vector key.
    static let key = "vmq-example-Key-0123456789abcdef"

    /// A merchant with the test-vector key (pid 1001 in a new store).
    @discardableResult
    static func addMerchant(
        _ services: AppServices, key: String = GatewayClient.key, notifyUrl: String? = nil,
        notifyHosts: [String] = []
    ) async throws -> Merchant {
        try await services.database.createMerchant(
            name: "My shop", key: key, notifyUrl: notifyUrl, notifyHosts: notifyHosts, now: Date())
    }

    /// `fields` as a query string, values percent-encoded.
    static func query(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// A V免签 `/createOrder` signed with `key`; `extra` fields are sent unsigned, as the peer does.
    static func createOrder(
        _ client: any TestClientProtocol, payId: String, price: String, type: String = "1", param: String = "",
        key: String = GatewayClient.key, extra: [(String, String)] = []
    ) async throws -> TestResponse {
        let sign = VMQMerchantSignature(key: key).createOrder(payId: payId, param: param, type: type, price: price)
        let fields = [("payId", payId), ("param", param), ("type", type), ("price", price), ("sign", sign)] + extra
        return try await client.execute(uri: "/createOrder?" + query(fields), method: .get)
    }

    /// `path` with `fields` plus their 易支付 signature, as a GET, or as a POST form.
    static func epay(
        _ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)], key: String = GatewayClient.key,
        post: Bool = false
    ) async throws -> TestResponse {
        let signed = fields + [("sign", EPaySignature(key: key).sign(fields)), ("sign_type", "MD5")]
        guard post else { return try await client.execute(uri: path + "?" + query(signed), method: .get) }
        return try await client.execute(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: query(signed)))
    }

    /// An 易支付 order's fields as the specification's test vector has them, with `changes`.
    static func epayOrder(
        outTradeNo: String = "E1001", money: String = "1.00", type: String = "wxpay",
        notifyUrl: String = "http://shop.example/n"
    ) -> [(String, String)] {
        [
            ("pid", "1001"), ("type", type), ("out_trade_no", outTradeNo), ("notify_url", notifyUrl),
            ("return_url", "http://shop.example/r"), ("name", "VIP 会员"), ("money", money),
        ]
    }

    /// The fields of a URL's query, percent-decoded.
    static func fields(of url: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }
}
