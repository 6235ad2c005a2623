import Hummingbird
import Mustache
import StoreCore

/// The buyer's pages: the store front and each product page.
struct StorefrontController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: index)
        group.get("/goods/:id", use: show)
    }

    /// The store front: every enabled goods.
    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        var goods: [GoodsCard] = []
        for item in try await services.database.goodsList(enabledOnly: true) {
            goods.append(GoodsCard(item, stock: try await services.stock(of: item)))
        }
        return try services.pages.render(
            "storefront", StorefrontView(goods: goods, empty: goods.isEmpty),
            chrome: Chrome(
                title: services.pages.strings.text("storefront.title", in: context.language), context: context))
    }

    /// One product page; disabled goods are not for sale and not shown.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let goods = try await services.database.goods(id: id), goods.enabled else {
            throw LocalizedFailure(.notFound, "errors.goodsNotForSale")
        }
        return try services.pages.render(
            "goods", GoodsCard(goods, stock: try await services.stock(of: goods), asksEmail: services.mailer != nil),
            chrome: Chrome(title: goods.name, context: context))
    }
}

/// Goods as buyers and sellers see them in lists and on their page.
struct GoodsCard {
    let id: String
    let name: String
    let price: String
    let description: String
    let path: String
    /// The picture's address, when it has one.
    let picture: String?
    let enabled: Bool
    /// Keys a buyer can get now, for card-key goods.
    let stock: Int?
    /// No key left at all, not even one reserved by a waiting buyer that may come back.
    let soldOut: Bool
    /// The purchase form asks for an email: the store sends email.
    let asksEmail: Bool
    /// The email must be given.
    let emailRequired: Bool

    init(_ goods: Goods, stock: CardKeyStock? = nil, asksEmail: Bool = false) {
        id = goods.id
        name = goods.name
        price = goods.price.description
        description = goods.description
        path = "/goods/\(goods.id)"
        picture = goods.picturePath
        enabled = goods.enabled
        self.stock = stock?.available
        soldOut = stock.map { $0.available == 0 && $0.reserved == 0 } ?? false
        self.asksEmail = asksEmail
        emailRequired = asksEmail && goods.emailRequired
    }
}

extension GoodsCard: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "name": self.name
        case "price": self.price
        case "description": self.description
        case "path": self.path
        case "picture": self.picture
        case "enabled": self.enabled
        case "stock": self.stock
        case "soldOut": self.soldOut
        case "asksEmail": self.asksEmail
        case "emailRequired": self.emailRequired
        default: nil
        }
    }
}

extension AppServices {
    /// The stock of card-key goods; nil for goods that deliver text.
    func stock(of goods: Goods) async throws -> CardKeyStock? {
        guard goods.deliveryMode == .cardKeys else { return nil }
        return try await database.cardKeyStock(goodsId: goods.id, now: clock.now())
    }
}

struct StorefrontView {
    let goods: [GoodsCard]
    let empty: Bool
}
