import Hummingbird
import StoreCore

/// Seller pages need a logged-in seller: others are sent to the login page, which brings them
/// back afterwards.
struct RequireSellerMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        if let session = context.sessions.session, try await database.admin(id: session.adminID) != nil {
            return try await next(request, context)
        }
        let back = request.method == .get ? request.uri.description : "/admin"
        return Response.redirect(
            to: "/admin/login?next=\(back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
            type: .normal)
    }
}
