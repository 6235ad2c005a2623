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
    /// The buyer's cookie, set by `BuyerTokenMiddleware` for the routes it covers.
    public var buyerToken = ""
    /// The language of the answer, chosen by `LanguageMiddleware`.
    public var language = Language.zhCN
    /// The path asked for, for the language switch's way back.
    public var requestPath = "/"
    /// The buyer's IP address, for rate limits and buyer limits: the peer's, or the one a trusted
    /// proxy forwarded (`ForwardedForMiddleware`); "unknown" in router tests.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }

    public var requestDecoder: FormOrJSONDecoder { FormOrJSONDecoder() }
}

/// Decodes a body as JSON or as an HTML form, by its content type. Input that does not fit is
/// a 422 whose message names the field.
public struct FormOrJSONDecoder: RequestDecoder {
    /// The largest JSON or form body read.
    static let maxBytes = 1 << 20

    public func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext
    )
        async throws -> T
    {
        let contentType = request.headers[.contentType] ?? ""
        let isJSON = contentType.hasPrefix("application/json")
        guard isJSON || contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw LocalizedFailure(.unsupportedMediaType, "messages.sendJSON")
        }
        let body = try await request.body.collect(upTo: Self.maxBytes)
        do {
            return isJSON
                ? try JSONDecoder().decode(type, from: body)
                : try URLEncodedFormDecoder().decode(type, from: String(buffer: body))
        } catch let error as DecodingError {
            throw Self.explain(error)
        }
    }

    /// The problem, naming the field, in the words of the request's language.
    static func explain(_ error: DecodingError) -> LocalizedFailure {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "body" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return LocalizedFailure(
                .unprocessableContent, "input.missing", ["field": field(context.codingPath + [key])])
        case .valueNotFound(_, let context):
            return LocalizedFailure(.unprocessableContent, "input.missing", ["field": field(context.codingPath)])
        case .typeMismatch(_, let context):
            return LocalizedFailure(.unprocessableContent, "input.wrongType", ["field": field(context.codingPath)])
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? LocalizedFailure(.unprocessableContent, "input.badBody")
                : LocalizedFailure(.unprocessableContent, "input.notValid", ["field": field(context.codingPath)])
        @unknown default: return LocalizedFailure(.unprocessableContent, "input.unexpected")
        }
    }
}
