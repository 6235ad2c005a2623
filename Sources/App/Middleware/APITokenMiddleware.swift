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
            throw HTTPError(.unauthorized, message: "The seller API is off: set admin.apiToken to turn it on.")
        }
        let sent = request.headers[.authorization].flatMap { header -> Substring? in
            header.hasPrefix("Bearer ") ? header.dropFirst("Bearer ".count) : nil
        }
        let address = context.clientAddress
        if let wait = await throttle.retryAfter(for: address) {
            throw HTTPError(
                .tooManyRequests, headers: [.retryAfter: "\(wait)"],
                message: "Too many bad API tokens from this address; wait \(wait) seconds.")
        }
        guard let sent, ConstantTime.equals(sent, token) else {
            await throttle.recordFailure(for: address)
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                message: "Send Authorization: Bearer followed by the API token.")
        }
        return try await next(request, context)
    }
}
