import Foundation
import Hummingbird

/// `GET /lang/{code}?back=/path`: the language switch in every page's header. It keeps the
/// choice in a cookie for a year and goes back to the page it came from.
struct LanguageController {
    let secureCookie: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/lang/:code", use: choose)
    }

    @Sendable func choose(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let language = Language(rawValue: try context.parameters.require("code")) else {
            throw LocalizedFailure(.notFound, "errors.notFound")
        }
        let back = request.uri.queryParameters["back"].map(String.init) ?? "/"
        // Only a path on this site: never `//elsewhere` or an absolute address.
        let target = back.hasPrefix("/") && !back.hasPrefix("//") && !back.contains("\\") ? back : "/"
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(
            Cookie(
                name: LanguageMiddleware.cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                secure: secureCookie, httpOnly: true, sameSite: .lax))
        return response
    }
}
