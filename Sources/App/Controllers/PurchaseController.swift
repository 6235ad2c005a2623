import Foundation
import Hummingbird
import Mail
import StoreCore

/// Buying: the product page's form, the JSON API, and the order status that pay pages wait on.
struct PurchaseController {
    let services: AppServices

    /// `POST /goods/{id}/buy`, a form on a page (CSRF-checked).
    func addPageRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/goods/:id/buy", use: buyFromPage)
    }

    /// `POST /api/orders` (which gives the buyer a cookie when it brings none) and `GET /api/orders/{id}`.
    func addAPIRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/orders/:id", use: show)
        group.group().add(middleware: BuyerTokenMiddleware(secureCookie: services.configuration.servesHTTPS))
            .post("/orders", use: create)
    }

    struct BuyForm: Decodable {
        var type: String
        var email: String?
    }

    struct CreateRequest: Decodable {
        var goods: String
        var type: String
        var email: String?
    }

    struct CreatedOrder: Encodable {
        let id: String
        let goods: String?
        let status: Order.Status
        let type: PayType
        let price: Money
        let amount: Money
        let discount: Money
        let expiresAt: Date
        let qr: String
        let payUrl: String
        /// The channel whose code the buyer pays.
        let channel: Int64
        /// The buyer types the amount (a generic code).
        let generic: Bool
    }

    struct OrderStatus: Encodable {
        let id: String
        let status: Order.Status
        let type: PayType
        let price: Money
        let amount: Money
        let expiresAt: Date
        let paidAt: Date?
        let delivery: String?
        /// A merchant's order, once paid: the shop's return address with the signed parameters.
        let returnUrl: String?
    }

    @Sendable func buyFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: BuyForm.self, context: context)
        let order = try await purchase(
            goodsId: try context.parameters.require("id"), type: form.type, email: form.email, context: context)
        return .redirect(to: "/pay/\(order.id)", type: .normal)
    }

    /// JSON, which another site's page cannot send without asking; or a form, only with the
    /// product page's CSRF token. Anything else holds no amount.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        if request.headers[.contentType]?.hasPrefix("application/json") != true {
            try await CSRFMiddleware.verify(&request, maxFormBytes: FormOrJSONDecoder.maxBytes)
        }
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let order = try await purchase(goodsId: body.goods, type: body.type, email: body.email, context: context)
        let payload = try await services.payload(of: order) ?? ""
        return try JSONResponse.encode(
            CreatedOrder(
                id: order.id, goods: order.goodsId, status: order.status, type: order.type, price: order.price,
                amount: order.amount, discount: order.discount, expiresAt: order.expiresAt,
                qr: "/pay/\(order.id)/qr.png", payUrl: payload, channel: order.channelId, generic: order.generic),
            status: .created)
    }

    /// The order's state; with `?wait=N` (at most 30) the answer waits until it changes or N
    /// seconds pass, or the server shuts down.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let wait = min(30, max(0, Int(request.uri.queryParameters["wait"] ?? "0") ?? 0))
        var order = try await services.order(id)
        if order.status(at: services.clock.now()) == .pending, wait > 0 {
            let token = await services.watch.register(id)
            order = try await services.order(id)
            if order.status(at: services.clock.now()) == .pending {
                await services.watch.wait(id, token: token, timeout: .seconds(wait))
                order = try await services.order(id)
            } else {
                await services.watch.unregister(id, token: token)
            }
        }
        let delivery = order.status == .paid ? try await services.delivery(of: order, in: context.language) : nil
        return try JSONResponse.encode(
            OrderStatus(
                id: order.id, status: order.status(at: services.clock.now()), type: order.type, price: order.price,
                amount: order.amount, expiresAt: order.expiresAt, paidAt: order.paidAt, delivery: delivery,
                returnUrl: order.status == .paid ? try await services.merchantPayInfo(of: order)?.returnUrl : nil))
    }

    /// A new order, or the refusal as the HTTP answer the specification gives it.
    private func purchase(
        goodsId: String, type: String, email: String?, context: AppRequestContext
    ) async throws -> Order {
        guard let payType = PayType(rawValue: type) else {
            throw LocalizedFailure(.unprocessableContent, "errors.chooseWallet")
        }
        let request = PurchaseRequest(
            goodsId: goodsId, type: payType, buyerToken: context.buyerToken,
            buyerAddress: AddressKey.of(context.clientAddress),
            buyerEmail: try await buyerEmail(email, goodsId: goodsId), language: context.language.rawValue)
        do {
            let order = try await services.allocator.purchase(request)
            context.logger.info("order \(order.id): \(order.type.rawValue) \(order.amount) for goods \(goodsId)")
            return order
        } catch let refusal as PurchaseRefusal {
            throw refusal.failure
        }
    }

    /// The email to keep with the order: only when the store sends email, checked, and asked
    /// for when the goods require one. Without mail set up it is not kept (nothing would use it).
    private func buyerEmail(_ given: String?, goodsId: String) async throws -> String? {
        guard services.mailer != nil else { return nil }
        let email = given?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if email.isEmpty {
            if try await services.database.goods(id: goodsId)?.emailRequired == true {
                throw LocalizedFailure(.unprocessableContent, "errors.emailRequired")
            }
            return nil
        }
        guard MailMessage.isDeliverable(email) else { throw LocalizedFailure(.unprocessableContent, "errors.badEmail") }
        return email
    }
}

extension PurchaseRefusal {
    /// The answer a buyer or a script gets, in the buyer's language.
    var failure: LocalizedFailure {
        switch self {
        case .unknownGoods: LocalizedFailure(.notFound, "errors.goodsNotForSale")
        case .notStocked: LocalizedFailure(.conflict, "errors.notStocked")
        case .busy(let seconds):
            LocalizedFailure(
                .serviceUnavailable, "errors.busy", ["seconds": "\(seconds)"], headers: [.retryAfter: "\(seconds)"])
        case .tooManyPending(let count):
            LocalizedFailure(.tooManyRequests, "errors.tooManyPending", ["count": "\(count)"])
        case .addressHoldsTooMany(let seconds):
            LocalizedFailure(
                .tooManyRequests, "errors.addressHoldsTooMany", ["seconds": "\(seconds)"],
                headers: [.retryAfter: "\(seconds)"])
        case .tooFast(let seconds):
            LocalizedFailure(
                .tooManyRequests, "errors.tooFast", ["seconds": "\(seconds)"], headers: [.retryAfter: "\(seconds)"])
        case .soldOut: LocalizedFailure(.conflict, "errors.soldOut", code: "sold_out")
        case .noOnlineListener:
            LocalizedFailure(.serviceUnavailable, "errors.noOnlineListener", headers: [.retryAfter: "60"])
        }
    }
}

extension AppServices {
    func order(_ id: String) async throws -> Order {
        guard let order = try await database.order(id: id) else {
            throw LocalizedFailure(.notFound, "errors.noSuchOrder")
        }
        return order
    }

    /// The decoded payload of the code the order shows, if it still exists.
    func payload(of order: Order) async throws -> String? {
        guard let codeId = order.payCodeId else { return nil }
        return try await database.payCode(id: codeId)?.payload
    }

    /// The goods an order is for, if it is for goods.
    func goods(of order: Order) async throws -> Goods? {
        guard let goodsId = order.goodsId else { return nil }
        return try await database.goods(id: goodsId)
    }

    /// What a paid order delivers: the goods' text, and for card-key goods the order's own key
    /// (or, should it have none, a line in `language` that says so).
    func delivery(of order: Order, in language: Language) async throws -> String? {
        guard let goods = try await goods(of: order) else { return nil }
        guard goods.deliveryMode == .cardKeys else { return goods.delivery }
        let key =
            try await database.cardKey(orderId: order.id)?.secret
            ?? pages.strings.text("errors.noKeyLeft", in: language)
        return goods.delivery.isEmpty ? key : goods.delivery + "\n\n" + key
    }
}
