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
        // Only a path on this site: never `//elsewhere`, an absolute address, or one that becomes
        // either once a browser drops the tabs and line breaks in it (`/\t/elsewhere`).
        let printable = back.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && $0 != "\\" }
        let target = printable && back.hasPrefix("/") && !back.hasPrefix("//") ? back : "/"
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(
            Cookie(
                name: LanguageMiddleware.cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                secure: secureCookie, httpOnly: true, sameSite: .lax))
        return response
    }
}
