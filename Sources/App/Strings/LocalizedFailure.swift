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

    init(_ status: HTTPResponse.Status, _ key: String, _ values: [String: String] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.key = key
        self.values = values
        self.headers = headers
    }
}
