import Foundation
import StoreCore
import Testing

@Suite("Money")
struct MoneyTests {
    @Test(
        "accepts plain amounts with trailing zeros only",
        arguments: [
            ("1", 100), ("1.0", 100), ("1.00", 100), ("0.990", 99), ("0.99", 99), ("0.9", 90),
            ("12.34", 1234), ("0", 0), ("0.01", 1), ("9999999999", 999_999_999_900),
            ("1.000000", 100),
        ])
    func accepts(_ text: String, fen: Int) {
        #expect(Money(parsing: text)?.fen == fen)
    }

    @Test(
        "rejects everything else",
        arguments: [
            "1.001", "-1", "1e2", "abc", "", "12345678901", "0.1234567891", "1.", ".5", "+1", " 1",
            "1 ", "1,00", "1..0", "0x10", "１", "NaN", "1.0.0", "٣",
        ])
    func rejects(_ text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test(
        "prints two decimals",
        arguments: [
            (0, "0.00"), (1, "0.01"), (99, "0.99"), (100, "1.00"), (1234, "12.34"), (-5, "-0.05"),
        ])
    func prints(_ fen: Int, _ text: String) {
        #expect(Money(fen: fen).description == text)
    }

    @Test("is a two-decimal string in JSON, and parses back with the same rules")
    func json() throws {
        let encoded = try JSONEncoder().encode(["price": Money(fen: 99)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"price":"0.99"}"#)
        let decoded = try JSONDecoder().decode([String: Money].self, from: Data(#"{"p":"1.0"}"#.utf8))
        #expect(decoded["p"] == Money(fen: 100))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: Money].self, from: Data(#"{"p":"1.001"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: Money].self, from: Data(#"{"p":0.99}"#.utf8))
        }
    }
}

@Suite("Pay types and ids")
struct PayTypeTests {
    @Test("payload prefixes name the wallet, in any case")
    func payloads() {
        #expect(PayType(payload: "wxp://f2f0abc") == .wechat)
        #expect(PayType(payload: "https://qr.alipay.com/fkx1") == .alipay)
        #expect(PayType(payload: "HTTPS://QR.ALIPAY.COM/FKX1") == .alipay)
        #expect(PayType(payload: "https://example.com/qr.alipay.com/") == nil)
        #expect(PayType(payload: "weixin://wxpay/bizpayurl?pr=x") == nil)
    }

    @Test("nanoids have 21 URL-safe characters and differ")
    func nanoids() {
        let ids = (0..<1000).map { _ in Nanoid.make() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { Nanoid.isWellFormed($0) })
        #expect(!Nanoid.isWellFormed("../../etc/passwd/////"))
        #expect(!Nanoid.isWellFormed("short"))
    }
}
