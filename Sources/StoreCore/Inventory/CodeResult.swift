/// What happened to one file of a batch; the JSON of `codes scan`, `codes import` and the API.
public struct CodeResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Read as a valid pay code (scan only; nothing stored).
        case ok
        case imported, duplicate, rejected
    }

    public var file: String
    public var status: Status
    public var id: Int64?
    public var type: PayType?
    public var amount: Money?
    public var payload: String?
    public var reason: Rejection?
    /// Plain words for the seller.
    public var message: String?
    /// For a rejection, what the libraries or the limits said (the sizes, libpng's message).
    public var detail: String?

    public init(
        file: String, status: Status, id: Int64? = nil, type: PayType? = nil, amount: Money? = nil,
        payload: String? = nil, reason: Rejection? = nil, message: String? = nil
    ) {
        self.file = file
        self.status = status
        self.id = id
        self.type = type
        self.amount = amount
        self.payload = payload
        self.reason = reason
        self.message = message
    }

    /// The result for a file that was not accepted.
    public static func rejected(
        _ file: String, _ reason: Rejection, detail: String, payload: String? = nil
    ) -> CodeResult {
        var result = CodeResult(
            file: file, status: .rejected, payload: payload, reason: reason,
            message: detail.isEmpty ? reason.explanation : "\(reason.explanation) (\(detail))")
        result.detail = detail.isEmpty ? nil : detail
        return result
    }
}
