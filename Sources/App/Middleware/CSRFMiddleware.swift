import Foundation
import HTTPTypes
import Hummingbird
import StoreCore

/// Cross-site request forgery protection by double submission: a random token lives in a
/// `SameSite=Strict`, HttpOnly cookie, pages put it in their forms, and every state-changing
/// request must send it back as the `_csrf` form field or the `X-CSRF-Token` header.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "qrstore_csrf"
    static let fieldName = "_csrf"
    static let headerName = HTTPField.Name("X-CSRF-Token")!

    /// Whether the cookie carries `Secure` (the store is served over https).
    let secureCookie: Bool
    /// The largest form body read to find the field.
    let maxFormBytes: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        var request = request, context = context
        let existing = (request.cookies[Self.cookieName]?.value).flatMap { Self.isWellFormed($0) ? $0 : nil }
        let token = existing ?? Nanoid.make() + Nanoid.make()
        context.csrfToken = token
        if ![.get, .head, .options].contains(request.method) {
            try await Self.verify(&request, maxFormBytes: maxFormBytes)
        }
        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(
                Cookie(name: Self.cookieName, value: token, path: "/", secure: secureCookie, sameSite: .strict))
        }
        return response
    }

    /// Refuses a request that does not send back the token of its own cookie: a form another
    /// site made the browser submit has no cookie (it is `SameSite=Strict`) and no token.
    static func verify(_ request: inout Request, maxFormBytes: Int) async throws {
        let existing = (request.cookies[cookieName]?.value).flatMap { isWellFormed($0) ? $0 : nil }
        let sent = try await sentToken(&request, maxFormBytes: maxFormBytes)
        guard let existing, let sent, ConstantTime.equals(sent, existing) else {
            throw LocalizedFailure(.forbidden, "errors.formExpired")
        }
    }

    /// The token from the header, or from the `_csrf` field of an urlencoded form.
    private static func sentToken(_ request: inout Request, maxFormBytes: Int) async throws -> String? {
        if let header = request.headers[headerName] { return header }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        let body = try await request.collectBody(upTo: maxFormBytes)
        return FormFields(String(buffer: body))[fieldName]
    }
}

extension CSRFMiddleware {
    /// Tokens are two ids long; a cookie of any other shape is replaced.
    static func isWellFormed(_ token: String) -> Bool {
        token.count == 2 * Nanoid.length && Nanoid.isWellFormed(token.prefix(Nanoid.length))
            && Nanoid.isWellFormed(token.suffix(Nanoid.length))
    }
}

/// The fields of an `application/x-www-form-urlencoded` body, first value of each name.
struct FormFields {
    private var values: [String: String] = [:]
    /// Every field with its first value, in the order sent.
    private(set) var pairs: [(String, String)] = []

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if values[name] == nil {
                let value = parts.count == 2 ? decode(parts[1]) : ""
                values[name] = value
                pairs.append((name, value))
            }
        }
    }

    subscript(name: String) -> String? { values[name] }
}
