import Foundation
import Hummingbird
import StoreCore

/// The seller's orders: the list, an order's detail, marking paid by hand (补单), closing, and
/// attaching an unmatched payment.
struct AdminOrdersController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("orders", use: list)
        group.get("orders/:id", use: show)
        group.post("orders/:id/paid", use: markPaid)
        group.post("orders/:id/close", use: close)
        group.post("orders/:id/emails/:email/resend", use: resendEmail)
    }

    struct ListView {
        let orders: [OrderRow]
        let empty: Bool
        let filters: [Filter]
    }

    struct Filter {
        let label: String
        let query: String
        let current: Bool
    }

    struct DetailView {
        let order: OrderRow
        let payments: [PaymentRow]
        let unmatched: [PaymentRow]
        let hasUnmatched: Bool
        let emails: [OutboxRow]
        let hasEmails: Bool
        /// A merchant's order: what the shop sent, and its notifications.
        let merchant: MerchantFacts?
        let notifications: [OutboxRow]
        let hasNotifications: Bool
    }

    /// What a shop sent for its order, as sent.
    struct MerchantFacts {
        let pid: Int64
        let name: String
        let gateway: String
        let outTradeNo: String
        let tradeNo: String
        let price: String
        let param: String
        let subject: String
        let notifyUrl: String?
        let returnUrl: String?
    }

    struct PaidForm: Decodable {
        var payment: String?
        /// "yes" once the seller confirmed attaching a payment of another type or amount.
        var confirm: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let status = request.uri.queryParameters["status"].flatMap { Order.Status(rawValue: String($0)) }
        let orders = try await OrderRow.rows(
            try await services.database.orders(status: status, now: services.clock.now()), services: services)
        let filters = [nil, Order.Status.pending, .paid, .expired, .closed].map { option in
            Filter(
                label: option?.rawValue ?? "all", query: option.map { "?status=\($0.rawValue)" } ?? "",
                current: option == status)
        }
        return try services.pages.render(
            "admin/orders-list", ListView(orders: orders, empty: orders.isEmpty, filters: filters),
            chrome: Chrome(title: services.text("admin.navOrders", context), context: context, seller: true))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let order = try await services.order(try context.parameters.require("id"))
        let row = try await OrderRow.rows([order], services: services)[0]
        let all = try await services.database.payments()
        let messages = try await services.database.outboxMessages(orderId: order.id)
        let emails = messages.filter { $0.0.kind != .merchantNotify }.map { OutboxRow($0, $1, context, services) }
        let notifications = messages.filter { $0.0.kind == .merchantNotify }.map {
            OutboxRow($0, $1, context, services)
        }
        var merchant: MerchantFacts?
        if let sent = try await services.database.merchantOrder(orderId: order.id) {
            merchant = MerchantFacts(
                pid: sent.pid, name: try await services.database.merchant(pid: sent.pid)?.name ?? "",
                gateway: sent.gateway == .vmq ? "V免签" : "易支付", outTradeNo: sent.outTradeNo, tradeNo: sent.tradeNo,
                price: sent.rawPrice, param: sent.param, subject: sent.name, notifyUrl: sent.notifyUrl,
                returnUrl: sent.returnUrl)
        }
        let view = DetailView(
            order: row, payments: all.filter { $0.orderId == order.id }.map(PaymentRow.init),
            unmatched: all.filter(\.isUnmatched).map(PaymentRow.init), hasUnmatched: all.contains(where: \.isUnmatched),
            emails: emails, hasEmails: !emails.isEmpty, merchant: merchant, notifications: notifications,
            hasNotifications: !notifications.isEmpty)
        let notice =
            request.uri.queryParameters["emailResent"] != nil
            ? services.text("messages.emailResent", context)
            : request.uri.queryParameters["done"].map {
                services.text("messages.orderNow", context, ["status": String($0)])
            }
        return try services.pages.render(
            "admin/order", view,
            chrome: Chrome(
                title: services.text("admin.order", context) + " " + order.id, context: context, seller: true,
                notice: notice))
    }

    /// Sends a sent or failed email or notification again (the same content), from the start of
    /// the retry schedule.
    @Sendable func resendEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let order = try await services.order(try context.parameters.require("id"))
        guard let id = Int64(try context.parameters.require("email")),
            try await services.database.resendOutboxMessage(id: id, orderId: order.id, now: services.clock.now())
        else { throw LocalizedFailure(.conflict, "messages.emailNotResendable") }
        services.outboxBell.ring()
        return .redirect(to: "/admin/orders/\(order.id)?emailResent=1", type: .normal)
    }

    @Sendable func markPaid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let form = try await request.decode(as: PaidForm.self, context: context)
        let paymentId = form.payment.flatMap { $0.isEmpty ? nil : Int64($0) }
        let order = try await services.changeOrder(id, context: context) {
            try await $0.markOrderPaid(
                id: id, paymentId: paymentId, acceptMismatch: form.confirm == "yes", clock: services.clock,
                holding: services.configuration.slotHolding)
        }
        return .redirect(to: "/admin/orders/\(order.id)?done=paid", type: .normal)
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let order = try await services.changeOrder(id, context: context) {
            try await $0.closeOrder(id: id, clock: services.clock, holding: services.configuration.slotHolding)
        }
        return .redirect(to: "/admin/orders/\(order.id)?done=closed", type: .normal)
    }
}

extension AppServices {
    /// Applies a seller's change to an order, logs it, and wakes the buyer's page.
    func changeOrder(
        _ id: String, context: AppRequestContext, _ change: (AppDatabase) async throws -> Order
    ) async throws -> Order {
        do {
            let order = try await change(database)
            context.logger.notice("seller set order \(id) to \(order.status.rawValue) by hand")
            Task { [watch] in await watch.notify([id]) }
            // A merchant order paid by hand has its notification queued.
            if order.status == .paid { outboxBell.ring() }
            return order
        } catch let error as OrderChangeError {
            throw error.failure
        }
    }
}

extension OrderChangeError {
    /// The answer the seller gets, in the seller's language.
    var failure: LocalizedFailure {
        switch self {
        case .notFound: LocalizedFailure(.notFound, "errors.noSuchOrder")
        case .alreadySettled(let status):
            LocalizedFailure(.conflict, "messages.alreadySettled", ["status": status.rawValue])
        case .paymentNotAvailable: LocalizedFailure(.conflict, "messages.paymentNotAvailable")
        case .paymentDiffers(let payment, let order):
            LocalizedFailure(.conflict, "messages.paymentDiffers", ["payment": payment, "order": order])
        case .noKeyLeft: LocalizedFailure(.conflict, "messages.noKeyLeft")
        }
    }
}
