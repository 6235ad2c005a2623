import Foundation
import Hummingbird
import Protocols
import StoreCore

/// The 易支付 V1 (MD5) API (SPEC 11.3): `/submit.php` for the buyer's browser, `/mapi.php` and
/// `/api.php` for the shop's server, with the peer's field names and messages.
struct EPayGatewayController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/submit.php", method: method, use: submit)
            router.on("/mapi.php", method: method, use: mapi)
            router.on("/api.php", method: method, use: api)
        }
    }

    /// A refusal with the peer's message: an error page for the buyer, `{code:-1,msg}` for servers.
    struct Refusal: Error {
        var message: String
        var code = -1
    }

    /// `/mapi.php`'s answer.
    struct Created: Encodable {
        let code = 1
        let msg = "创建订单成功"
        let trade_no: String
        let payurl: String
        /// The code's payload, for a fixed-amount code (a generic one needs the pay page's amount).
        let qrcode: String?
    }

    /// `/api.php?act=order`'s answer.
    struct OrderAnswer: Encodable {
        let code = 1
        let msg = "查询订单号成功！"
        let trade_no: String
        let out_trade_no: String
        let type: String
        let pid: Int64
        let addtime: String
        let endtime: String?
        let name: String
        let money: String
        let status: Int
        let trade_status: String
        let param: String
        let buyer = ""
    }

    /// `/api.php?act=query`'s answer: the merchant and its paid orders. The store keeps no
    /// balance (the money is in the seller's own wallet), so `money` is always 0.00.
    struct MerchantAnswer: Encodable {
        let code = 1
        let pid: Int64
        let active: Int
        let money = "0.00"
        let orders: Int
        let order_today: String
        let order_lastday: String
    }

    struct Failure: Encodable {
        let code: Int
        let msg: String
    }

    // MARK: Endpoints

    /// The buyer's browser, sent by the shop: a redirect to the pay page, or an error page.
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let order = try await create(try await WireFields.read(request), context, needsReturnURL: true)
            return .redirect(to: "/pay/\(order.order.id)", type: .found)
        } catch let refusal as Refusal {
            throw HTTPError(.badRequest, message: refusal.message)
        }
    }

    @Sendable func mapi(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let created = try await create(try await WireFields.read(request), context, needsReturnURL: false)
            let order = created.order
            let payload = try await services.payload(of: order)
            return try JSONResponse.encode(
                Created(
                    trade_no: created.merchantOrder.tradeNo, payurl: services.payPageURL(of: order),
                    qrcode: order.generic ? nil : payload))
        } catch {
            return try Self.failure(error)
        }
    }

    @Sendable func api(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let fields = try await WireFields.read(request)
            switch fields["act"] {
            case "order": return try JSONResponse.encode(try await orderQuery(fields, context))
            case "query": return try JSONResponse.encode(try await merchantQuery(fields, context))
            default: throw Refusal(message: "No Act!", code: -5)
            }
        } catch {
            return try Self.failure(error)
        }
    }

    // MARK: Work

    private func create(
        _ fields: WireFields, _ context: AppRequestContext, needsReturnURL: Bool
    ) async throws -> GatewayOrder {
        let merchant = try await signedMerchant(fields, context)
        guard merchant.enabled else { throw Refusal(message: "商户已封禁，无法支付！") }
        func required(_ name: String, _ message: String) throws -> String {
            guard let value = fields[name], !value.isEmpty else { throw Refusal(message: message) }
            return value
        }
        let outTradeNo = try required("out_trade_no", "订单号(out_trade_no)不能为空")
        let notifyUrl = try required("notify_url", "通知地址(notify_url)不能为空")
        let returnUrl = needsReturnURL ? try required("return_url", "回调地址(return_url)不能为空") : fields["return_url"]
        let name = try required("name", "商品名称(name)不能为空")
        let money = try required("money", "金额(money)不能为空")
        guard let price = Money(parsing: money), price.fen > 0 else { throw Refusal(message: "金额不合法") }
        guard outTradeNo.unicodeScalars.count <= 64, outTradeNo.unicodeScalars.allSatisfy(Self.isOrderNumberCharacter)
        else { throw Refusal(message: "订单号(out_trade_no)格式不正确") }
        for field in ["name", "param", "sitename"]
        where (fields[field]?.unicodeScalars.count ?? 0) > GatewayMessages.maxParamLength {
            throw Refusal(message: "\(field) 过长 (at most \(GatewayMessages.maxParamLength) characters)")
        }
        let type = try required("type", "支付方式(type)不能为空")
        let payType: PayType? = type == "alipay" ? .alipay : type == "wxpay" ? .wechat : nil
        guard let payType else { throw Refusal(message: "不支持的支付方式(type)：\(type)，只支持 alipay 和 wxpay") }
        do {
            try await services.notifyPolicy.check(notifyUrl, for: merchant)
        } catch {
            throw Refusal(message: GatewayMessages.notifyRefused(error, field: "notify_url"))
        }
        if let returnUrl, !returnUrl.isEmpty, WebAddress.given(returnUrl) == nil {
            throw Refusal(message: "回调地址(return_url)必须是 http 或 https 地址")
        }
        do {
            let created = try await services.createGatewayOrder(
                MerchantOrderRequest(
                    merchant: merchant, gateway: .epay, outTradeNo: outTradeNo, type: payType, rawType: type,
                    price: price, rawPrice: money, param: fields["param"] ?? "", name: name, notifyUrl: notifyUrl,
                    returnUrl: returnUrl?.isEmpty == false ? returnUrl : nil, siteName: fields["sitename"],
                    clientIp: fields["clientip"] ?? context.clientAddress, language: context.language.rawValue))
            context.logger.info(
                "merchant \(merchant.pid) order \(created.merchantOrder.tradeNo): \(payType.rawValue) \(created.order.amount)"
            )
            return created
        } catch let refusal as MerchantOrderRefusal {
            switch refusal {
            case .alreadyPaid: throw Refusal(message: "该订单(\(outTradeNo))已完成支付，请勿重复发起支付")
            case .orderNumberTaken: throw Refusal(message: "该订单(\(outTradeNo))支付参数有变化，请更换订单号重新发起支付")
            case .busy: throw Refusal(message: GatewayMessages.busy)
            case .notStocked: throw Refusal(message: GatewayMessages.notStocked)
            case .noOnlineListener: throw Refusal(message: GatewayMessages.noOnlineListener)
            }
        }
    }

    private func orderQuery(_ fields: WireFields, _ context: AppRequestContext) async throws -> OrderAnswer {
        let merchant = try await keyedMerchant(fields, context)
        let gatewayOrder: GatewayOrder?
        if let tradeNo = fields["trade_no"], !tradeNo.isEmpty {
            gatewayOrder = try await services.database.gatewayOrder(tradeNo: tradeNo)
        } else if let outTradeNo = fields["out_trade_no"], !outTradeNo.isEmpty {
            gatewayOrder = try await services.database.gatewayOrder(pid: merchant.pid, outTradeNo: outTradeNo)
        } else {
            throw Refusal(message: "参数不完整")
        }
        guard let gatewayOrder, gatewayOrder.merchantOrder.pid == merchant.pid else {
            throw Refusal(message: "订单号不存在")
        }
        let order = gatewayOrder.order, merchantOrder = gatewayOrder.merchantOrder
        let paid = order.status == .paid
        return OrderAnswer(
            trade_no: merchantOrder.tradeNo, out_trade_no: merchantOrder.outTradeNo, type: merchantOrder.rawType,
            pid: merchant.pid, addtime: localTime(order.createdAt), endtime: order.paidAt.map(localTime),
            name: merchantOrder.name, money: merchantOrder.rawPrice, status: paid ? 1 : 0,
            trade_status: paid ? "TRADE_SUCCESS" : "WAIT_BUYER_PAY", param: merchantOrder.param)
    }

    private func merchantQuery(_ fields: WireFields, _ context: AppRequestContext) async throws -> MerchantAnswer {
        let merchant = try await keyedMerchant(fields, context)
        let today = services.startOfToday
        let stats = try await services.database.merchantStats(
            pid: merchant.pid, today: today, yesterday: today.addingTimeInterval(-86400))
        return MerchantAnswer(
            pid: merchant.pid, active: merchant.enabled ? 1 : 0, orders: stats.paidOrders,
            order_today: stats.incomeToday.description, order_lastday: stats.incomeYesterday.description)
    }

    // MARK: Verification

    /// The merchant named by `pid` whose key signed the fields (SPEC 11.3's rule).
    private func signedMerchant(_ fields: WireFields, _ context: AppRequestContext) async throws -> Merchant {
        guard let pidText = fields["pid"], !pidText.isEmpty else { throw Refusal(message: "商户ID不能为空") }
        let merchant = try await self.merchant(pid: pidText)
        let sent = fields["sign"] ?? ""
        let expected = EPaySignature(key: merchant?.key ?? Nanoid.make()).sign(fields.pairs)
        guard let merchant, ConstantTime.equals(sent.lowercased(), expected) else {
            try await countBadSignature(context)
            throw Refusal(message: merchant == nil ? "商户不存在！" : "签名校验失败，请返回重试！")
        }
        return merchant
    }

    /// The merchant named by `pid`, proven by its `key` in the query (as old clients send it) or
    /// by a `sign` over the other parameters.
    private func keyedMerchant(_ fields: WireFields, _ context: AppRequestContext) async throws -> Merchant {
        guard let pidText = fields["pid"], !pidText.isEmpty else { throw Refusal(message: "参数不完整") }
        let merchant = try await self.merchant(pid: pidText)
        let key = merchant?.key ?? Nanoid.make()
        let proven: Bool
        if let sentKey = fields["key"] {
            proven = ConstantTime.equals(sentKey, key)
        } else {
            proven = ConstantTime.equals(
                (fields["sign"] ?? "").lowercased(),
                EPaySignature(key: key).sign(fields.pairs))
        }
        guard let merchant, proven else {
            try await countBadSignature(context)
            throw Refusal(message: merchant == nil ? "PID不存在" : "KEY校验失败")
        }
        return merchant
    }

    private func merchant(pid: String) async throws -> Merchant? {
        guard let pid = Int64(pid) else { return nil }
        return try await services.database.merchant(pid: pid)
    }

    private func countBadSignature(_ context: AppRequestContext) async throws {
        if let wait = await services.countBadGatewaySignature(context) {
            throw Refusal(message: GatewayMessages.tooManyBadSignatures(wait))
        }
    }

    // MARK: Helpers

    private static func failure(_ error: any Error) throws -> Response {
        switch error {
        case let refusal as Refusal: try JSONResponse.encode(Failure(code: refusal.code, msg: refusal.message))
        case let error as HTTPError:
            try JSONResponse.encode(Failure(code: -1, msg: "请求无效 (\(error.body ?? error.status.reasonPhrase))"))
        default: throw error
        }
    }

    /// Letters, digits and `. _ - |`, as 易支付 sites accept in `out_trade_no`.
    private static func isOrderNumberCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-|".unicodeScalars.contains(scalar))
    }

    /// `yyyy-MM-dd HH:mm:ss` in `site.timeZone`, as the peer writes times.
    private func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = services.configuration.siteTimeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
