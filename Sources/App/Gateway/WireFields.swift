import Hummingbird

/// A peer's request fields (the listener apps, merchants' shop software) from the query and,
/// for POST, the urlencoded body, exactly as sent (percent-decoded only): signatures are
/// computed over these strings. `raw` is what may be stored, with any `sign` left out (a
/// stored protocol-A signature could be replayed).
struct WireFields {
    private let fields: FormFields
    let raw: String

    /// The largest body read.
    static let maxBodyBytes = 64 * 1024

    static func read(_ request: Request) async throws -> WireFields {
        var text = request.uri.query ?? ""
        if request.method == .post {
            let body = String(buffer: try await request.body.collect(upTo: maxBodyBytes))
            text = text.isEmpty ? body : text + "&" + body
        }
        return WireFields(
            fields: FormFields(text), raw: "\(request.method) \(request.uri.path)?\(RedactedQuery.redact(text))")
    }

    subscript(name: String) -> String? { fields[name] }

    /// Every field with its first value, in the order sent.
    var pairs: [(String, String)] { fields.pairs }
}
