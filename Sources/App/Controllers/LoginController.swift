import Foundation
import Hummingbird
import HummingbirdAuth
import StoreCore

/// Seller login and logout, with failed attempts limited per address.
struct LoginController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("login", use: show)
        group.post("login", use: login)
        group.post("logout", use: logout)
    }

    struct LoginForm: Decodable {
        var username: String
        var password: String
        var next: String?
    }

    struct LoginView {
        let username: String
        let next: String
        let error: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.sessions.session != nil { return .redirect(to: "/admin", type: .normal) }
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        return try page(LoginView(username: "", next: next, error: nil), context: context)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let address = context.clientAddress
        if let wait = await services.loginThrottle.retryAfter(for: address) {
            throw LocalizedFailure(
                .tooManyRequests, "messages.tooManyLogins", ["minutes": "\(wait / 60 + 1)"],
                headers: [.retryAfter: "\(wait)"])
        }
        let form = try await request.decode(as: LoginForm.self, context: context)
        let admin = try await services.database.admin(username: form.username)
        let matches = try await services.passwords.verify(
            form.password, hash: admin?.passwordHash ?? services.unknownUserHash)
        guard let admin, let id = admin.id, matches else {
            await services.loginThrottle.recordFailure(for: address)
            var response = try page(
                LoginView(
                    username: form.username, next: Self.safeNext(form.next),
                    error: services.text("messages.wrongPassword", context)),
                context: context)
            response.status = .unauthorized
            return response
        }
        await services.loginThrottle.recordSuccess(for: address)
        context.sessions.createSession(SellerSession(adminID: id))
        return .redirect(to: Self.safeNext(form.next), type: .normal)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        context.sessions.clearSession()
        return .redirect(to: "/admin/login", type: .normal)
    }

    private func page(_ view: LoginView, context: AppRequestContext) throws -> Response {
        try services.pages.render(
            "admin/login", view, chrome: Chrome(title: services.text("admin.loginTitle", context), context: context))
    }

    /// Only a path on this site's seller pages: never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/admin"), !next.hasPrefix("//"), !next.contains("\\") else { return "/admin" }
        return next
    }
}
