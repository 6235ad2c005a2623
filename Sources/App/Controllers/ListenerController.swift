import Foundation
import Hummingbird
import StoreCore

/// The seller's phone app reports received money here, in either of the two deployed protocols.
/// Both take GET or POST forms. Every answer, refusals and limits included, is the JSON shape
/// the app expects. A correctly signed request is never refused by a rate limit: the signature
/// is checked first, and only requests whose signature fails are counted and limited.
struct ListenerController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/addons/pay/api/setting", method: method, use: answering(.a, setting))
            router.on("/addons/pay/api/notify", method: method, use: answering(.a, notify))
            router.on("/appHeart", method: method, use: answering(.b, heart))
            router.on("/appPush", method: method, use: answering(.b, push))
        }
    }

    /// Which protocol answers: their JSON shapes and failure codes differ.
    enum ListenerProtocol {
        case a, b
    }

    /// One answer in either protocol's shape.
    struct Answer: Error {
        var ok: Bool
        var message: String
        var status: HTTPResponse.Status = .ok
        var retryAfter: Int?

        static func refused(_ message: String, status: HTTPResponse.Status = .ok) -> Answer {
            Answer(ok: false, message: message, status: status)
        }
    }

    /// Protocol A's JSON.
    struct AnswerA: Encodable {
        let code: Int
        let msg: String
        let data = ""
        let url = ""
        let wait = 3
    }

    /// Protocol B's JSON; `data` is always an explicit null.
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

    /// Runs `handler` and writes whatever it answers, or throws, in `kind`'s JSON.
    private func answering(
        _ kind: ListenerProtocol,
        _ handler: @escaping @Sendable (WireFields, AppRequestContext) async throws -> Answer
    ) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { [services] request, context in
            var answer: Answer
            do {
                if kind == .a, !services.configuration.listenerProtocolA {
                    answer = .refused("此接口已关闭 (protocol A is turned off: listener.protocolA)", status: .notFound)
                } else {
                    answer = try await handler(try await WireFields.read(request), context)
                }
            } catch let refusal as Answer {
                answer = refusal
            } catch let error as HTTPError {
                answer = .refused("请求无效 (\(error.body ?? error.status.reasonPhrase))", status: error.status)
            } catch {
                context.logger.error("listener: \(request.uri.path) failed: \(error)")
                answer = .refused("服务器错误，请重试 (server error, please retry)", status: .internalServerError)
            }
            var response =
                switch kind {
                case .a: try JSONResponse.encode(AnswerA(code: answer.ok ? 1 : 0, msg: answer.message))
                case .b: try JSONResponse.encode(AnswerB(code: answer.ok ? 1 : -1, msg: answer.message))
                }
            response.status = answer.status
            if let wait = answer.retryAfter { response.headers[.retryAfter] = "\(wait)" }
            return response
        }
    }

    // MARK: Protocol A

    @Sendable func setting(_ fields: WireFields, context: AppRequestContext) async throws -> Answer {
        guard let sign = fields["sign"], let apiURL = fields["apiurl"] else {
            return .refused("缺少参数 (missing sign or apiurl)")
        }
        let channel = try await verify(sign, context) { $0.settingSign(apiURL: apiURL) }
        try await services.database.recordChannelSeen(id: channel, now: services.clock.now())
        return Answer(ok: true, message: "配置成功!")
    }

    @Sendable func notify(_ fields: WireFields, context: AppRequestContext) async throws -> Answer {
        guard let sign = fields["sign"], let price = fields["price"], let type = fields["type"] else {
            return .refused("缺少参数 (missing sign, price or type)")
        }
        let channel = try await verify(sign, context) { $0.notifySign(price: price, type: type) }
        guard let payType = PayType(rawValue: type), let amount = Money(parsing: price), amount.fen > 0 else {
            return .refused("参数错误 (type must be wechat or alipay, price like 0.99)")
        }
        return try await record(
            ListenerPush(
                channelId: channel, type: payType, amount: amount, rawAmount: price, source: .notify,
                rawRequest: fields.raw, remoteAddress: context.clientAddress), context)
    }

    // MARK: Protocol B

    @Sendable func heart(_ fields: WireFields, context: AppRequestContext) async throws -> Answer {
        guard let t = fields["t"], let sign = fields["sign"] else { return .refused("缺少参数 (missing t or sign)") }
        let channel = try await verify(sign, context) { $0.heartSign(t: t) }
        try checkClock(t)
        try await services.database.recordChannelSeen(id: channel, now: services.clock.now())
        return Answer(ok: true, message: "成功")
    }

    @Sendable func push(_ fields: WireFields, context: AppRequestContext) async throws -> Answer {
        guard let t = fields["t"], let type = fields["type"], let price = fields["price"], let sign = fields["sign"]
        else { return .refused("缺少参数 (missing t, type, price or sign)") }
        let channel = try await verify(sign, context) { $0.pushSign(type: type, price: price, t: t) }
        try checkClock(t)
        let payType: PayType? = type == "1" ? .wechat : type == "2" ? .alipay : nil
        guard let payType, let amount = Money(parsing: price), amount.fen > 0 else {
            return .refused("参数错误 (type must be 1 or 2, price like 0.99)")
        }
        return try await record(
            ListenerPush(
                channelId: channel, type: payType, amount: amount, rawAmount: price, source: .appPush,
                rawRequest: fields.raw, remoteAddress: context.clientAddress, replayKey: "\(t)|\(type)|\(price)"),
            context)
    }

    // MARK: Shared

    /// The channel whose secret makes `expected` the sent signature: a correct signature passes
    /// whatever the address did before; bad ones are counted and limited.
    private func verify(
        _ sent: String, _ context: AppRequestContext, expected: (ListenerSignature) -> String
    ) async throws -> Int64 {
        // Secrets changed from the command line: read every few seconds, so that an old secret
        // stops working and a new one starts, and once more before a signature counts as bad.
        let now = services.clock.now()
        if services.channelKeys.isStale(at: now) { try await services.reloadChannelKeys() }
        if let channel = services.channelKeys.channel(signing: sent, expected) { return channel }
        if services.channelKeys.isStale(at: now, interval: 1) {
            try await services.reloadChannelKeys()
            if let channel = services.channelKeys.channel(signing: sent, expected) { return channel }
        }
        let address = context.clientAddress
        if let wait = await services.signatureThrottle.retryAfter(for: address) {
            var answer = Answer.refused("签名错误次数过多，请 \(wait) 秒后再试 (too many bad signatures)", status: .tooManyRequests)
            answer.retryAfter = wait
            throw answer
        }
        await services.signatureThrottle.recordFailure(for: address)
        context.logger.warning("listener: bad signature from \(address)")
        throw Answer.refused("签名错误 (bad signature)")
    }

    /// Refuses `t` (epoch milliseconds) when the phone's clock is too far from ours.
    private func checkClock(_ t: String) throws {
        let skewLimit = services.configuration.listenerClockSkew
        guard let milliseconds = Double(t), milliseconds.isFinite else {
            throw Answer.refused("参数错误 (t must be epoch milliseconds)")
        }
        let skew = abs(milliseconds / 1000 - services.clock.now().timeIntervalSince1970)
        guard skew <= Double(skewLimit) else {
            throw Answer.refused("时间不同步 (the phone's clock is \(Int(skew)) s off; allowed \(skewLimit) s)")
        }
    }

    /// Stores and matches the push; answers once the payment is durable on disk.
    private func record(_ push: ListenerPush, _ context: AppRequestContext) async throws -> Answer {
        guard case .recorded(let payment) = try await services.matcher.record(push) else {
            return .refused("重复推送 (this push was already received)")
        }
        if let orderId = payment.orderId, payment.outcome == .matched || payment.outcome == .late {
            await services.watch.notify([orderId])
            services.outboxBell.ring()
        }
        context.logger.info(
            "payment \(payment.id ?? 0): \(push.type.rawValue) \(push.amount) \(payment.outcome.rawValue) \(payment.orderId ?? "")"
        )
        return Answer(ok: true, message: Self.message(for: payment))
    }

    private static func message(for payment: Payment) -> String {
        switch payment.outcome {
        case .matched: "收款成功，订单已支付 (order \(payment.orderId ?? "") paid)"
        case .late: "收款成功，订单已过期但已补记 (late payment, order \(payment.orderId ?? "") paid)"
        case .duplicate: "重复通知，已记录 (duplicate of a payment already matched, recorded)"
        default: "已记录，没有匹配的订单 (recorded, no matching order)"
        }
    }
}
