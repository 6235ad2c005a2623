import Foundation
import Hummingbird
import StoreCore

/// `/orders`: a buyer who kept the order number finds the order's page again.
struct OrderLookupController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/orders", use: show)
    }

    struct LookupView {
        let number: String
        let notFound: Bool
    }

    /// The form; with `?order=` the order's pay page, or the form again saying it was not found.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = (request.uri.queryParameters["order"].map(String.init) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if !number.isEmpty, try await services.database.order(id: number) != nil {
            return .redirect(to: "/pay/\(number)", type: .normal)
        }
        var response = try services.pages.render(
            "orders", LookupView(number: number, notFound: !number.isEmpty),
            chrome: Chrome(title: services.text("lookup.title", context), context: context))
        if !number.isEmpty { response.status = .notFound }
        return response
    }
}
