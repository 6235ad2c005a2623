import Foundation
import Hummingbird
import Mail
import StoreCore

/// `/orders`: a buyer who kept the order number finds the order's page again; one who gave an
/// email has the links of its paid orders emailed (never shown, so an address tells nobody else
/// anything).
struct OrderLookupController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/orders", use: show)
        group.post("/orders", use: mailLinks)
    }

    /// The lookup page: the number form, and the email form when the store sends email.
    struct LookupView {
        let number: String
        let notFound: Bool
        /// The store sends email, so the email form is shown.
        let byEmail: Bool
        let email: String
        /// Said after an email lookup, whatever its outcome.
        let mailed: Bool
        let problem: String?
    }

    /// The email form's one field.
    struct EmailForm: Decodable {
        var email: String
    }

    /// The form; with `?order=` the order's pay page, or the form again saying it was not found.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = (request.uri.queryParameters["order"].map(String.init) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if !number.isEmpty, try await services.database.order(id: number) != nil {
            return .redirect(to: "/pay/\(number)", type: .normal)
        }
        return try page(
            LookupView(
                number: number, notFound: !number.isEmpty, byEmail: services.mailer != nil, email: "", mailed: false,
                problem: nil),
            status: number.isEmpty ? .ok : .notFound, context: context)
    }

    /// Queues an email of the address's paid orders' links, and says the same whether or not it
    /// has any. Each address may ask a few times an hour; each mailbox is sent one every 10 minutes.
    @Sendable func mailLinks(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard services.mailer != nil else { throw LocalizedFailure(.notFound, "errors.notFound") }
        let email = try await request.decode(as: EmailForm.self, context: context).email
            .trimmingCharacters(in: .whitespaces).lowercased()
        func again(_ problem: String, _ status: HTTPResponse.Status) throws -> Response {
            try page(
                LookupView(number: "", notFound: false, byEmail: true, email: email, mailed: false, problem: problem),
                status: status, context: context)
        }
        guard MailMessage.isDeliverable(email) else {
            return try again(services.text("errors.badEmail", context), .unprocessableContent)
        }
        let address = AddressKey.of(context.clientAddress)
        if let wait = await services.lookupThrottle.retryAfter(for: address) {
            var response = try again(
                services.text("lookup.tooMany", context, ["minutes": "\((wait + 59) / 60)"]), .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        await services.lookupThrottle.recordFailure(for: address)
        let queued = try await services.database.queueLookupEmail(
            recipient: email, language: context.language.rawValue, now: services.clock.now())
        context.logger.info("order lookup by email: \(queued ? "links queued" : "nothing sent")")
        return try page(
            LookupView(number: "", notFound: false, byEmail: true, email: "", mailed: true, problem: nil),
            status: .ok, context: context)
    }

    private func page(_ view: LookupView, status: HTTPResponse.Status, context: AppRequestContext) throws -> Response {
        var response = try services.pages.render(
            "orders", view, chrome: Chrome(title: services.text("lookup.title", context), context: context))
        response.status = status
        return response
    }
}
