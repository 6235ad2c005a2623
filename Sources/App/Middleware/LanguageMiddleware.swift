import Hummingbird

/// Chooses the language of every answer: the visitor's own choice (the `qrstore_lang` cookie,
/// set by the switch in the header), else the browser's `Accept-Language`, else `site.language`.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "qrstore_lang"

    let fallback: Language

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.language =
            (request.cookies[Self.cookieName]?.value).flatMap(Language.init(rawValue:))
            ?? request.headers[.acceptLanguage].flatMap(Language.preferred(byAcceptLanguage:)) ?? fallback
        context.requestPath = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        var response = try await next(request, context)
        // Pages and JSON messages differ by language: a cache must keep them apart.
        if let type = response.headers[.contentType], type.hasPrefix("text/html") || type.hasPrefix("application/json")
        {
            response.headers[.vary] = "Accept-Language, Cookie"
        }
        return response
    }
}
