import Foundation
import Hummingbird
import StoreCore

/// `/admin/payments`: every push, unmatched first, and the forwarded notifications the store
/// could not read, which the seller turns into a payment (with the amount read by eye) or puts
/// aside.
struct AdminPaymentsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("payments", use: list)
        group.post("notifications/:id/payment", use: makePayment)
        group.post("notifications/:id/dismiss", use: dismiss)
    }

    struct PaymentsView {
        let payments: [PaymentRow]
        let empty: Bool
        let notifications: [NotificationRow]
        let hasNotifications: Bool
    }

    /// An unread notification as the seller reads it.
    struct NotificationRow {
        let id: Int64
        let channel: Int64
        let app: String
        let title: String
        let content: String
        let reason: String
        let received: String
        let open: Bool
        let paymentId: Int64?
        let isWechat: Bool
        let isAlipay: Bool
    }

    struct PaymentForm: Decodable {
        var type: String
        var amount: String
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let payments = try await services.database.payments().map(PaymentRow.init)
        let format = Date.FormatStyle(date: .abbreviated, time: .standard)
        let notifications = try await services.database.listenerNotifications().map { notification in
            let wallet = NotificationRule.walletApps[notification.app]
            return NotificationRow(
                id: notification.id ?? 0, channel: notification.channelId, app: notification.app,
                title: notification.title, content: notification.content,
                reason: services.text("admin.unreadReason.\(notification.reason.rawValue)", context),
                received: notification.receivedAt.formatted(format), open: notification.isOpen,
                paymentId: notification.paymentId, isWechat: wallet == .wechat, isAlipay: wallet == .alipay)
        }
        let notice: String? =
            switch request.uri.queryParameters["done"] {
            case "payment": services.text("admin.notificationPaid", context)
            case "dismissed": services.text("messages.saved", context)
            default: nil
            }
        return try services.pages.render(
            "admin/payments",
            PaymentsView(
                payments: payments, empty: payments.isEmpty, notifications: notifications,
                hasNotifications: !notifications.isEmpty),
            chrome: Chrome(
                title: services.text("admin.navPayments", context), context: context, seller: true, notice: notice))
    }

    /// The seller read the amount: it becomes an unmatched payment of the notification's channel,
    /// linked to the notification in the same transaction (so once only). It is not matched by
    /// the time now: the order holding that amount now may be another buyer's, so the seller
    /// attaches it on the order it belongs to.
    @Sendable func makePayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notification = try await self.notification(context)
        let form = try await request.decode(as: PaymentForm.self, context: context)
        guard let type = PayType(rawValue: form.type) else {
            throw LocalizedFailure(.unprocessableContent, "errors.chooseWallet")
        }
        let rawAmount = form.amount.trimmingCharacters(in: .whitespaces)
        guard let amount = Money(parsing: rawAmount), amount.fen > 0 else {
            throw LocalizedFailure(.unprocessableContent, "messages.badAmount")
        }
        do {
            let payment = try await services.database.recordSellerReadPayment(
                notificationId: notification.id!, type: type, amount: amount, rawAmount: rawAmount,
                now: services.clock.now())
            context.logger.notice("seller read notification \(notification.id ?? 0) as payment \(payment.id ?? 0)")
        } catch is ListenerNotificationError {
            throw LocalizedFailure(.conflict, "admin.notificationNotOpen")
        }
        return .redirect(to: "/admin/payments?done=payment", type: .normal)
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notification = try await self.notification(context)
        do {
            try await services.database.dismissListenerNotification(id: notification.id!, now: services.clock.now())
        } catch is ListenerNotificationError {
            throw LocalizedFailure(.conflict, "admin.notificationNotOpen")
        }
        return .redirect(to: "/admin/payments?done=dismissed", type: .normal)
    }

    private func notification(_ context: AppRequestContext) async throws -> ListenerNotification {
        guard let id = Int64(try context.parameters.require("id")),
            let notification = try await services.database.listenerNotification(id: id)
        else { throw LocalizedFailure(.notFound, "admin.notificationNotOpen") }
        return notification
    }
}
