import Foundation
import Hummingbird
import StoreCore

/// `/admin/api/merchants` and `/admin/api/notifications` (SPEC 6.6): merchants, and the outbox's
/// messages with their last attempt.
struct MerchantsAPIController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("merchants", use: list)
        group.post("merchants", use: create)
        group.patch("merchants/:pid", use: update)
        group.post("merchants/:pid/key", use: key)
        group.get("notifications", use: notifications)
        group.post("notifications/:id/retry", use: retry)
    }

    /// A merchant; its key is the seller's to read (the shop software needs it).
    struct MerchantResponse: Encodable {
        let pid: Int64
        let name: String
        let key: String
        let enabled: Bool
        let notifyUrl: String?
        let returnUrl: String?
        let notifyHosts: [String]

        init(_ merchant: Merchant) {
            pid = merchant.pid
            name = merchant.name
            key = merchant.key
            enabled = merchant.enabled
            notifyUrl = merchant.notifyUrl
            returnUrl = merchant.returnUrl
            notifyHosts = merchant.notifyHosts
        }
    }

    struct CreateRequest: Decodable {
        var name: String
        var key: String?
        var notifyUrl: String?
        var returnUrl: String?
        var notifyHosts: [String]?
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var enabled: Bool?
        var notifyUrl: String?
        var returnUrl: String?
        var notifyHosts: [String]?
    }

    /// An outbox message as the API lists it.
    struct NotificationResponse: Encodable {
        let id: Int64
        let orderId: String?
        let kind: OutboxMessage.Kind
        let url: String?
        let attempts: Int
        /// `pending`, `delivered` or `failed`.
        let state: String
        let nextAttemptAt: Date?
        let lastStatus: Int?
        let lastResponse: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(try await services.database.merchants().map(MerchantResponse.init))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let merchant = try await refusing {
            try await services.database.createMerchant(
                name: body.name, key: body.key, notifyUrl: body.notifyUrl, returnUrl: body.returnUrl,
                notifyHosts: body.notifyHosts ?? [], now: services.clock.now())
        }
        return try JSONResponse.encode(MerchantResponse(merchant), status: .created)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pid = try await services.merchant(context).pid
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let merchant = try await refusing {
            try await services.database.updateMerchant(
                pid: pid,
                .init(
                    name: body.name, enabled: body.enabled, notifyUrl: body.notifyUrl, returnUrl: body.returnUrl,
                    notifyHosts: body.notifyHosts))
        }
        return try JSONResponse.encode(MerchantResponse(merchant))
    }

    @Sendable func key(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pid = try await services.merchant(context).pid
        return try JSONResponse.encode([
            "key": try await refusing { try await services.database.replaceMerchantKey(pid: pid) }
        ])
    }

    @Sendable func notifications(_ request: Request, context: AppRequestContext) async throws -> Response {
        var state: OutboxMessage.State?
        if let text = request.uri.queryParameters["state"].map(String.init), !text.isEmpty {
            guard let parsed = text == "delivered" ? .sent : OutboxMessage.State(rawValue: text), text != "sent" else {
                throw HTTPError(.unprocessableContent, message: "state is pending, delivered or failed")
            }
            state = parsed
        }
        let messages = try await services.database.outboxOverview(state: state)
        return try JSONResponse.encode(
            messages.map { message, last in
                NotificationResponse(
                    id: message.id ?? 0, orderId: message.orderId, kind: message.kind,
                    url: message.kind == .merchantNotify ? message.recipient : nil, attempts: message.attempts,
                    state: message.state == .sent ? "delivered" : message.state.rawValue,
                    nextAttemptAt: message.state == .pending ? message.nextAttemptAt : nil, lastStatus: last?.status,
                    lastResponse: last?.detail)
            })
    }

    /// Sends a message again now: a pending one without waiting for its turn, a delivered or
    /// failed one from the start of the schedule (with the same content).
    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = Int64(try context.parameters.require("id")),
            try await services.database.retryOutboxMessage(id: id, now: services.clock.now())
        else { throw HTTPError(.notFound, message: "There is no such notification.") }
        services.outboxBell.ring()
        return Response(status: .accepted)
    }

    /// `body`, with a merchant refusal as the seller's 4xx.
    private func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as MerchantError {
            throw error.failure
        }
    }
}
