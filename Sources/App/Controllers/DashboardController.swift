import Hummingbird
import StoreCore

/// `GET /admin`: the seller's overview.
struct DashboardController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: show)
    }

    struct DashboardView {
        let goodsCount: Int
        let enabledCodes: Int
        let gaps: Int
        var hasGaps: Bool { gaps > 0 }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try services.database.goodsList(enabledOnly: true)
        let grid = try CoverageGrid.make(services: services, goods: goods)
        let view = DashboardView(
            goodsCount: goods.count, enabledCodes: try services.database.payCodes(enabled: true).count,
            gaps: grid.gapCount)
        return try services.pages.render(
            "admin/dashboard", view, chrome: Chrome(title: "Overview", context: context, seller: true))
    }
}
