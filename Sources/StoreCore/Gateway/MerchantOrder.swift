import Foundation
public import GRDB

/// What a merchant sent for one of its orders, exactly as sent, beside the order that holds the
/// slot. Its notifications and its buyer's return address are signed over these strings.
public struct MerchantOrder: Codable, Sendable, Equatable {
    public var orderId: String
    public var pid: Int64
    public var gateway: GatewayProtocol
    /// The merchant's own order number (V免签 `payId`, 易支付 `out_trade_no`), unique per merchant.
    public var outTradeNo: String
    /// The store's order number for the merchant (V免签 `orderId`, 易支付 `trade_no`): digits only.
    public var tradeNo: String
    /// `type` as sent: `1`/`2` (V免签), `alipay`/`wxpay` (易支付).
    public var rawType: String
    /// The price as sent (V免签 `price`, 易支付 `money`).
    public var rawPrice: String
    public var param: String
    /// The subject (易支付 `name`).
    public var name: String
    public var notifyUrl: String?
    public var returnUrl: String?
    public var siteName: String?
    public var clientIp: String?
}

extension MerchantOrder: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "merchantOrder"
}

/// A merchant's request for a new order, already verified.
public struct MerchantOrderRequest: Sendable {
    public var merchant: Merchant
    public var gateway: GatewayProtocol
    public var outTradeNo: String
    public var type: PayType
    public var rawType: String
    public var price: Money
    public var rawPrice: String
    public var param: String
    public var name: String
    /// Already checked (`NotifyAddressPolicy`); the merchant's default when nil.
    public var notifyUrl: String?
    public var returnUrl: String?
    public var siteName: String?
    public var clientIp: String?
    /// The language the buyer reads the pay page in, when the buyer's browser sent the request.
    public var language: String?

    public init(
        merchant: Merchant, gateway: GatewayProtocol, outTradeNo: String, type: PayType, rawType: String,
        price: Money, rawPrice: String, param: String = "", name: String = "", notifyUrl: String? = nil,
        returnUrl: String? = nil, siteName: String? = nil, clientIp: String? = nil, language: String? = nil
    ) {
        self.merchant = merchant
        self.gateway = gateway
        self.outTradeNo = outTradeNo
        self.type = type
        self.rawType = rawType
        self.price = price
        self.rawPrice = rawPrice
        self.param = param
        self.name = name
        self.notifyUrl = notifyUrl
        self.returnUrl = returnUrl
        self.siteName = siteName
        self.clientIp = clientIp
        self.language = language
    }
}

/// A merchant order and the order holding its slot.
public struct GatewayOrder: Sendable, Equatable {
    public var order: Order
    public var merchantOrder: MerchantOrder

    public init(order: Order, merchantOrder: MerchantOrder) {
        self.order = order
        self.merchantOrder = merchantOrder
    }
}

/// Why a merchant got no order.
public enum MerchantOrderRefusal: Error, Equatable, Sendable {
    /// The merchant's order number is already an order with another price or type, or one that
    /// is no longer waiting.
    case orderNumberTaken
    /// The merchant's order number is an order already paid.
    case alreadyPaid
    /// No enabled pay code collects any candidate amount.
    case notStocked
    /// Every stocked amount is held; one frees in this many seconds.
    case busy(retryAfter: Int)
    /// Only offline channels could serve, and `order.requireOnlineListener` is set.
    case noOnlineListener
}

/// Which way a merchant order's amount moves away from the requested price when that is taken.
public enum AmountDirection: String, Sendable, CaseIterable {
    /// P, P−0.01, … P−`discount.max`: the buyer never pays more than asked.
    case down
    /// P, P+0.01, … P+`discount.max`: the merchant never receives less than asked.
    case up
}
