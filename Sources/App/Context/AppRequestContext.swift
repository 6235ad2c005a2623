import Foundation
public import Hummingbird
public import HummingbirdAuth
public import NIOCore

/// What a logged-in seller's session holds.
public struct SellerSession: Codable, Sendable, Equatable {
    public var adminID: Int64
}

/// The request context of every route: the seller's session, the peer's address, and the CSRF
/// token that pages put in their forms.
public struct AppRequestContext: SessionRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<SellerSession>
    public let remoteAddress: SocketAddress?
    /// Set by `CSRFMiddleware` for the pages it covers.
    public var csrfToken = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        remoteAddress = source.channel.remoteAddress
    }

    public var requestDecoder: FormOrJSONDecoder { FormOrJSONDecoder() }

    /// The peer's IP address, for rate limits and buyer limits; "unknown" in router tests.
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// Decodes a body as JSON or as an HTML form, by its content type.
public struct FormOrJSONDecoder: RequestDecoder {
    public func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext
    )
        async throws -> T
    {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.hasPrefix("application/json") {
            return try await JSONDecoder().decode(type, from: request, context: context)
        }
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            return try await URLEncodedFormDecoder().decode(type, from: request, context: context)
        }
        throw HTTPError(.unsupportedMediaType, message: "Send JSON or a form.")
    }
}
