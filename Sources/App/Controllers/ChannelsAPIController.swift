import Foundation
import Hummingbird
import StoreCore

/// `/admin/api/channels`: the channels as JSON (SPEC 6.6).
struct ChannelsAPIController {
    let services: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("channels", use: list)
        group.post("channels", use: create)
        group.patch("channels/:id", use: update)
        group.post("channels/:id/secret", use: secret)
        group.delete("channels/:id", use: delete)
    }

    /// A channel as the list shows it: no secret.
    struct ChannelResponse: Encodable {
        let id: Int64
        let name: String
        let enabled: Bool
        let online: Bool
        let lastSeenAt: Date?
        let codes: [String: Int]
        let generic: [String: Int]
    }

    /// A new channel, with its secret (shown this once in the API).
    struct CreatedChannel: Encodable {
        let id: Int64
        let name: String
        let enabled: Bool
        let secret: String
    }

    /// A changed channel: its secret is shown only when it is made.
    struct UpdatedChannel: Encodable {
        let id: Int64
        let name: String
        let enabled: Bool
    }

    struct CreateRequest: Decodable {
        var name: String
        var secret: String?
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var enabled: Bool?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.encode(
            try await services.database.channelSummaries().map { summary in
                ChannelResponse(
                    id: summary.channel.id ?? 0, name: summary.channel.name, enabled: summary.channel.enabled,
                    online: ListenerStatus(lastSeenAt: summary.channel.lastSeenAt, services: services).online,
                    lastSeenAt: summary.channel.lastSeenAt, codes: Self.byType(summary.fixedCodes),
                    generic: Self.byType(summary.genericCodes))
            })
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let channel = try await refusing {
            try await services.database.createChannel(name: body.name, secret: body.secret, now: services.clock.now())
        }
        try await services.reloadChannelKeys()
        return try JSONResponse.encode(
            CreatedChannel(id: channel.id ?? 0, name: channel.name, enabled: channel.enabled, secret: channel.secret),
            status: .created)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try await services.channel(context).id!
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let channel = try await refusing {
            try await services.database.updateChannel(id: id, name: body.name, enabled: body.enabled)
        }
        return try JSONResponse.encode(UpdatedChannel(id: id, name: channel.name, enabled: channel.enabled))
    }

    @Sendable func secret(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try await services.channel(context).id!
        if id == 1, services.configuration.listenerSecret != nil {
            throw LocalizedFailure(.conflict, "messages.secretConfigured")
        }
        let secret = try await refusing { try await services.database.replaceChannelSecret(id: id) }
        try await services.reloadChannelKeys()
        return try JSONResponse.encode(["secret": secret])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try await services.channel(context).id!
        try await refusing { try await services.database.deleteChannel(id: id, now: services.clock.now()) }
        try await services.reloadChannelKeys()
        return Response(status: .noContent)
    }

    /// `body`, with a channel refusal as the seller's 4xx.
    private func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ChannelError {
            let status: HTTPResponse.Status =
                switch error {
                case .notFound: .notFound
                case .badName, .secretTooShort: .unprocessableContent
                case .secretTaken, .inUse, .first: .conflict
                }
            throw LocalizedFailure(status, "channelProblems.\(error.key)")
        }
    }

    private static func byType(_ counts: [PayType: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: PayType.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
    }
}

/// One channel's listener in `/admin/api/status`.
struct ChannelStatus: Encodable {
    let id: Int64
    let name: String
    let online: Bool
    let lastSeenAt: Date?

    static func all(_ services: AppServices) async throws -> [ChannelStatus] {
        try await services.database.channels().map {
            ChannelStatus(
                id: $0.id ?? 0, name: $0.name,
                online: ListenerStatus(lastSeenAt: $0.lastSeenAt, services: services).online,
                lastSeenAt: $0.lastSeenAt)
        }
    }
}
