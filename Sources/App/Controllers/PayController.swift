import Foundation
import Hummingbird
import StoreCore

/// `GET /pay/{id}`: the page a buyer pays on, and its QR image.
struct PayController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/pay/:id", use: show)
        group.get("/pay/:id/qr.png", use: image)
    }

    struct PayView {
        let id: String
        let goodsName: String
        /// The goods' page; nil for a merchant's order.
        let goodsPath: String?
        let wallet: String
        let isAlipay: Bool
        let amount: String
        let price: String
        let hasDiscount: Bool
        let expiresAt: String
        let status: String
        let pending: Bool
        let paid: Bool
        let over: Bool
        let delivery: String?
        let alipayLink: String?
        let discountText: String
        let qrAlt: String
        let scanHint: String
        /// Shown a generic code: the buyer types the amount, so it comes first.
        let generic: Bool
        /// A merchant's order: once paid, the buyer goes back to the shop at this signed address.
        let merchant: Bool
        let returnUrl: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let order = try await services.order(try context.parameters.require("id"))
        let goods = try await services.goods(of: order)
        let payload = try await services.payload(of: order)
        let status = order.status(at: services.clock.now())
        let strings = services.pages.strings, language = context.language
        func text(_ key: String) -> String {
            strings.text(key, in: language, ["amount": order.amount.description, "price": order.price.description])
        }
        let merchant = try await services.merchantPayInfo(of: order)
        let view = PayView(
            id: order.id,
            goodsName: goods?.name ?? merchant?.subject ?? text("pay.order"),
            goodsPath: goods.map { "/goods/\($0.id)" } ?? (merchant == nil ? "/" : nil),
            wallet: text(order.type == .alipay ? "goods.alipay" : "goods.wechat"), isAlipay: order.type == .alipay,
            amount: order.amount.description, price: order.price.description, hasDiscount: order.discount.fen > 0,
            expiresAt: ISO8601DateFormatter().string(from: order.expiresAt), status: status.rawValue,
            pending: status == .pending, paid: status == .paid, over: status == .expired || status == .closed,
            delivery: status == .paid ? try await services.delivery(of: order, in: context.language) : nil,
            alipayLink: order.type == .alipay ? payload.map(Self.alipayLink) : nil,
            discountText: text("pay.discounted"),
            qrAlt: text("pay.qrAlt"), scanHint: text(order.type == .alipay ? "pay.alipayHint" : "pay.wechatHint"),
            generic: order.generic, merchant: merchant != nil, returnUrl: merchant?.returnUrl)
        return try services.pages.render("pay", view, chrome: Chrome(title: text("pay.title"), context: context))
    }

    /// The clean code of the order's slot, only while the order waits for payment.
    @Sendable func image(_ request: Request, context: AppRequestContext) async throws -> Response {
        let order = try await services.order(try context.parameters.require("id"))
        guard order.status(at: services.clock.now()) == .pending, let codeId = order.payCodeId,
            let code = try await services.database.payCode(id: codeId)
        else { throw LocalizedFailure(.notFound, "errors.orderOver") }
        let png = try await services.blobs.renderedPNG(digest: code.renderedDigest)
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// Opens the Alipay app at the code on a phone.
    static func alipayLink(_ payload: String) -> String {
        let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "alipays://platformapi/startapp?saId=10000007&qrcode=\(encoded)"
    }
}
