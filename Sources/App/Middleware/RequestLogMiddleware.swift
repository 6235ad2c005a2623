import Hummingbird
import Logging

/// One log line per request: method, path and query, with signatures and keys blanked.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let query = request.uri.query.map { "?" + RedactedQuery.redact($0) } ?? ""
        context.logger.info(
            "Request",
            metadata: [
                "hb.request.method": .string(request.method.rawValue),
                "hb.request.path": .string(request.uri.path + query),
            ])
        return try await next(request, context)
    }
}
