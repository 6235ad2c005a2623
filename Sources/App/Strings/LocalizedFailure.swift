import HTTPTypes
import Hummingbird

/// An error answer whose message is a key of the language tables: the error middleware writes
/// it in the language of the request (the JSON `message`, or the error page).
struct LocalizedFailure: Error {
    let status: HTTPResponse.Status
    /// A dotted key of `Config/strings/*.json`.
    let key: String
    var values: [String: String] = [:]
    var headers: HTTPFields = [:]
    /// The JSON `error` code, when the status's own is not precise enough (`sold_out`).
    var code: String?

    init(
        _ status: HTTPResponse.Status, _ key: String, _ values: [String: String] = [:], headers: HTTPFields = [:],
        code: String? = nil
    ) {
        self.status = status
        self.key = key
        self.values = values
        self.headers = headers
        self.code = code
    }
}
