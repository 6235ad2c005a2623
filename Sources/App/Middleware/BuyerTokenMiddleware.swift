import Foundation
import Hummingbird
import StoreCore

/// Tells buyers apart by a first-party cookie, not by their address (many buyers share one
/// behind a carrier's NAT, an office or a proxy): an opaque random token, HttpOnly,
/// `SameSite=Lax`, kept a year; set on the first answer that finds none.
struct BuyerTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "qrstore_buyer"

    /// Whether the cookie carries `Secure` (the store is served over https).
    let secureCookie: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let existing = (request.cookies[Self.cookieName]?.value).flatMap { Self.isWellFormed($0) ? $0 : nil }
        context.buyerToken = existing ?? Nanoid.make() + Nanoid.make()
        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(
                Cookie(
                    name: Self.cookieName, value: context.buyerToken, maxAge: 365 * 24 * 3600, path: "/",
                    secure: secureCookie, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// Tokens are two ids long; a cookie of any other shape is replaced.
    static func isWellFormed(_ token: String) -> Bool { CSRFMiddleware.isWellFormed(token) }
}
