import Foundation
import Hummingbird
import StoreCore

/// The seller's goods pages under `/admin/goods`: list, create, edit, enable and disable.
struct AdminGoodsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: list)
        group.get("new", use: new)
        group.post("/", use: create)
        group.get(":id/edit", use: edit)
        group.post(":id", use: update)
        group.post(":id/enable") { request, context in try await setEnabled(true, request, context) }
        group.post(":id/disable") { request, context in try await setEnabled(false, request, context) }
        let pictures = GoodsPictureRoutes(services: services)
        group.post(":id/picture", use: pictures.upload)
        group.post(":id/picture/delete", use: pictures.remove)
        group.get(":id/keys", use: keys)
        group.post(":id/keys", use: addKeys)
        group.post(":id/keys/:key/delete", use: deleteKey)
    }

    /// The goods form's fields.
    struct GoodsForm: Decodable {
        var name: String
        var price: String
        var description: String?
        var delivery: String?
        var enabled: String?
        var deliveryMode: String?
        var emailRequired: String?

        /// The draft, or the problem to show the seller.
        func draft() -> Result<GoodsDraft, InvalidGoods> {
            guard let price = Money(parsing: price.trimmingCharacters(in: .whitespaces)) else {
                return .failure(.badPrice)
            }
            let draft = GoodsDraft(
                name: name, description: description ?? "", price: price, delivery: delivery ?? "",
                enabled: enabled != nil, deliveryMode: deliveryMode.flatMap(DeliveryMode.init(rawValue:)) ?? .text,
                emailRequired: emailRequired != nil)
            if let problem = draft.problem { return .failure(problem) }
            return .success(draft)
        }
    }

    struct ListView {
        let goods: [GoodsCard]
        let empty: Bool
    }

    struct FormView {
        let id: String?
        let action: String
        let name: String
        let price: String
        let description: String
        let delivery: String
        let enabled: Bool
        let path: String?
        let error: String?
        let cardKeys: Bool
        let emailRequired: Bool
        /// The store sends email, so asking for one means something.
        let mailOn: Bool
        let picture: String?
    }

    struct KeysForm: Decodable {
        var keys: String
    }

    struct KeysView {
        let goods: GoodsCard
        let available: [KeyRow]
        let sold: [KeyRow]
        let added: String?
    }

    struct KeyRow {
        let id: Int64
        let secret: String
        let orderId: String?
        let soldAt: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var goods: [GoodsCard] = []
        for item in try await services.database.goodsList() {
            goods.append(GoodsCard(item, stock: try await services.stock(of: item)))
        }
        return try services.pages.render(
            "admin/goods-list", ListView(goods: goods, empty: goods.isEmpty),
            chrome: Chrome(title: services.text("admin.navGoods", context), context: context, seller: true))
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        let view = FormView(
            id: nil, action: "/admin/goods", name: "", price: "", description: "", delivery: "", enabled: true,
            path: nil, error: nil, cardKeys: false, emailRequired: false, mailOn: services.mailer != nil,
            picture: nil)
        return try form(view, title: services.text("admin.newGoods", context), context: context)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.decode(as: GoodsForm.self, context: context)
        switch fields.draft() {
        case .failure(let problem):
            return try invalid(fields, id: nil, problem: problem, context: context)
        case .success(let draft):
            let goods = try await services.database.createGoods(draft, now: services.clock.now())
            return .redirect(to: "/admin/goods/\(goods.id)/edit?saved=1", type: .normal)
        }
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let view = FormView(
            id: goods.id, action: "/admin/goods/\(goods.id)", name: goods.name, price: goods.price.description,
            description: goods.description, delivery: goods.delivery, enabled: goods.enabled,
            path: "/goods/\(goods.id)", error: nil, cardKeys: goods.deliveryMode == .cardKeys,
            emailRequired: goods.emailRequired, mailOn: services.mailer != nil, picture: goods.picturePath)
        let saved = request.uri.queryParameters["saved"] != nil
        return try form(
            view, title: services.text("messages.editGoods", context, ["name": goods.name]),
            notice: saved ? services.text("messages.saved", context) : nil, context: context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let fields = try await request.decode(as: GoodsForm.self, context: context)
        switch fields.draft() {
        case .failure(let problem):
            return try invalid(fields, id: goods.id, problem: problem, context: context)
        case .success(let draft):
            do {
                _ = try await services.database.updateGoods(id: goods.id, with: draft, now: services.clock.now())
            } catch let problem as InvalidGoods {
                return try invalid(fields, id: goods.id, problem: problem, context: context)
            }
            return .redirect(to: "/admin/goods/\(goods.id)/edit?saved=1", type: .normal)
        }
    }

    private func setEnabled(_ enabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response
    {
        let goods = try await services.goods(context)
        _ = try await services.database.setGoodsEnabled(id: goods.id, enabled)
        return .redirect(to: "/admin/goods", type: .normal)
    }

    private func invalid(
        _ fields: GoodsForm, id: String?, problem: InvalidGoods, context: AppRequestContext
    ) throws
        -> Response
    {
        let view = FormView(
            id: id, action: id.map { "/admin/goods/\($0)" } ?? "/admin/goods", name: fields.name, price: fields.price,
            description: fields.description ?? "", delivery: fields.delivery ?? "", enabled: fields.enabled != nil,
            path: id.map { "/goods/\($0)" }, error: services.text("goodsProblems.\(problem.rawValue)", context),
            cardKeys: fields.deliveryMode == "cardKeys", emailRequired: fields.emailRequired != nil,
            mailOn: services.mailer != nil, picture: nil)
        let title =
            id == nil
            ? services.text("admin.newGoods", context)
            : services.text("messages.editGoods", context, ["name": fields.name])
        var response = try form(view, title: title, context: context)
        response.status = .unprocessableContent
        return response
    }

    /// The card keys of the goods: a box to add many at once, the available and the sold ones.
    @Sendable func keys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let now = services.clock.now(), format = Date.FormatStyle(date: .abbreviated, time: .standard)
        func rows(_ keys: [CardKey]) -> [KeyRow] {
            keys.map {
                KeyRow(
                    id: $0.id ?? 0, secret: $0.secret, orderId: $0.soldTo,
                    soldAt: $0.soldAt?.formatted(format))
            }
        }
        let view = KeysView(
            goods: GoodsCard(goods, stock: try await services.stock(of: goods)),
            available: rows(try await services.database.cardKeys(goodsId: goods.id, sold: false, now: now)),
            sold: rows(try await services.database.cardKeys(goodsId: goods.id, sold: true, now: now)),
            added: request.uri.queryParameters["added"].map { added in
                let query = request.uri.queryParameters
                let skipped = query["skipped"].map(String.init) ?? "0",
                    tooLong = query["tooLong"].map(String.init) ?? "0"
                var text = services.text("admin.keysAdded", context, ["added": String(added)])
                if skipped != "0" { text += " " + services.text("admin.keysSkipped", context, ["count": skipped]) }
                if tooLong != "0" { text += " " + services.text("admin.keysTooLong", context, ["count": tooLong]) }
                return text
            })
        return try services.pages.render(
            "admin/keys", view,
            chrome: Chrome(
                title: services.text("admin.cardKeys", context) + " · " + goods.name, context: context, seller: true))
    }

    @Sendable func addKeys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let form = try await request.decode(as: KeysForm.self, context: context)
        let lines = form.keys.split(whereSeparator: \.isNewline).map(String.init)
        let addition = try await services.database.addCardKeys(
            goodsId: goods.id, lines: lines, now: services.clock.now())
        let added = addition?.added ?? 0, skipped = addition?.duplicates ?? 0, tooLong = addition?.tooLong ?? 0
        return .redirect(
            to: "/admin/goods/\(goods.id)/keys?added=\(added)&skipped=\(skipped)&tooLong=\(tooLong)", type: .normal)
    }

    @Sendable func deleteKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        guard let key = Int64(try context.parameters.require("key")),
            try await services.database.deleteCardKey(id: key, goodsId: goods.id, now: services.clock.now())
        else { throw LocalizedFailure(.conflict, "messages.keyNotDeletable") }
        return .redirect(to: "/admin/goods/\(goods.id)/keys", type: .normal)
    }

    private func form(
        _ view: FormView, title: String, notice: String? = nil, context: AppRequestContext
    ) throws
        -> Response
    {
        try services.pages.render(
            "admin/goods-form", view, chrome: Chrome(title: title, context: context, seller: true, notice: notice))
    }
}
