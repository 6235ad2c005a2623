import Foundation
import Hummingbird
import StoreCore

/// `/admin/merchants`: shop software that pays through the store (SPEC 11.1): add, edit, turn on
/// and off, a new key, and the settings to type into 独角数卡 and 易支付 / V免签 clients.
struct AdminMerchantsController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("merchants", use: list)
        group.post("merchants", use: create)
        group.post("merchants/:pid", use: update)
        group.post("merchants/:pid/enable") { request, context in try await setEnabled(true, request, context) }
        group.post("merchants/:pid/disable") { request, context in try await setEnabled(false, request, context) }
        group.post("merchants/:pid/key", use: regenerate)
    }

    struct ListView {
        let merchants: [MerchantRow]
        let empty: Bool
        let problem: String?
    }

    /// One merchant's card, with what its shop software needs.
    struct MerchantRow {
        let pid: Int64
        let name: String
        let enabled: Bool
        let key: String
        let notifyUrl: String
        let returnUrl: String
        let notifyHosts: String
        let paidOrders: Int
        /// The store's address with a trailing `/`, as V免签 clients want it.
        let vmqAddress: String
        let submitURL: String
        let apiAddress: String
    }

    struct CreateForm: Decodable {
        var name: String
        var key: String?
    }

    struct UpdateForm: Decodable {
        var name: String
        var notifyUrl: String?
        var returnUrl: String?
        var notifyHosts: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? =
            if request.uri.queryParameters["newKey"] != nil {
                services.text("admin.newKey", context)
            } else if request.uri.queryParameters["saved"] != nil {
                services.text("messages.saved", context)
            } else {
                nil
            }
        return try await page(request, context, notice: notice)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: CreateForm.self, context: context)
        let key = form.key.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        do {
            let merchant = try await services.database.createMerchant(
                name: form.name, key: key, now: services.clock.now())
            context.logger.notice("seller added merchant \(merchant.pid)")
            return .redirect(to: "/admin/merchants?saved=1#merchant-\(merchant.pid)", type: .normal)
        } catch let error as MerchantError {
            return try await refused(error, request, context)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pid = try await services.merchant(context).pid
        let form = try await request.decode(as: UpdateForm.self, context: context)
        do {
            _ = try await services.database.updateMerchant(
                pid: pid,
                .init(
                    name: form.name, notifyUrl: form.notifyUrl ?? "", returnUrl: form.returnUrl ?? "",
                    notifyHosts: [form.notifyHosts ?? ""]))
        } catch let error as MerchantError {
            return try await refused(error, request, context)
        }
        return .redirect(to: "/admin/merchants?saved=1#merchant-\(pid)", type: .normal)
    }

    private func setEnabled(_ enabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response
    {
        let pid = try await services.merchant(context).pid
        _ = try await services.database.updateMerchant(pid: pid, .init(enabled: enabled))
        return .redirect(to: "/admin/merchants?saved=1#merchant-\(pid)", type: .normal)
    }

    @Sendable func regenerate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let pid = try await services.merchant(context).pid
        _ = try await services.database.replaceMerchantKey(pid: pid)
        context.logger.notice("seller regenerated merchant \(pid)'s key")
        return .redirect(to: "/admin/merchants?newKey=1#merchant-\(pid)", type: .normal)
    }

    private func refused(
        _ error: MerchantError, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        if error == .notFound { throw error.failure }
        var response = try await page(request, context, problem: error.text(services, context))
        response.status = .unprocessableContent
        return response
    }

    private func page(
        _ request: Request, _ context: AppRequestContext, notice: String? = nil, problem: String? = nil
    ) async throws -> Response {
        let address = ListenerSetup(services: services, request: request).address
        var rows: [MerchantRow] = []
        for merchant in try await services.database.merchants() {
            let today = services.startOfToday
            let stats = try await services.database.merchantStats(
                pid: merchant.pid, today: today, yesterday: today.addingTimeInterval(-86400))
            rows.append(
                MerchantRow(
                    pid: merchant.pid, name: merchant.name, enabled: merchant.enabled, key: merchant.key,
                    notifyUrl: merchant.notifyUrl ?? "", returnUrl: merchant.returnUrl ?? "",
                    notifyHosts: merchant.notifyHosts.joined(separator: " "), paidOrders: stats.paidOrders,
                    vmqAddress: address + "/", submitURL: address + "/submit.php", apiAddress: address + "/"))
        }
        return try services.pages.render(
            "admin/merchants", ListView(merchants: rows, empty: rows.isEmpty, problem: problem),
            chrome: Chrome(
                title: services.text("admin.navMerchants", context), context: context, seller: true, notice: notice))
    }
}

extension MerchantError {
    /// The language tables' key of the seller's message (`merchantProblems.…`).
    var key: String {
        switch self {
        case .notFound: "notFound"
        case .badName: "badName"
        case .keyTooShort: "keyTooShort"
        case .keyTaken: "keyTaken"
        case .badURL: "badURL"
        case .badHost: "badHost"
        }
    }

    /// The value the message names, if any.
    var value: String {
        switch self {
        case .badURL(let value), .badHost(let value): value
        default: ""
        }
    }

    func text(_ services: AppServices, _ context: AppRequestContext) -> String {
        services.text("merchantProblems.\(key)", context, ["value": value])
    }

    /// The seller's 4xx.
    var failure: LocalizedFailure {
        let status: HTTPResponse.Status =
            switch self {
            case .notFound: .notFound
            case .keyTaken: .conflict
            default: .unprocessableContent
            }
        return LocalizedFailure(status, "merchantProblems.\(key)", ["value": value])
    }
}

extension AppServices {
    /// The merchant a route's `:pid` names, or a 404.
    func merchant(_ context: AppRequestContext) async throws -> Merchant {
        guard let pid = Int64(try context.parameters.require("pid")),
            let merchant = try await database.merchant(pid: pid)
        else { throw MerchantError.notFound.failure }
        return merchant
    }
}
