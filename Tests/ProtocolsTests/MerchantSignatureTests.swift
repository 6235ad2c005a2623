import Protocols
import Testing

/// The SPEC's test vectors (section 11), key `vmq-example-Key-0123456789abcdef`.
@Suite("Merchant signatures")
struct MerchantSignatureTests {
    static let key = "vmq-example-Key-0123456789abcdef"

    @Test("V免签: createOrder and its notification")
    func vmq() {
        let signature = VMQMerchantSignature(key: Self.key)
        #expect(
            signature.createOrder(payId: "T1001", param: "", type: "1", price: "1.00")
                == "ab951c2ba1295c5fad775ac7a8516345")
        #expect(
            signature.notification(payId: "T1001", param: "", type: "1", price: "1.00", reallyPrice: "0.97")
                == "7af8b9788e66f74bcfec28d1d491f3b1")
        // Over the strings as sent: "1.0" is not "1.00".
        #expect(
            signature.createOrder(payId: "T1001", param: "", type: "1", price: "1.0")
                != "ab951c2ba1295c5fad775ac7a8516345")
    }

    @Test("易支付: the signed string drops sign, sign_type and empty values, sorts by key, keeps values raw")
    func epay() {
        let fields = [
            ("pid", "1001"), ("type", "wxpay"), ("out_trade_no", "E1001"), ("notify_url", "http://shop.example/n"),
            ("return_url", "http://shop.example/r"), ("name", "VIP 会员"), ("money", "1.00"), ("sign_type", "MD5"),
            ("sign", "anything"), ("param", ""),
        ]
        #expect(
            EPaySignature.signedString(fields)
                == "money=1.00&name=VIP 会员&notify_url=http://shop.example/n&out_trade_no=E1001&pid=1001"
                + "&return_url=http://shop.example/r&type=wxpay")
        #expect(EPaySignature(key: Self.key).sign(fields) == "cc6ebe3880ce134f60e6a25864b292eb")
    }

    @Test("易支付 sorts by byte order: upper-case letters and underscores before lower-case")
    func byteOrder() {
        #expect(EPaySignature.signedString([("b", "2"), ("a_b", "3"), ("B", "1"), ("a", "4")]) == "B=1&a=4&a_b=3&b=2")
    }
}
