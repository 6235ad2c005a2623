import Foundation
import Protocols

/// The signed parameters a merchant gets about its paid order (SPEC 11.2, 11.3): the same on the
/// notification to its notify URL and on the buyer's way back to its return URL. Every value
/// is the string the merchant sent, or the store's own; the signature is over those strings.
public struct MerchantCallback: Sendable {
    public let merchantOrder: MerchantOrder
    public let amount: Money
    public let key: String

    public init(merchantOrder: MerchantOrder, amount: Money, key: String) {
        self.merchantOrder = merchantOrder
        self.amount = amount
        self.key = key
    }

    /// The parameters in the order the peer sends them.
    public var fields: [(String, String)] {
        let order = merchantOrder
        switch order.gateway {
        case .vmq:
            let sign = VMQMerchantSignature(key: key).notification(
                payId: order.outTradeNo, param: order.param, type: order.rawType, price: order.rawPrice,
                reallyPrice: amount.description)
            return [
                ("payId", order.outTradeNo), ("param", order.param), ("type", order.rawType),
                ("price", order.rawPrice), ("reallyPrice", amount.description), ("sign", sign),
            ]
        case .epay:
            var fields = [
                ("pid", String(order.pid)), ("trade_no", order.tradeNo), ("out_trade_no", order.outTradeNo),
                ("type", order.rawType), ("name", order.name), ("money", order.rawPrice),
                ("trade_status", "TRADE_SUCCESS"),
            ]
            if !order.param.isEmpty { fields.append(("param", order.param)) }
            fields.append(("sign", EPaySignature(key: key).sign(fields)))
            fields.append(("sign_type", "MD5"))
            return fields
        }
    }

    /// `url` with the parameters appended (`&` when it already has a query), values URL-encoded.
    public func appended(to url: String) -> String {
        let query = fields.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// Everything but the unreserved characters percent-encoded, as a form value must be.
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
