import Foundation
import Hummingbird
import StoreCore

/// `/admin/api/codes` and `/admin/api/coverage`: the inventory as JSON.
struct CodesAPIController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("codes", use: upload)
        group.get("codes", use: list)
        group.delete("codes/:id", use: delete)
        group.get("coverage", use: coverage)
    }

    struct CodeResponse: Encodable {
        let id: Int64
        let channel: Int64
        let type: PayType
        /// Nil for a generic code.
        let amount: Money?
        let generic: Bool
        let payload: String
        let enabled: Bool
        let file: String
        let createdAt: Date
    }

    struct CoverageResponse: Encodable {
        let price: Money
        let amounts: [CoverageRow]
    }

    /// Multipart: `file` parts (PNG, JPEG or ZIP) and optional `type` and `amount`.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(try await services.importUpload(request, context: context))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var type: PayType?, amount: Money?
        if let text = query["type"], !text.isEmpty {
            guard let parsed = PayType(rawValue: String(text)) else {
                throw LocalizedFailure(.unprocessableContent, "messages.badType")
            }
            type = parsed
        }
        if let text = query["amount"], !text.isEmpty {
            guard let parsed = Money(parsing: text) else {
                throw LocalizedFailure(.unprocessableContent, "messages.badAmount")
            }
            amount = parsed
        }
        let channel = query["channel"].flatMap { Int64(String($0)) }
        let codes = try await services.database.payCodes(channelId: channel, type: type, amount: amount).map { code in
            CodeResponse(
                id: code.id!, channel: code.channelId, type: code.type, amount: code.amount, generic: code.isGeneric,
                payload: code.payload, enabled: code.enabled, file: code.originalName, createdAt: code.createdAt)
        }
        return try JSONResponse.encode(codes)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.delete(try await services.payCode(context))
        return Response(status: .noContent)
    }

    @Sendable func coverage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let text = request.uri.queryParameters["price"], let price = Money(parsing: text), price.fen > 0 else {
            throw LocalizedFailure(.unprocessableContent, "messages.badPrice")
        }
        let rows = try await services.database.coverage(
            price: price, maxDiscount: services.orderRules.current.discountMax,
            channelId: request.uri.queryParameters["channel"].flatMap { Int64(String($0)) })
        return try JSONResponse.encode(CoverageResponse(price: price, amounts: rows))
    }
}
