import Crypto
import Foundation
import Hummingbird
import Protocols
import StoreCore

/// The V免签 merchant API (SPEC 11.2) at the root paths shop software calls: GET query or POST
/// form, answers `{code, msg, data}` with the peer's field names, types and messages, and never
/// an HTTP error status for a refusal.
struct VMQGatewayController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/createOrder", method: method, use: createOrder)
            router.on("/getOrder", method: method, use: answering(getOrder))
            router.on("/checkOrder", method: method, use: answering(checkOrder))
            router.on("/closeOrder", method: method, use: answering(closeOrder))
            router.on("/getState", method: method, use: answering(getState))
        }
        router.get("/payPage/pay.html", use: payPage)
    }

    /// A V免签 answer; `data` is an explicit null when there is none.
    struct Answer<Payload: Encodable & Sendable>: Encodable, Sendable {
        var code = 1
        var msg = "成功"
        var data: Payload?

        private enum CodingKeys: String, CodingKey { case code, msg, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(msg, forKey: .msg)
            if let data { try container.encode(data, forKey: .data) } else { try container.encodeNil(forKey: .data) }
        }
    }

    /// A refusal, answered as `code -1` with the peer's message.
    struct Refusal: Error {
        var message: String
    }

    /// An order as `createOrder` and `getOrder` describe it.
    struct OrderData: Encodable, Sendable {
        let payId: String
        let orderId: String
        let payType: String
        let price: String
        let reallyPrice: String
        let payUrl: String
        let isAuto: Int
        let state: Int
        let timeOut: String
        let date: Int
    }

    /// `getState`'s monitor summary, as the peer's strings.
    struct StateData: Encodable, Sendable {
        let lastheart: String
        let lastpay: String
        let jkstate: String
    }

    /// Runs `handler`, answering what it returns or a refusal as V免签 JSON.
    private func answering<Payload: Encodable & Sendable>(
        _ handler: @escaping @Sendable (WireFields, AppRequestContext) async throws -> Answer<Payload>
    ) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            do {
                return try JSONResponse.encode(try await handler(try await WireFields.read(request), context))
            } catch {
                return try Self.refusal(error)
            }
        }
    }

    /// A refusal as `code -1`; an unexpected error is thrown on (a 500, logged).
    private static func refusal(_ error: any Error) throws -> Response {
        switch error {
        case let refusal as Refusal: try JSONResponse.encode(Answer<String>(code: -1, msg: refusal.message))
        case let error as HTTPError:
            try JSONResponse.encode(Answer<String>(code: -1, msg: "请求无效 (\(error.body ?? error.status.reasonPhrase))"))
        default: throw error
        }
    }

    // MARK: Orders

    /// `/createOrder`: JSON, or with `isHtml=1` a script that sends the buyer to the pay page.
    @Sendable func createOrder(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let fields = try await WireFields.read(request)
            let data = try await create(fields, context)
            guard fields["isHtml"] == "1" else { return try JSONResponse.encode(Answer(data: data)) }
            return Self.redirectScript(to: "payPage/pay.html?orderId=\(data.orderId)")
        } catch {
            return try Self.refusal(error)
        }
    }

    /// The peer's `isHtml` answer, exactly: a script that sends the buyer on. Only that script
    /// may run (its hash in the page's policy).
    static func redirectScript(to path: String) -> Response {
        let script = "window.location.href = '\(path)'"
        let hash = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; script-src 'sha256-\(hash)'; frame-ancestors 'none'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "<script>\(script)</script>")))
    }

    private func create(_ fields: WireFields, _ context: AppRequestContext) async throws -> OrderData {
        guard let payId = fields["payId"], !payId.isEmpty else { throw Refusal(message: "请传入商户订单号") }
        guard let type = fields["type"], !type.isEmpty else { throw Refusal(message: "请传入支付方式=>1|微信 2|支付宝") }
        let payType: PayType? = type == "1" ? .wechat : type == "2" ? .alipay : nil
        guard let payType else { throw Refusal(message: "支付方式错误=>1|微信 2|支付宝") }
        guard let price = fields["price"], !price.isEmpty else { throw Refusal(message: "请传入订单金额") }
        guard let amount = Money(parsing: price) else { throw Refusal(message: "订单金额格式错误 (like 1.00)") }
        guard amount.fen > 0 else { throw Refusal(message: "订单金额必须大于0") }
        guard let sign = fields["sign"], !sign.isEmpty else { throw Refusal(message: "请传入签名") }
        let param = fields["param"] ?? ""
        guard
            let merchant = try await verified(
                sign, context, enabledOnly: true,
                {
                    VMQMerchantSignature(key: $0).createOrder(payId: payId, param: param, type: type, price: price)
                })
        else { throw Refusal(message: "签名错误") }
        guard payId.unicodeScalars.count <= 64 else { throw Refusal(message: "商户订单号过长 (at most 64 characters)") }
        guard param.unicodeScalars.count <= GatewayMessages.maxParamLength else {
            throw Refusal(message: "param 过长 (at most \(GatewayMessages.maxParamLength) characters)")
        }
        // The order's own notify URL, else the merchant's: either is checked now.
        let given = fields["notifyUrl"].flatMap { $0.isEmpty ? nil : $0 }
        let notifyUrl = try await checkedNotifyURL(given ?? merchant.notifyUrl, merchant)
        let returnUrl = try Self.checkedReturnURL(fields["returnUrl"]) ?? merchant.returnUrl
        let gatewayOrder: GatewayOrder
        do {
            gatewayOrder = try await services.createGatewayOrder(
                MerchantOrderRequest(
                    merchant: merchant, gateway: .vmq, outTradeNo: payId, type: payType, rawType: type,
                    price: amount, rawPrice: price, param: param, notifyUrl: notifyUrl, returnUrl: returnUrl,
                    clientIp: context.clientAddress, language: context.language.rawValue))
        } catch let refusal as MerchantOrderRefusal {
            throw Refusal(message: Self.message(for: refusal))
        }
        context.logger.info(
            "merchant \(merchant.pid) order \(gatewayOrder.merchantOrder.tradeNo): \(payType.rawValue) \(gatewayOrder.order.amount)"
        )
        return try await orderData(gatewayOrder)
    }

    @Sendable func getOrder(_ fields: WireFields, context: AppRequestContext) async throws -> Answer<OrderData> {
        Answer(data: try await orderData(try await lookUp(fields, context)))
    }

    @Sendable func checkOrder(_ fields: WireFields, context: AppRequestContext) async throws -> Answer<String> {
        let gatewayOrder = try await lookUp(fields, context)
        switch try await services.vmqState(of: gatewayOrder) {
        case 0: throw Refusal(message: "订单未支付")
        case -1: throw Refusal(message: "订单已过期")
        default:
            guard let url = try await services.returnURL(of: gatewayOrder) else {
                throw Refusal(message: "订单没有同步通知地址 (the order has no returnUrl)")
            }
            return Answer(data: url)
        }
    }

    @Sendable func closeOrder(_ fields: WireFields, context: AppRequestContext) async throws -> Answer<String> {
        guard let orderId = fields["orderId"], let sign = fields["sign"] else { throw Refusal(message: "签名校验不通过") }
        let gatewayOrder = try await services.database.gatewayOrder(tradeNo: orderId)
        var key: String?
        if let pid = gatewayOrder?.merchantOrder.pid { key = try await services.database.merchant(pid: pid)?.key }
        // The same work and answer for an unknown order as for a wrong signature, so that the
        // answer does not tell which order numbers exist.
        let expected = VMQMerchantSignature(key: key ?? Nanoid.make()).closeOrder(orderId: orderId)
        guard ConstantTime.equals(sign.lowercased(), expected) else {
            try await countBadSignature(context)
            throw Refusal(message: "签名校验不通过")
        }
        guard let gatewayOrder else { throw Refusal(message: "云端订单编号不存在") }
        guard gatewayOrder.order.status(at: services.clock.now()) == .pending else {
            throw Refusal(message: "订单状态不允许关闭")
        }
        do {
            _ = try await services.database.closeOrder(
                id: gatewayOrder.order.id, clock: services.clock, holding: services.configuration.slotHolding)
        } catch is OrderChangeError {
            // Paid (or closed) between the look and the close.
            throw Refusal(message: "订单状态不允许关闭")
        }
        await services.watch.notify([gatewayOrder.order.id])
        return Answer()
    }

    @Sendable func getState(_ fields: WireFields, context: AppRequestContext) async throws -> Answer<StateData> {
        guard let t = fields["t"], let sign = fields["sign"],
            try await verified(sign, context, enabledOnly: false, { VMQMerchantSignature(key: $0).state(t: t) }) != nil
        else { throw Refusal(message: "签名校验不通过") }
        let lastSeen = try await services.database.listenerLastSeen()
        let lastPay = try await services.database.lastListenerPaymentAt()
        let online = ListenerStatus(lastSeenAt: lastSeen, services: services).online
        func seconds(_ date: Date?) -> String { date.map { String(Int($0.timeIntervalSince1970)) } ?? "" }
        return Answer(
            data: StateData(
                lastheart: seconds(lastSeen), lastpay: seconds(lastPay),
                jkstate: lastSeen == nil ? "-1" : online ? "1" : "0"))
    }

    /// `/payPage/pay.html?orderId=`: the store's own pay page of that order.
    @Sendable func payPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let orderId = request.uri.queryParameters["orderId"].map(String.init),
            let gatewayOrder = try await services.database.gatewayOrder(tradeNo: orderId)
        else {
            if let wait = await services.countBadGatewaySignature(context) {
                throw LocalizedFailure(
                    .tooManyRequests, "errors.tooFast", ["seconds": "\(wait)"], headers: [.retryAfter: "\(wait)"])
            }
            throw LocalizedFailure(.notFound, "errors.noSuchOrder")
        }
        return .redirect(to: "/pay/\(gatewayOrder.order.id)", type: .found)
    }

    // MARK: Shared

    /// The V免签 order `orderId` names. These lookups are not signed (the peer's protocol), so
    /// unknown numbers count like bad signatures: nobody can walk through the numbers.
    private func lookUp(_ fields: WireFields, _ context: AppRequestContext) async throws -> GatewayOrder {
        guard let orderId = fields["orderId"], !orderId.isEmpty,
            let gatewayOrder = try await services.database.gatewayOrder(tradeNo: orderId),
            gatewayOrder.merchantOrder.gateway == .vmq
        else {
            try await countBadSignature(context)
            throw Refusal(message: "云端订单编号不存在")
        }
        return gatewayOrder
    }

    private func orderData(_ gatewayOrder: GatewayOrder) async throws -> OrderData {
        let order = gatewayOrder.order, merchantOrder = gatewayOrder.merchantOrder
        return OrderData(
            payId: merchantOrder.outTradeNo, orderId: merchantOrder.tradeNo, payType: merchantOrder.rawType,
            price: merchantOrder.rawPrice, reallyPrice: order.amount.description,
            payUrl: try await services.payload(of: order) ?? "", isAuto: order.generic ? 1 : 0,
            state: try await services.vmqState(of: gatewayOrder),
            timeOut: String(max(1, Int((order.expiresAt.timeIntervalSince(order.createdAt) / 60).rounded()))),
            date: Int(order.createdAt.timeIntervalSince1970))
    }

    /// The merchant whose key signed the request; bad signatures are counted per address and
    /// refused outright past the limit.
    private func verified(
        _ sign: String, _ context: AppRequestContext, enabledOnly: Bool, _ expected: (String) -> String
    ) async throws -> Merchant? {
        if let merchant = try await services.merchant(signing: sign, enabledOnly: enabledOnly, expected) {
            return merchant
        }
        try await countBadSignature(context)
        return nil
    }

    private func countBadSignature(_ context: AppRequestContext) async throws {
        if let wait = await services.countBadGatewaySignature(context) {
            throw Refusal(message: GatewayMessages.tooManyBadSignatures(wait))
        }
    }

    /// The order's notify URL, when it names one: checked against the merchant's hosts and for
    /// private addresses.
    private func checkedNotifyURL(_ url: String?, _ merchant: Merchant) async throws -> String? {
        guard let url, !url.isEmpty else { return nil }
        do {
            try await services.notifyPolicy.check(url, for: merchant)
        } catch {
            throw Refusal(message: GatewayMessages.notifyRefused(error, field: "notifyUrl"))
        }
        return url
    }

    private static func checkedReturnURL(_ url: String?) throws -> String? {
        guard let url, !url.isEmpty else { return nil }
        guard WebAddress.given(url) != nil else { throw Refusal(message: "同步通知地址(returnUrl)必须是 http 或 https 地址") }
        return url
    }

    private static func message(for refusal: MerchantOrderRefusal) -> String {
        switch refusal {
        case .orderNumberTaken, .alreadyPaid: "商户订单号已存在"
        case .busy: "订单超出负荷，请稍后重试"
        case .notStocked: "请您先进入后台配置程序"
        case .noOnlineListener: "监控端状态异常，请检查"
        }
    }
}
