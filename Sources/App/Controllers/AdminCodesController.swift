import Foundation
import Hummingbird
import StoreCore

/// The seller's pay-code pages: the list, batch upload, each code's image, and coverage.
struct AdminCodesController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("codes", use: list)
        group.get("codes/upload", use: uploadPage)
        group.post("codes/upload", use: upload)
        group.get("codes/:id/image.png", use: image)
        group.post("codes/:id/enable") { request, context in try await change(.enable, context) }
        group.post("codes/:id/disable") { request, context in try await change(.disable, context) }
        group.post("codes/:id/delete") { request, context in try await change(.delete, context) }
        group.get("coverage", use: coverage)
    }

    /// One code in the list or an upload's result table.
    struct CodeRow {
        let id: Int64?
        let channel: Int64?
        let file: String
        let type: String?
        let amount: String?
        let payload: String?
        let enabled: Bool
        /// A generic code: the buyer types the amount.
        let generic: Bool
        let status: String?
        let rejected: Bool
        let message: String?

        init(_ code: PayCode) {
            id = code.id
            channel = code.channelId
            file = code.originalName
            type = code.type.rawValue
            amount = code.amount?.description
            payload = code.payload
            enabled = code.enabled
            generic = code.isGeneric
            status = nil
            rejected = false
            message = nil
        }

        init(_ result: CodeResult) {
            id = result.id
            channel = nil
            file = result.file
            type = result.type?.rawValue
            amount = result.amount?.description
            payload = result.payload
            enabled = true
            generic = result.status != .rejected && result.amount == nil
            status = result.status.rawValue
            rejected = result.status == .rejected
            message = result.message
        }
    }

    struct ListView {
        let codes: [CodeRow]
        let empty: Bool
        let channels: [ChannelOption]
        let type: String
        let amount: String
        let enabled: String
        let wechatSelected: Bool
        let alipaySelected: Bool
        let enabledSelected: Bool
        let disabledSelected: Bool
    }

    /// A channel in a filter's choice.
    struct ChannelOption {
        let id: Int64
        let name: String
        let selected: Bool
    }

    struct ResultsView {
        let imported: Int
        let duplicates: Int
        let rejected: Int
        let results: [CodeRow]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let type = query["type"].map(String.init) ?? ""
        let amount = query["amount"].map(String.init) ?? ""
        let enabled = query["enabled"].map(String.init) ?? ""
        let channel = query["channel"].flatMap { Int64(String($0)) }
        let codes = try await services.database.payCodes(
            channelId: channel, type: PayType(rawValue: type), amount: Money(parsing: amount),
            enabled: enabled == "yes" ? true : enabled == "no" ? false : nil
        ).map(CodeRow.init)
        let channels = try await services.database.channels().map {
            ChannelOption(id: $0.id ?? 0, name: $0.name, selected: $0.id == channel)
        }
        let view = ListView(
            codes: codes, empty: codes.isEmpty, channels: channels, type: type, amount: amount, enabled: enabled,
            wechatSelected: type == "wechat", alipaySelected: type == "alipay", enabledSelected: enabled == "yes",
            disabledSelected: enabled == "no")
        return try services.pages.render(
            "admin/codes-list", view,
            chrome: Chrome(title: services.text("admin.navCodes", context), context: context, seller: true))
    }

    @Sendable func uploadPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let hint = services.text(
            "admin.uploadHint", context,
            [
                "file": "\(services.configuration.upload.maxFileBytes / 1_048_576)",
                "request": "\(services.configuration.maxRequestBytes / 1_048_576)",
            ])
        let channels = try await services.database.channels().map { channel -> [String: Any] in
            ["id": channel.id ?? 0, "name": channel.name, "first": channel.id == 1]
        }
        return try services.pages.render(
            "admin/codes-upload",
            ["uploadHint": hint, "channels": channels, "manyChannels": channels.count > 1] as [String: Any],
            chrome: Chrome(title: services.text("admin.uploadTitle", context), context: context, seller: true))
    }

    /// The upload page's script posts here and shows the returned result table.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let summary = try await services.importUpload(request, context: context)
        let view = ResultsView(
            imported: summary.imported, duplicates: summary.duplicates, rejected: summary.rejected,
            results: summary.results.map(CodeRow.init))
        return try services.pages.render(
            "admin/upload-results", view,
            chrome: Chrome(title: services.text("admin.results", context), context: context, seller: true))
    }

    /// The clean re-rendered code, as buyers will see it.
    @Sendable func image(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try await services.payCode(context)
        let png = try await services.blobs.renderedPNG(digest: code.renderedDigest)
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=86400"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    private enum Change { case enable, disable, delete }

    private func change(_ change: Change, _ context: AppRequestContext) async throws -> Response {
        let code = try await services.payCode(context)
        let id = code.id!
        switch change {
        case .enable: _ = try await services.database.setPayCodeEnabled(id: id, true)
        case .disable: _ = try await services.database.setPayCodeEnabled(id: id, false)
        case .delete: try await services.delete(code)
        }
        return .redirect(to: "/admin/codes", type: .normal)
    }

    @Sendable func coverage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let grid = try await CoverageGrid.make(
            services: services, goods: try await services.database.goodsList(enabledOnly: true))
        return try services.pages.render(
            "admin/coverage", grid,
            chrome: Chrome(title: services.text("admin.navCoverage", context), context: context, seller: true))
    }

}
