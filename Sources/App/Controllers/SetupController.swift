import Foundation
import Hummingbird
import StoreCore

/// `/admin/setup?token=…`: the first seller account, made in the browser on first start. The
/// link works once, and only while no seller account exists.
struct SetupController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("setup", use: show)
        group.post("setup", use: create)
    }

    struct SetupForm: Decodable {
        var token: String
        var username: String
        var password: String
        var repeated: String
    }

    struct SetupView {
        let token: String
        let username: String
        let error: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        try await checkOpen(token)
        return try page(SetupView(token: token, username: services.configuration.adminUsername, error: nil), context)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: SetupForm.self, context: context)
        try await checkOpen(form.token)
        func refuse(_ key: String) throws -> Response {
            var response = try page(
                SetupView(token: form.token, username: form.username, error: services.text(key, context)), context)
            response.status = .unprocessableContent
            return response
        }
        let username = form.username.trimmingCharacters(in: .whitespacesAndNewlines)
        // Checked before the token is used up, so a typo never costs the link.
        guard (1...64).contains(username.count) else { return try refuse("messages.badUsername") }
        guard form.password.count >= PasswordHasher.minimumLength else { return try refuse("messages.passwordShort") }
        guard form.password == form.repeated else { return try refuse("messages.passwordsDiffer") }
        let hash = try await services.passwords.hash(form.password)
        // Used up first, so two browsers racing with the same link make one account.
        guard services.setupToken.consume(form.token) else { throw LocalizedFailure(.notFound, "errors.notFound") }
        let admin: Admin
        do {
            admin = try await services.database.createAdmin(username: username, passwordHash: hash, onlyFirst: true)
        } catch AdminError.notFirst {
            // An account was made meanwhile (`qrstore admin create`): the link has no more use.
            throw LocalizedFailure(.notFound, "errors.notFound")
        } catch is AdminError {
            return try refuse("messages.badUsername")
        }
        context.logger.notice("first seller account \(admin.username) made through the set-up link")
        context.sessions.createSession(SellerSession(adminID: admin.id!))
        return .redirect(to: "/admin", type: .normal)
    }

    /// Not found unless the token is the unused one and no seller account exists yet.
    private func checkOpen(_ token: String) async throws {
        guard services.setupToken.matches(token), try await services.database.adminCount() == 0 else {
            throw LocalizedFailure(.notFound, "errors.notFound")
        }
    }

    private func page(_ view: SetupView, _ context: AppRequestContext) throws -> Response {
        try services.pages.render(
            "admin/setup", view, chrome: Chrome(title: services.text("admin.setupTitle", context), context: context))
    }
}
