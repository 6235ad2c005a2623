import Foundation
import Hummingbird
import StoreCore

/// `/admin/settings`: the shop's name, notice, discount and order lifetime. The listeners'
/// set-up is on the channels page, one per channel.
struct AdminSettingsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings", use: show)
        group.post("settings/shop", use: saveShop)
    }

    struct SettingsView {
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
        let notice = request.uri.queryParameters["saved"] != nil ? services.text("messages.saved", context) : nil
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
        let configuration = services.configuration
        let rules = services.orderRules.current, site = services.pages.site.current
        let view = SettingsView(
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
}
