import Foundation
import Hummingbird
import StoreCore

/// `/admin/api/orders`, `/admin/api/payments`, `/admin/api/status`: the money as JSON.
struct OrdersAPIController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("orders", use: orders)
        group.post("orders/:id/paid", use: markPaid)
        group.post("orders/:id/close", use: close)
        group.get("payments", use: payments)
        group.get("status", use: status)
    }

    struct OrderResponse: Encodable {
        let id: String
        let goods: String?
        let status: Order.Status
        let type: PayType
        let price: Money
        let amount: Money
        let createdAt: Date
        let expiresAt: Date
        let paidAt: Date?
        let late: Bool

        init(_ order: Order) {
            id = order.id
            goods = order.goodsId
            status = order.status
            type = order.type
            price = order.price
            amount = order.amount
            createdAt = order.createdAt
            expiresAt = order.expiresAt
            paidAt = order.paidAt
            late = order.paidLate
        }
    }

    struct PaymentResponse: Encodable {
        let id: Int64
        let type: PayType
        let amount: Money
        let rawAmount: String
        let source: Payment.Source
        let outcome: Payment.Outcome
        let order: String?
        let receivedAt: Date
    }

    struct PaidRequest: Decodable {
        var payment: Int64?
    }

    struct StatusResponse: Encodable {
        let listener: ListenerStatus
        let pendingOrders: Int
        let today: OrderStats
    }

    @Sendable func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        var status: Order.Status?
        if let text = request.uri.queryParameters["status"], !text.isEmpty {
            guard let parsed = Order.Status(rawValue: String(text)) else {
                throw HTTPError(.unprocessableContent, message: "status must be pending, paid, expired or closed.")
            }
            status = parsed
        }
        return try JSONResponse.encode(try services.database.orders(status: status).map(OrderResponse.init))
    }

    @Sendable func markPaid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body =
            request.headers[.contentType] == nil
            ? PaidRequest() : try await request.decode(as: PaidRequest.self, context: context)
        let order = try services.changeOrder(id, context: context) {
            try $0.markOrderPaid(id: id, paymentId: body.payment)
        }
        return try JSONResponse.encode(OrderResponse(order))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try JSONResponse.encode(
            OrderResponse(try services.changeOrder(id, context: context) { try $0.closeOrder(id: id) }))
    }

    @Sendable func payments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unmatchedOnly = request.uri.queryParameters["matched"] == "false"
        let payments = try services.database.payments(unmatchedOnly: unmatchedOnly).map { payment in
            PaymentResponse(
                id: payment.id ?? 0, type: payment.type, amount: payment.amount, rawAmount: payment.rawAmount,
                source: payment.source, outcome: payment.outcome, order: payment.orderId, receivedAt: payment.receivedAt
            )
        }
        return try JSONResponse.encode(payments)
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(
            StatusResponse(
                listener: try ListenerStatus(services: services),
                pendingOrders: try services.database.pendingOrderCount(),
                today: try services.database.orderStats(since: Calendar.startOfToday)))
    }
}
