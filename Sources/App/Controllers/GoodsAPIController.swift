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
        let pictures = GoodsPictureRoutes(services: services)
        group.put(":id/picture", use: pictures.put)
        group.delete(":id/picture", use: pictures.delete)
        group.post(":id/keys", use: addKeys)
        group.get(":id/keys", use: keys)
    }

    struct CreateRequest: Decodable {
        var name: String
        var price: Money
        var description: String?
        var delivery: String?
        var enabled: Bool?
        var deliveryMode: DeliveryMode?
        var emailRequired: Bool?
    }

    /// Only the fields given change.
    struct UpdateRequest: Decodable {
        var name: String?
        var price: Money?
        var description: String?
        var delivery: String?
        var enabled: Bool?
        var deliveryMode: DeliveryMode?
        var emailRequired: Bool?
    }

    /// `{"keys": [...]}`; a text body of one key per line works too.
    struct KeysRequest: Decodable {
        var keys: [String]
    }

    struct KeyResponse: Encodable {
        let id: Int64
        let secret: String
        let orderId: String?
        let soldAt: Date?
    }

    struct GoodsResponse: Encodable {
        let id: String
        let name: String
        let price: Money
        let description: String
        let delivery: String
        let enabled: Bool
        let url: String
        let deliveryMode: DeliveryMode
        let emailRequired: Bool
        /// The picture's address, when it has one.
        let picture: String?
        /// Keys a buyer can get now, for card-key goods.
        let stock: Int?
        let createdAt: Date
        let updatedAt: Date
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let draft = GoodsDraft(
            name: body.name, description: body.description ?? "", price: body.price, delivery: body.delivery ?? "",
            enabled: body.enabled ?? true, deliveryMode: body.deliveryMode ?? .text,
            emailRequired: body.emailRequired ?? false)
        return try JSONResponse.encode(
            try await response(try await services.database.createGoods(draft, now: services.clock.now())),
            status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var list: [GoodsResponse] = []
        for goods in try await services.database.goodsList() { list.append(try await response(goods)) }
        return try JSONResponse.encode(list)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(try await response(try await services.goods(context)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let draft = GoodsDraft(
            name: body.name ?? goods.name, description: body.description ?? goods.description,
            price: body.price ?? goods.price, delivery: body.delivery ?? goods.delivery,
            enabled: body.enabled ?? goods.enabled, deliveryMode: body.deliveryMode ?? goods.deliveryMode,
            emailRequired: body.emailRequired ?? goods.emailRequired)
        guard
            let updated = try await services.database.updateGoods(id: goods.id, with: draft, now: services.clock.now())
        else {
            throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        }
        return try JSONResponse.encode(try await response(updated))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        switch try await services.database.deleteGoods(id: try context.parameters.require("id")) {
        case .deleted: return Response(status: .noContent)
        case .notFound: throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        case .hasOrders:
            throw LocalizedFailure(.conflict, "messages.goodsHaveOrders")
        }
    }

    /// Adds keys to card-key goods' stock: duplicates (in the stock or the batch) are skipped.
    @Sendable func addKeys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let lines: [String]
        if request.headers[.contentType]?.hasPrefix("application/json") == true {
            lines = try await request.decode(as: KeysRequest.self, context: context).keys
        } else {
            let body = try await request.body.collect(upTo: FormOrJSONDecoder.maxBytes)
            lines = String(buffer: body).split(whereSeparator: \.isNewline).map(String.init)
        }
        guard
            let addition = try await services.database.addCardKeys(
                goodsId: goods.id, lines: lines, now: services.clock.now())
        else { throw LocalizedFailure(.notFound, "messages.noSuchGoods") }
        return try JSONResponse.encode(addition)
    }

    /// `?state=available` (the default) or `?state=sold`.
    @Sendable func keys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let state = request.uri.queryParameters["state"].map(String.init) ?? "available"
        guard state == "available" || state == "sold" else {
            throw LocalizedFailure(.unprocessableContent, "messages.badKeyState")
        }
        let keys = try await services.database.cardKeys(
            goodsId: goods.id, sold: state == "sold", now: services.clock.now())
        return try JSONResponse.encode(
            keys.map {
                KeyResponse(
                    id: $0.id ?? 0, secret: $0.secret, orderId: $0.soldTo, soldAt: $0.soldAt)
            })
    }

    private func response(_ goods: Goods) async throws -> GoodsResponse {
        let path = "/goods/\(goods.id)"
        let base = services.configuration.baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        let stock =
            goods.deliveryMode == .cardKeys
            ? try await services.database.cardKeyStock(goodsId: goods.id, now: services.clock.now()).available : nil
        return GoodsResponse(
            id: goods.id, name: goods.name, price: goods.price, description: goods.description,
            delivery: goods.delivery, enabled: goods.enabled, url: base + path, deliveryMode: goods.deliveryMode,
            emailRequired: goods.emailRequired, picture: goods.picturePath.map { base + $0 }, stock: stock,
            createdAt: goods.createdAt, updatedAt: goods.updatedAt)
    }
}
