import Hummingbird
import StoreCore

/// The seller JSON API: `Authorization: Bearer <admin.apiToken>`, compared in constant time.
/// Without a configured token the API is off and answers 401. Bad tokens are limited per
/// address like bad passwords, so the token cannot be guessed.
struct APITokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let token: String?
    let throttle: FailureThrottle

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        guard let token else {
            throw LocalizedFailure(.unauthorized, "messages.apiOff")
        }
        let sent = request.headers[.authorization].flatMap { header -> Substring? in
            header.hasPrefix("Bearer ") ? header.dropFirst("Bearer ".count) : nil
        }
        let address = context.clientAddress
        if let wait = await throttle.retryAfter(for: address) {
            throw LocalizedFailure(
                .tooManyRequests, "messages.tooManyTokens", ["seconds": "\(wait)"], headers: [.retryAfter: "\(wait)"])
        }
        guard let sent, ConstantTime.equals(sent, token) else {
            await throttle.recordFailure(for: address)
            throw LocalizedFailure(.unauthorized, "messages.sendBearer", headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }
}
