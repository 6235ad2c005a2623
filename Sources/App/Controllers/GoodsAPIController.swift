import Foundation
import Hummingbird
import StoreCore

/// `/admin/api/goods`: the catalog as JSON for scripts and shop software.
struct GoodsAPIController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/", use: create)
        group.get("/", use: list)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    struct CreateRequest: Decodable {
        var name: String
        var price: Money
        var description: String?
        var delivery: String?
        var enabled: Bool?
    }

    /// Only the fields given change.
    struct UpdateRequest: Decodable {
        var name: String?
        var price: Money?
        var description: String?
        var delivery: String?
        var enabled: Bool?
    }

    struct GoodsResponse: Encodable {
        let id: String
        let name: String
        let price: Money
        let description: String
        let delivery: String
        let enabled: Bool
        let url: String
        let createdAt: Date
        let updatedAt: Date
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let draft = GoodsDraft(
            name: body.name, description: body.description ?? "", price: body.price, delivery: body.delivery ?? "",
            enabled: body.enabled ?? true)
        return try JSONResponse.encode(response(try await services.database.createGoods(draft)), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(try await services.database.goodsList().map(response))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(response(try await services.goods(context)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let draft = GoodsDraft(
            name: body.name ?? goods.name, description: body.description ?? goods.description,
            price: body.price ?? goods.price, delivery: body.delivery ?? goods.delivery,
            enabled: body.enabled ?? goods.enabled)
        guard let updated = try await services.database.updateGoods(id: goods.id, with: draft) else {
            throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        }
        return try JSONResponse.encode(response(updated))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        switch try await services.database.deleteGoods(id: try context.parameters.require("id")) {
        case .deleted: return Response(status: .noContent)
        case .notFound: throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        case .hasOrders:
            throw LocalizedFailure(.conflict, "messages.goodsHaveOrders")
        }
    }

    private func response(_ goods: Goods) -> GoodsResponse {
        let path = "/goods/\(goods.id)"
        let base = services.configuration.baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        return GoodsResponse(
            id: goods.id, name: goods.name, price: goods.price, description: goods.description,
            delivery: goods.delivery, enabled: goods.enabled, url: base + path, createdAt: goods.createdAt,
            updatedAt: goods.updatedAt)
    }
}
