import Foundation
import Hummingbird
import Imaging
import StoreCore

/// `/admin/channels`: the store's payees (收款通道), one phone each: add, rename, turn on and off,
/// a new secret, and each one's listener set-up (protocol A's address, protocol B's config code).
struct AdminChannelsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("channels", use: list)
        group.post("channels", use: create)
        group.post("channels/:id", use: rename)
        group.post("channels/:id/enable") { request, context in try await setEnabled(true, request, context) }
        group.post("channels/:id/disable") { request, context in try await setEnabled(false, request, context) }
        group.post("channels/:id/secret", use: regenerate)
        group.post("channels/:id/delete", use: delete)
        group.get("channels/:id/listener-qr.png", use: configQR)
    }

    struct ListView {
        let channels: [ChannelRow]
        let problem: String?
        let protocolA: Bool
    }

    /// One channel as its card shows it.
    struct ChannelRow {
        let id: Int64
        let name: String
        let enabled: Bool
        let online: Bool
        let lastSeen: String
        let secret: String
        /// Channel 1's secret comes from `listener.secret` and cannot be changed here.
        let configured: Bool
        let wechat: Int
        let alipay: Int
        let genericWechat: Int
        let genericAlipay: Int
        let notifyURL: String
        let configText: String
        /// SmsForwarder's webhook address for this channel.
        let smsForwarderURL: String
    }

    struct NameForm: Decodable {
        var name: String
        var secret: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? =
            if request.uri.queryParameters["regenerated"] != nil {
                services.text("admin.newSecret", context)
            } else if request.uri.queryParameters["saved"] != nil {
                services.text("messages.saved", context)
            } else {
                nil
            }
        return try await page(request, context: context, notice: notice)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: NameForm.self, context: context)
        let secret = form.secret.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        do {
            let channel = try await services.database.createChannel(
                name: form.name, secret: secret, now: services.clock.now())
            try await services.reloadChannelKeys()
            context.logger.notice("seller added channel \(channel.id ?? 0)")
            return .redirect(to: "/admin/channels?saved=1#channel-\(channel.id ?? 0)", type: .normal)
        } catch let error as ChannelError {
            var response = try await page(request, context: context, problem: error.text(services, context))
            response.status = .unprocessableContent
            return response
        }
    }

    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: NameForm.self, context: context)
        try await change(context) { id in _ = try await services.database.updateChannel(id: id, name: form.name) }
        return .redirect(to: "/admin/channels?saved=1", type: .normal)
    }

    private func setEnabled(_ enabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response
    {
        try await change(context) { id in _ = try await services.database.updateChannel(id: id, enabled: enabled) }
        return .redirect(to: "/admin/channels?saved=1", type: .normal)
    }

    @Sendable func regenerate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(context) { id in
            if id == 1, services.configuration.listenerSecret != nil {
                throw LocalizedFailure(.conflict, "messages.secretConfigured")
            }
            _ = try await services.database.replaceChannelSecret(id: id)
            try await services.reloadChannelKeys()
            context.logger.notice("seller regenerated channel \(id)'s secret")
        }
        return .redirect(to: "/admin/channels?regenerated=1", type: .normal)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(context) { id in
            try await services.database.deleteChannel(id: id, now: services.clock.now())
            try await services.reloadChannelKeys()
        }
        return .redirect(to: "/admin/channels?saved=1", type: .normal)
    }

    /// The protocol-B app's configuration code of one channel: `host[:port]/secret`.
    @Sendable func configQR(_ request: Request, context: AppRequestContext) async throws -> Response {
        let channel = try await services.channel(context)
        let text = ListenerSetup(services: services, request: request).configText(secret: channel.secret)
        let png = try await ImagingPool.run { Result { try QRRenderer(moduleSize: 6).renderPNG(text) } }.get()
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// Runs `body` on the channel the route names; its refusals in the seller's language.
    private func change(_ context: AppRequestContext, _ body: (Int64) async throws -> Void) async throws {
        let id = try await services.channel(context).id!
        do {
            try await body(id)
        } catch let error as ChannelError {
            throw LocalizedFailure(error == .notFound ? .notFound : .conflict, "channelProblems.\(error.key)")
        }
    }

    private func page(
        _ request: Request, context: AppRequestContext, notice: String? = nil, problem: String? = nil
    ) async throws -> Response {
        let setup = ListenerSetup(services: services, request: request)
        let rows = try await services.database.channelSummaries().map { summary in
            let channel = summary.channel, status = ListenerStatus(lastSeenAt: channel.lastSeenAt, services: services)
            return ChannelRow(
                id: channel.id ?? 0, name: channel.name, enabled: channel.enabled, online: status.online,
                lastSeen: status.lastSeenText(services.pages.strings, context.language),
                secret: channel.secret, configured: channel.id == 1 && services.configuration.listenerSecret != nil,
                wechat: summary.fixedCodes[.wechat] ?? 0, alipay: summary.fixedCodes[.alipay] ?? 0,
                genericWechat: summary.genericCodes[.wechat] ?? 0, genericAlipay: summary.genericCodes[.alipay] ?? 0,
                notifyURL: setup.notifyURL, configText: setup.configText(secret: channel.secret),
                smsForwarderURL: setup.smsForwarderURL(channel: channel.id ?? 0))
        }
        return try services.pages.render(
            "admin/channels",
            ListView(channels: rows, problem: problem, protocolA: services.configuration.listenerProtocolA),
            chrome: Chrome(
                title: services.text("admin.navChannels", context), context: context, seller: true, notice: notice))
    }
}

/// What a listener app is told: the store's address and its config code.
struct ListenerSetup {
    let services: AppServices
    let request: Request

    /// The store's public address: `http.baseURL`, else the host the seller's browser used.
    var address: String {
        if services.configuration.baseURL != nil { return services.configuration.publicURL }
        return
            "http://\(request.head.authority ?? "\(services.configuration.httpHost):\(services.configuration.httpPort)")"
    }

    /// Protocol A's address.
    var notifyURL: String { address + "/addons/pay/" }

    /// Protocol C's address (SmsForwarder's webhook) for channel `channel`.
    func smsForwarderURL(channel: Int64) -> String { address + "/listener/smsforwarder/\(channel)" }

    /// Protocol B's configuration: `host[:port]/secret`.
    func configText(secret: String) -> String {
        let host = address.split(separator: "://", maxSplits: 1).last.map(String.init) ?? address
        return "\(host)/\(secret)"
    }
}

extension ChannelError {
    /// The language tables' key of the seller's message (`channelProblems.…`).
    var key: String {
        switch self {
        case .notFound: "notFound"
        case .badName: "badName"
        case .secretTooShort: "secretTooShort"
        case .secretTaken: "secretTaken"
        case .inUse: "inUse"
        case .first: "first"
        }
    }

    func text(_ services: AppServices, _ context: AppRequestContext) -> String {
        services.text("channelProblems.\(key)", context)
    }
}

extension AppServices {
    /// The channel a route's `:id` names, or a 404.
    func channel(_ context: AppRequestContext) async throws -> Channel {
        guard let id = Int64(try context.parameters.require("id")), let channel = try await database.channel(id: id)
        else { throw LocalizedFailure(.notFound, "channelProblems.notFound") }
        return channel
    }
}
