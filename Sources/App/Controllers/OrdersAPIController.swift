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
        let channel: Int64
        let generic: Bool
        let status: Order.Status
        let type: PayType
        let price: Money
        let amount: Money
        let createdAt: Date
        let expiresAt: Date
        let paidAt: Date?
        let late: Bool
        let flagged: Bool

        init(_ order: Order, now: Date) {
            id = order.id
            goods = order.goodsId
            channel = order.channelId
            generic = order.generic
            status = order.status(at: now)
            type = order.type
            price = order.price
            amount = order.amount
            createdAt = order.createdAt
            expiresAt = order.expiresAt
            paidAt = order.paidAt
            late = order.paidLate
            flagged = order.flagged
        }
    }

    struct PaymentResponse: Encodable {
        let id: Int64
        let channel: Int64?
        let type: PayType
        let amount: Money
        let rawAmount: String
        let source: Payment.Source
        let outcome: Payment.Outcome
        let orderId: String?
        let receivedAt: Date
        let flagged: Bool
    }

    struct PaidRequest: Decodable {
        var payment: Int64?
        /// Attach a payment of another type or amount all the same.
        var confirm: Bool?
    }

    struct StatusResponse: Encodable {
        let listener: ListenerStatus
        let channels: [ChannelStatus]
        let pendingOrders: Int
        let today: OrderStats
    }

    @Sendable func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        var status: Order.Status?
        if let text = request.uri.queryParameters["status"], !text.isEmpty {
            guard let parsed = Order.Status(rawValue: String(text)) else {
                throw LocalizedFailure(.unprocessableContent, "messages.badStatus")
            }
            status = parsed
        }
        return try JSONResponse.encode(
            try await services.database.orders(status: status, now: services.clock.now()).map {
                OrderResponse($0, now: services.clock.now())
            })
    }

    @Sendable func markPaid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body =
            request.headers[.contentType] == nil
            ? PaidRequest() : try await request.decode(as: PaidRequest.self, context: context)
        let order = try await services.changeOrder(id, context: context) {
            try await $0.markOrderPaid(
                id: id, paymentId: body.payment, acceptMismatch: body.confirm == true, clock: services.clock,
                holding: services.configuration.slotHolding)
        }
        return try JSONResponse.encode(OrderResponse(order, now: services.clock.now()))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try JSONResponse.encode(
            OrderResponse(
                try await services.changeOrder(id, context: context) {
                    try await $0.closeOrder(
                        id: id, clock: services.clock, holding: services.configuration.slotHolding)
                }, now: services.clock.now()))
    }

    @Sendable func payments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let unmatchedOnly = request.uri.queryParameters["matched"] == "false"
        let payments = try await services.database.payments(unmatchedOnly: unmatchedOnly).map { payment in
            PaymentResponse(
                id: payment.id ?? 0, channel: payment.channelId, type: payment.type, amount: payment.amount,
                rawAmount: payment.rawAmount,
                source: payment.source, outcome: payment.outcome, orderId: payment.orderId,
                receivedAt: payment.receivedAt, flagged: payment.flagged)
        }
        return try JSONResponse.encode(payments)
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(
            StatusResponse(
                listener: try await ListenerStatus(services: services),
                channels: try await ChannelStatus.all(services),
                pendingOrders: try await services.database.pendingOrderCount(now: services.clock.now()),
                today: try await services.database.orderStats(since: services.startOfToday)))
    }
}
