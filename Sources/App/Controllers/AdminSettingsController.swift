import Foundation
import Hummingbird
import Imaging
import StoreCore

/// `/admin/settings`: the shop's name, notice, discount and order lifetime; the listener secret
/// and how to set up both listener apps.
struct AdminSettingsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings", use: show)
        group.post("settings/shop", use: saveShop)
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
        let shop: ShopForm
        let problem: String?
    }

    /// The shop's settings as the form shows and sends them.
    struct ShopForm: Codable {
        var name: String
        var notice: String
        var discountMax: String
        var orderTTL: String

        /// The settings these fields make, or the problem to show the seller.
        func settings() -> Result<ShopSettings, InvalidShopSettings> {
            guard let discount = Money(parsing: discountMax.trimmingCharacters(in: .whitespaces)) else {
                return .failure(.badDiscount)
            }
            guard let ttl = Int(orderTTL.trimmingCharacters(in: .whitespaces)) else { return .failure(.badOrderTTL) }
            let settings = ShopSettings(
                name: name.trimmingCharacters(in: .whitespacesAndNewlines),
                notice: notice.trimmingCharacters(in: .whitespacesAndNewlines), discountMax: discount, orderTTL: ttl)
            if let problem = settings.problem { return .failure(problem) }
            return .success(settings)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
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

    @Sendable func saveShop(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: ShopForm.self, context: context)
        switch form.settings() {
        case .failure(let problem):
            var response = try await page(
                request, context: context, shop: form,
                problem: services.text("settingsProblems.\(problem.rawValue)", context))
            response.status = .unprocessableContent
            return response
        case .success(let settings):
            try await services.database.saveShopSettings(settings)
            try await services.applySavedSettings()
            context.logger.notice("seller saved the shop settings")
            return .redirect(to: "/admin/settings?saved=1", type: .normal)
        }
    }

    private func page(
        _ request: Request, context: AppRequestContext, notice: String? = nil, shop: ShopForm? = nil,
        problem: String? = nil
    ) async throws -> Response {
        let listener = try await ListenerStatus(services: services)
        let configuration = services.configuration
        let rules = services.orderRules.current, site = services.pages.site.current
        let view = SettingsView(
            secret: services.listenerSecret.value, configured: services.listenerSecret.isConfigured,
            address: publicAddress(request), notifyURL: publicAddress(request) + "/addons/pay/",
            configText: configText(request), online: listener.online,
            lastSeen: listener.lastSeenText(services.pages.strings, context.language),
            ordersText: services.text(
                "admin.ordersText", context,
                [
                    "ttl": "\(rules.orderTTL)", "grace": "\(configuration.orderLateGrace)",
                    "discount": rules.discountMax.description, "mode": configuration.discountMode.rawValue,
                ]),
            shop: shop
                ?? ShopForm(
                    name: site.name ?? "", notice: site.notice ?? "", discountMax: rules.discountMax.description,
                    orderTTL: "\(rules.orderTTL)"),
            problem: problem)
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
