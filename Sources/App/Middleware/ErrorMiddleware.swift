import Hummingbird
import StoreCore

/// Turns every error into a clear answer: JSON `{error, message}` under `/api` and `/admin/api`,
/// an HTML page elsewhere. Unexpected errors are logged and shown as a plain 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let (status, code, message) = describe(error, in: context.language)
            if status == .internalServerError {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            let path = request.uri.path
            let retry =
                (error as? HTTPError)?.headers[.retryAfter] ?? (error as? LocalizedFailure)?.headers[.retryAfter]
            if path.hasPrefix("/api/") || path.hasPrefix("/admin/api/") || request.wantsJSON {
                var response = try JSONResponse.encode(ErrorBody(error: code, message: message), status: status)
                if let retry { response.headers[.retryAfter] = retry }
                return response
            }
            let reason = pages.strings.text("error.title.\(Self.titleKey(status))", in: context.language)
            let view = ErrorView(status: Int(status.code), reason: reason, message: message)
            var response = try pages.render("error", view, chrome: Chrome(title: reason, context: context))
            response.status = status
            if let retry { response.headers[.retryAfter] = retry }
            return response
        }
    }

    /// The language tables' key of the error page's title for `status`.
    static func titleKey(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404, 410: "notFound"
        case 401, 403: "forbidden"
        case 409: "conflict"
        case 429: "tooMany"
        case 503: "busy"
        case 400..<500: "client"
        default: "server"
        }
    }

    /// The status, machine code and human message for an error, in `language`.
    func describe(_ error: any Error, in language: Language) -> (HTTPResponse.Status, String, String) {
        let strings = pages.strings
        func defaultMessage(_ status: HTTPResponse.Status) -> String {
            switch status {
            case .notFound: strings.text("errors.notFound", in: language)
            case .methodNotAllowed: strings.text("errors.methodNotAllowed", in: language)
            case .contentTooLarge: strings.text("errors.tooLarge", in: language)
            default: strings.text("error.title.\(Self.titleKey(status))", in: language)
            }
        }
        switch error {
        case let error as LocalizedFailure:
            return (
                error.status, error.code ?? Self.code(error.status), strings.text(error.key, in: language, error.values)
            )
        case let error as HTTPError:
            let message = error.body ?? defaultMessage(error.status)
            return (error.status, Self.code(error.status), message)
        case let error as any HTTPResponseError:
            return (error.status, Self.code(error.status), defaultMessage(error.status))
        case let error as InvalidGoods:
            return (
                .unprocessableContent, "invalid_input", strings.text("goodsProblems.\(error.rawValue)", in: language)
            )
        case is DecodingError:
            return (
                .unprocessableContent, "invalid_input", strings.text("input.unexpected", in: language)
            )
        default:
            return (.internalServerError, "internal", strings.text("errors.internal", in: language))
        }
    }

    private static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .conflict: "conflict"
        case .contentTooLarge: "too_large"
        case .tooManyRequests: "too_many_requests"
        case .unprocessableContent, .badRequest: "invalid_input"
        case .unsupportedMediaType: "unsupported_media_type"
        case .serviceUnavailable: "busy"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}

/// The body of every JSON error.
struct ErrorBody: Codable, Sendable {
    var error: String
    var message: String
}

extension Request {
    /// Whether the client asked for JSON rather than a page.
    var wantsJSON: Bool {
        let accept = headers[.accept] ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}
