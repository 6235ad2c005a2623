import Foundation
import Hummingbird
import StoreCore

/// The seller's phone app reports received money here, in either of the two deployed protocols.
/// Both take GET or POST forms; their answers are the JSON shapes the apps expect.
struct ListenerController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/addons/pay/api/setting", method: method, use: setting)
            router.on("/addons/pay/api/notify", method: method, use: notify)
            router.on("/appHeart", method: method, use: heart)
            router.on("/appPush", method: method, use: push)
        }
    }

    /// Protocol A's answer.
    struct AnswerA: Encodable {
        let code: Int
        let msg: String
        let data = ""
        let url = ""
        let wait = 3
    }

    /// Protocol B's answer; `data` is always an explicit null.
    struct AnswerB: Encodable {
        let code: Int
        let msg: String

        private enum CodingKeys: String, CodingKey { case code, msg, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(msg, forKey: .msg)
            try container.encodeNil(forKey: .data)
        }
    }

    // MARK: Protocol A

    @Sendable func setting(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await ListenerFields.read(request)
        guard let sign = fields["sign"], let apiURL = fields["apiurl"] else {
            return try answerA(0, "缺少参数 (missing sign or apiurl)")
        }
        guard
            try await verify(
                sign, ListenerSignature(secret: services.listenerSecret.value).settingSign(apiURL: apiURL), context)
        else { return try answerA(0, "签名错误 (bad signature)") }
        try services.database.recordListenerSeen()
        return try answerA(1, "配置成功!")
    }

    @Sendable func notify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await ListenerFields.read(request)
        guard let sign = fields["sign"], let price = fields["price"], let type = fields["type"] else {
            return try answerA(0, "缺少参数 (missing sign, price or type)")
        }
        let expected = ListenerSignature(secret: services.listenerSecret.value).notifySign(price: price, type: type)
        guard try await verify(sign, expected, context) else { return try answerA(0, "签名错误 (bad signature)") }
        guard let payType = PayType(rawValue: type), let amount = Money(parsing: price), amount.fen > 0 else {
            return try answerA(0, "参数错误 (type must be wechat or alipay, price like 0.99)")
        }
        let payment = try await record(payType, amount, raw: price, source: .notify, fields, context)
        return try answerA(1, Self.message(for: payment))
    }

    // MARK: Protocol B

    @Sendable func heart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await ListenerFields.read(request)
        guard let t = fields["t"], let sign = fields["sign"] else { return try answerB(-1, "缺少参数 (missing t or sign)") }
        guard try await verify(sign, ListenerSignature(secret: services.listenerSecret.value).heartSign(t: t), context)
        else {
            return try answerB(-1, "签名错误 (bad signature)")
        }
        if let problem = clockProblem(t) { return try answerB(-1, problem) }
        try services.database.recordListenerSeen()
        return try answerB(1, "成功")
    }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await ListenerFields.read(request)
        guard let t = fields["t"], let type = fields["type"], let price = fields["price"], let sign = fields["sign"]
        else {
            return try answerB(-1, "缺少参数 (missing t, type, price or sign)")
        }
        let expected = ListenerSignature(secret: services.listenerSecret.value).pushSign(type: type, price: price, t: t)
        guard try await verify(sign, expected, context) else { return try answerB(-1, "签名错误 (bad signature)") }
        if let problem = clockProblem(t) { return try answerB(-1, problem) }
        let payType: PayType? = type == "1" ? .wechat : type == "2" ? .alipay : nil
        guard let payType, let amount = Money(parsing: price), amount.fen > 0 else {
            return try answerB(-1, "参数错误 (type must be 1 or 2, price like 0.99)")
        }
        let skew = TimeInterval(services.configuration.listenerClockSkew)
        guard
            try services.database.rememberListenerNonce(
                "\(t)|\(type)|\(price)", forgetBefore: Date().addingTimeInterval(-2 * skew))
        else { return try answerB(-1, "重复推送 (this push was already received)") }
        let payment = try await record(payType, amount, raw: price, source: .appPush, fields, context)
        return try answerB(1, Self.message(for: payment))
    }

    // MARK: Shared

    /// Checks a signature, limiting bad ones per address.
    private func verify(_ sent: String, _ expected: String, _ context: AppRequestContext) async throws -> Bool {
        let address = context.clientAddress
        if let wait = await services.signatureThrottle.retryAfter(for: address) {
            throw HTTPError(
                .tooManyRequests, headers: [.retryAfter: "\(wait)"],
                message: "Too many bad signatures from this address; wait \(wait) seconds.")
        }
        guard ListenerSignature.matches(sent, expected) else {
            await services.signatureThrottle.recordFailure(for: address)
            context.logger.warning("listener: bad signature from \(address)")
            return false
        }
        return true
    }

    /// Why `t` (epoch milliseconds) is refused, if it is.
    private func clockProblem(_ t: String) -> String? {
        guard let milliseconds = Double(t), milliseconds.isFinite else { return "参数错误 (t must be epoch milliseconds)" }
        let skew = abs(milliseconds / 1000 - Date().timeIntervalSince1970)
        guard skew <= Double(services.configuration.listenerClockSkew) else {
            return
                "时间不同步 (the phone's clock is \(Int(skew)) s off; allowed \(services.configuration.listenerClockSkew) s)"
        }
        return nil
    }

    private func record(
        _ type: PayType, _ amount: Money, raw: String, source: Payment.Source, _ fields: ListenerFields,
        _ context: AppRequestContext
    ) async throws -> Payment {
        let payment = try services.matcher.record(
            ListenerPush(
                type: type, amount: amount, rawAmount: raw, source: source, rawRequest: fields.raw,
                remoteAddress: context.clientAddress))
        try services.database.recordListenerSeen()
        if let orderId = payment.orderId, payment.outcome == .matched || payment.outcome == .late {
            await services.watch.notify([orderId])
        }
        context.logger.info(
            "payment \(payment.id ?? 0): \(type.rawValue) \(amount) \(payment.outcome.rawValue) \(payment.orderId ?? "")"
        )
        return payment
    }

    private static func message(for payment: Payment) -> String {
        switch payment.outcome {
        case .matched: "收款成功，订单已支付 (order \(payment.orderId ?? "") paid)"
        case .late: "收款成功，订单已过期但已补记 (late payment, order \(payment.orderId ?? "") paid)"
        case .duplicate: "重复通知，已记录 (probable duplicate, recorded)"
        default: "已记录，没有匹配的订单 (recorded, no matching order)"
        }
    }

    private func answerA(_ code: Int, _ message: String) throws -> Response {
        try JSONResponse.encode(AnswerA(code: code, msg: message))
    }

    private func answerB(_ code: Int, _ message: String) throws -> Response {
        try JSONResponse.encode(AnswerB(code: code, msg: message))
    }
}

/// A listener request's fields from the query and, for POST, the urlencoded body, exactly as
/// sent (percent-decoded only); `raw` is what gets stored with the payment.
struct ListenerFields {
    private let fields: FormFields
    let raw: String

    static func read(_ request: Request) async throws -> ListenerFields {
        var text = request.uri.query ?? ""
        if request.method == .post {
            let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
            text = text.isEmpty ? body : text + "&" + body
        }
        return ListenerFields(fields: FormFields(text), raw: "\(request.method) \(request.uri.path)?\(text)")
    }

    subscript(name: String) -> String? { fields[name] }
}
