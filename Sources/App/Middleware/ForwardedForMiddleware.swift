import HTTPTypes
import Hummingbird

/// Behind a trusted reverse proxy, takes the client's address from `X-Forwarded-For`, so that
/// per-buyer limits and rate limits count people rather than the proxy.
struct ForwardedForMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let header = HTTPField.Name("X-Forwarded-For")!

    let trustedProxies: TrustedProxies

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.clientAddress = trustedProxies.clientAddress(
            peer: context.clientAddress, forwardedFor: request.headers[values: Self.header])
        return try await next(request, context)
    }
}
