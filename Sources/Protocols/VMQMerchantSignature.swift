/// The signatures of the V免签 merchant API (SPEC 11.2), over the strings exactly as received or
/// sent: a merchant's shop software signs its requests with its key, and QRStore signs what it
/// sends back.
public struct VMQMerchantSignature: Sendable {
    let key: String

    public init(key: String) {
        self.key = key
    }

    /// `/createOrder`: md5(payId + param + type + price + key), `param` "" when absent.
    public func createOrder(payId: String, param: String, type: String, price: String) -> String {
        MD5Hex.of(payId + param + type + price + key)
    }

    /// The notification and the return URL: md5(payId + param + type + price + reallyPrice + key).
    public func notification(
        payId: String, param: String, type: String, price: String, reallyPrice: String
    )
        -> String
    {
        MD5Hex.of(payId + param + type + price + reallyPrice + key)
    }

    /// `/closeOrder`: md5(orderId + key).
    public func closeOrder(orderId: String) -> String { MD5Hex.of(orderId + key) }

    /// `/getState`: md5(t + key).
    public func state(t: String) -> String { MD5Hex.of(t + key) }
}
