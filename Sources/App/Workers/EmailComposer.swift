import Foundation
import Mail
import StoreCore

/// Writes the store's emails from the language tables, in the language each message records.
struct EmailComposer: Sendable {
    let services: AppServices

    /// The subject and body of `message`, or nil when what it is about no longer exists.
    func compose(_ message: OutboxMessage) async throws -> (subject: String, body: String)? {
        let language = message.language.flatMap(Language.init(rawValue:)) ?? services.configuration.siteLanguage
        let site = services.pages.siteName(in: language)
        func text(_ key: String, _ values: [String: String]) -> String {
            services.pages.strings.text(key, in: language, values.merging(["site": site]) { $1 })
        }
        switch message.kind {
        case .orderEmail:
            guard let orderId = message.orderId, let order = try await services.database.order(id: orderId),
                let goods = try await services.goods(of: order)
            else { return nil }
            let delivery = try await services.delivery(of: order, in: language) ?? ""
            let values = [
                "goods": goods.name, "amount": order.amount.description, "order": order.id,
                "delivery": delivery, "link": link(to: order),
            ]
            return (text("email.orderSubject", values), text("email.orderBody", values))
        case .lookupEmail:
            let orders = try await services.database.paidOrders(email: message.recipient)
            var lines: [String] = []
            for order in orders {
                let name = try await services.goods(of: order)?.name ?? order.id
                lines.append(
                    text(
                        "email.lookupLine",
                        [
                            "goods": name, "amount": order.amount.description, "date": paidDate(order),
                            "link": link(to: order),
                        ]))
            }
            guard !lines.isEmpty else { return nil }
            let values = ["orders": lines.joined(separator: "\n\n")]
            return (text("email.lookupSubject", values), text("email.lookupBody", values))
        case .merchantNotify:
            // Not an email: its signed URL was fixed when the order was paid.
            return nil
        }
    }

    /// The order's page at the store's public address.
    private func link(to order: Order) -> String {
        "\(services.configuration.publicURL)/pay/\(order.id)"
    }

    /// When the order was paid, `2026-12-01 19:07` in `site.timeZone`.
    private func paidDate(_ order: Order) -> String {
        guard let paidAt = order.paidAt else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = services.configuration.siteTimeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: paidAt)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }
}
