import Foundation
import Hummingbird
import StoreCore

/// `GET /admin`: the seller's overview: the listener, today's money, what needs attention.
struct DashboardController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: show)
    }

    struct DashboardView {
        let listenerOnline: Bool
        let listenerSeen: String
        let channels: [ChannelTile]
        let todayText: String
        let todayIncome: String
        let pending: [OrderRow]
        let hasPending: Bool
        let unmatched: [PaymentRow]
        let hasUnmatched: Bool
        /// Forwarded notifications the store could not read, waiting on the payments page.
        let unreadText: String?
        let codesText: String
        let enabledCodes: Int
        let gaps: Int
        var hasGaps: Bool { gaps > 0 }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let database = services.database
        let goods = try await database.goodsList(enabledOnly: true)
        let listener = try await ListenerStatus(services: services)
        let today = try await database.orderStats(since: services.startOfToday)
        let pending = try await OrderRow.rows(
            try await database.orders(status: .pending, now: services.clock.now(), limit: 20), services: services)
        let unmatched = try await database.payments(unmatchedOnly: true, limit: 20).map(PaymentRow.init)
        let unread = try await database.openListenerNotificationCount()
        let view = DashboardView(
            listenerOnline: listener.online,
            listenerSeen: listener.lastSeenText(services.pages.strings, context.language),
            channels: try await ChannelTile.all(services, context),
            todayText: services.text(
                "admin.todayText", context, ["paid": "\(today.paidOrders)", "orders": "\(today.orders)"]),
            todayIncome: today.income.description, pending: pending, hasPending: !pending.isEmpty,
            unmatched: unmatched, hasUnmatched: !unmatched.isEmpty,
            unreadText: unread > 0 ? services.text("admin.unreadWaiting", context, ["count": "\(unread)"]) : nil,
            codesText: services.text("admin.codesText", context, ["goods": "\(goods.count)"]),
            enabledCodes: try await database.payCodes(enabled: true).count,
            gaps: try await CoverageGrid.make(services: services, goods: goods).gapCount)
        return try services.pages.render(
            "admin/dashboard", view,
            chrome: Chrome(title: services.text("admin.navOverview", context), context: context, seller: true))
    }
}

/// One channel's listener on the dashboard.
struct ChannelTile {
    let id: Int64
    let name: String
    let online: Bool
    let lastSeen: String

    static func all(_ services: AppServices, _ context: AppRequestContext) async throws -> [ChannelTile] {
        try await services.database.channels().filter(\.enabled).map {
            let status = ListenerStatus(lastSeenAt: $0.lastSeenAt, services: services)
            return ChannelTile(
                id: $0.id ?? 0, name: $0.name, online: status.online,
                lastSeen: status.lastSeenText(services.pages.strings, context.language))
        }
    }
}
