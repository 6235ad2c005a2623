import Crypto
import Foundation
import Hummingbird
import StoreCore

/// Protocol C (SPEC 15): SmsForwarder's webhook, one address per channel. The phone forwards the
/// wallet apps' notifications as they are; the store reads the money from them by its rules, and
/// keeps what it cannot read with certainty for the seller. Answers are JSON; SmsForwarder counts
/// HTTP 200 as delivered.
struct SmsForwarderController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/listener/smsforwarder/:channel", use: receive)
        router.get("/listener/smsforwarder/:channel", use: receive)
    }

    /// Every answer: `code` 0 when stored.
    struct Answer: Encodable {
        let code: Int
        let msg: String
    }

    /// A refusal with its HTTP status.
    struct Refusal: Error {
        let status: HTTPResponse.Status
        let message: String
        var retryAfter: Int?
    }

    /// The task names a seller gives SmsForwarder's heartbeat "自动任务" (README): a sign of life
    /// only, as is a request with neither title nor text.
    static let heartbeatNames: Set<String> = ["heartbeat", "心跳"]

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let message = try await handle(request, context)
            return try JSONResponse.encode(Answer(code: 0, msg: message))
        } catch let refusal as Refusal {
            var response = try JSONResponse.encode(Answer(code: -1, msg: refusal.message), status: refusal.status)
            if let wait = refusal.retryAfter { response.headers[.retryAfter] = "\(wait)" }
            return response
        } catch let error as HTTPError {
            return try JSONResponse.encode(
                Answer(code: -1, msg: error.body ?? error.status.reasonPhrase), status: error.status)
        } catch {
            context.logger.error("smsforwarder: \(request.uri.path) failed: \(error)")
            return try JSONResponse.encode(
                Answer(code: -1, msg: "server error, please retry"), status: .internalServerError)
        }
    }

    private func handle(_ request: Request, _ context: AppRequestContext) async throws -> String {
        guard let channelId = Int64(try context.parameters.require("channel")),
            let secret = try await secret(of: channelId)
        else { throw Refusal(status: .notFound, message: "no such channel") }
        let fields = try await Self.fields(of: request)
        guard let timestamp = fields["timestamp"], !timestamp.isEmpty, let sign = fields["sign"], !sign.isEmpty else {
            throw Refusal(
                status: .badRequest,
                message: "timestamp and sign are required (set the channel's secret as the webhook secret)")
        }
        let sent = ListenerSignature.plainBase64(sign)
        var verified = ConstantTime.equals(
            sent, ListenerSignature(secret: secret).smsForwarderSign(timestamp: timestamp))
        // A secret changed a moment ago from the command line: read the secrets once more first.
        if !verified, services.channelKeys.isStale(at: services.clock.now(), interval: 1) {
            try await services.reloadChannelKeys()
            if let fresh = services.channelKeys.all.first(where: { $0.channelId == channelId }) {
                verified = ConstantTime.equals(
                    sent, ListenerSignature(secret: fresh.secret).smsForwarderSign(timestamp: timestamp))
            }
        }
        guard verified else {
            let address = context.clientAddress
            if let wait = await services.signatureThrottle.retryAfter(for: address) {
                throw Refusal(status: .tooManyRequests, message: "too many bad signatures", retryAfter: wait)
            }
            await services.signatureThrottle.recordFailure(for: address)
            context.logger.warning("smsforwarder: bad signature from \(address) for channel \(channelId)")
            throw Refusal(status: .unauthorized, message: "bad sign")
        }
        let skewLimit = services.configuration.listenerClockSkew
        guard let milliseconds = Double(timestamp), milliseconds.isFinite else {
            throw Refusal(status: .badRequest, message: "timestamp must be epoch milliseconds")
        }
        let skew = abs(milliseconds / 1000 - services.clock.now().timeIntervalSince1970)
        guard skew <= Double(skewLimit) else {
            throw Refusal(
                status: .badRequest, message: "the phone's clock is \(Int(skew)) s off; allowed \(skewLimit) s")
        }
        let app = (fields["from"] ?? "").trimmingCharacters(in: .whitespaces)
        let content = fields["content"] ?? fields["msg"] ?? ""
        let replayMemory = services.configuration.slotHolding.replayMemory
        // The sign covers only the timestamp: it is used up by the first request that carries it,
        // whatever that was, so a leaked one (a heartbeat's, say) can make no payment.
        let timestampKey = "sf-t|" + timestamp
        if Self.heartbeatNames.contains(app.lowercased())
            || (content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                && (fields["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        {
            try await services.database.recordListenerHeartbeat(
                channelId: channelId, key: timestampKey, now: services.clock.now(), replayMemory: replayMemory)
            return "ok"
        }
        let (title, text) = NotificationReader.parts(from: app, title: fields["title"], content: content)
        // The same request again (the phone retrying) is taken once, by its content's hash.
        let digest = SHA256.hash(data: Data([timestamp, app, title, text].joined(separator: "\n").utf8))
        let contentKey = "sf|" + digest.map { String(format: "%02x", $0) }.joined()
        func keepUnread(_ reason: ListenerNotification.Reason) async throws -> String {
            let notification = ListenerNotification(
                channelId: channelId, app: app, title: title, content: text, reason: reason,
                receivedAt: services.clock.now())
            let stored = try await services.database.recordListenerNotification(
                notification, replayKey: contentKey, alsoSeen: [timestampKey], replayMemory: replayMemory)
            if stored {
                context.logger.info("smsforwarder: an unread notification (\(reason.rawValue)) on channel \(channelId)")
            }
            return stored ? "ok" : "duplicate"
        }
        switch NotificationReader.read(app: app, title: title, text: text) {
        case .payment(let type, let amount, let rawAmount):
            let push = ListenerPush(
                channelId: channelId, type: type, amount: amount, rawAmount: rawAmount, source: .smsForwarder,
                rawRequest: fields.raw, remoteAddress: context.clientAddress, replayKey: timestampKey,
                alsoSeen: [contentKey])
            guard case .recorded(let payment) = try await services.matcher.record(push) else {
                // This timestamp was used already: the same request again is a duplicate; another
                // text with the same sign may be forged, and is left to the seller.
                return try await keepUnread(.reusedSign)
            }
            if let orderId = payment.orderId, payment.outcome == .matched || payment.outcome == .late {
                await services.watch.notify([orderId])
                services.outboxBell.ring()
            }
            context.logger.info(
                "payment \(payment.id ?? 0): \(type.rawValue) \(amount) \(payment.outcome.rawValue) \(payment.orderId ?? "")"
            )
            return "ok"
        case .unread(let reason):
            return try await keepUnread(reason)
        }
    }

    /// Channel `id`'s secret, read again when it is not known yet (a channel just added).
    private func secret(of id: Int64) async throws -> String? {
        if services.channelKeys.isStale(at: services.clock.now()) { try await services.reloadChannelKeys() }
        if let key = services.channelKeys.all.first(where: { $0.channelId == id }) { return key.secret }
        guard services.channelKeys.isStale(at: services.clock.now(), interval: 1) else { return nil }
        try await services.reloadChannelKeys()
        return services.channelKeys.all.first(where: { $0.channelId == id })?.secret
    }

    /// The request's fields: a JSON template's object, or the form and query (no template).
    static func fields(of request: Request) async throws -> SmsForwarderFields {
        guard request.headers[.contentType]?.lowercased().contains("json") == true else {
            let wire = try await WireFields.read(request)
            return SmsForwarderFields(
                values: Dictionary(wire.pairs, uniquingKeysWith: { first, _ in first }), path: request.uri.path)
        }
        let body = try await request.body.collect(upTo: WireFields.maxBodyBytes)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw Refusal(status: .badRequest, message: "the body is not a JSON object")
        }
        var values: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String: values[name] = text
            case let number as NSNumber: values[name] = number.stringValue
            default: continue
            }
        }
        return SmsForwarderFields(values: values, path: request.uri.path)
    }
}

/// What an SmsForwarder request carried, by name; `raw` is what is kept with a payment, without
/// the sign.
struct SmsForwarderFields {
    let values: [String: String]
    let path: String

    subscript(name: String) -> String? { values[name] }

    var raw: String {
        "\(path) "
            + values.filter { $0.key != "sign" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }
}
