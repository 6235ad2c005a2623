import Foundation
import Hummingbird
import Imaging
import StoreCore

/// `/admin/settings`: the listener secret and how to set up both listener apps.
struct AdminSettingsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings", use: show)
        group.post("settings/regenerate-secret", use: regenerate)
        group.get("settings/listener-qr.png", use: configQR)
    }

    struct SettingsView {
        let secret: String
        let configured: Bool
        let address: String
        let notifyURL: String
        let configText: String
        let online: Bool
        let lastSeen: String
        let ordersText: String
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let listener = try await ListenerStatus(services: services)
        let configuration = services.configuration
        let view = SettingsView(
            secret: services.listenerSecret.value, configured: services.listenerSecret.isConfigured,
            address: publicAddress(request), notifyURL: publicAddress(request) + "/addons/pay/",
            configText: configText(request), online: listener.online,
            lastSeen: listener.lastSeenText(services.pages.strings, context.language),
            ordersText: services.text(
                "admin.ordersText", context,
                [
                    "ttl": "\(configuration.orderTTL)", "grace": "\(configuration.orderLateGrace)",
                    "discount": configuration.discountMax.description, "mode": configuration.discountMode.rawValue,
                ]))
        let notice =
            request.uri.queryParameters["regenerated"] != nil
            ? services.text("admin.newSecret", context) : nil
        return try services.pages.render(
            "admin/settings", view,
            chrome: Chrome(
                title: services.text("admin.navSettings", context), context: context, seller: true, notice: notice))
    }

    @Sendable func regenerate(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard !services.listenerSecret.isConfigured else {
            throw LocalizedFailure(.conflict, "messages.secretConfigured")
        }
        services.listenerSecret.replace(with: try await services.database.regenerateListenerSecret())
        context.logger.notice("seller regenerated the listener secret")
        return .redirect(to: "/admin/settings?regenerated=1", type: .normal)
    }

    /// The protocol-B app's configuration code: `host[:port]/secret`.
    @Sendable func configQR(_ request: Request, context: AppRequestContext) async throws -> Response {
        let png = try QRRenderer(moduleSize: 6).renderPNG(configText(request))
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// The store's public address: `http.baseURL`, else the host the seller's browser used.
    private func publicAddress(_ request: Request) -> String {
        if let base = services.configuration.baseURL { return base.hasSuffix("/") ? String(base.dropLast()) : base }
        return
            "http://\(request.head.authority ?? "\(services.configuration.httpHost):\(services.configuration.httpPort)")"
    }

    private func configText(_ request: Request) -> String {
        let address = publicAddress(request)
        let host = address.split(separator: "://", maxSplits: 1).last.map(String.init) ?? address
        return "\(host)/\(services.listenerSecret.value)"
    }
}
