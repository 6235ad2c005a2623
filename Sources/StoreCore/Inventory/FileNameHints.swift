/// What a pay-code file's name says: `[type][_- ]<amount>.<ext>`, as in `wechat_0.99.png`,
/// `0.99.jpg`, `alipay-1.00.PNG` or `zfb 2.jpeg`.
/// The form's or command line's hints for a whole batch use the same type, and may also accept
/// payloads that cannot be a pay code.
public struct FileNameHints: Sendable, Equatable {
    public var type: PayType?
    /// Never zero: an amount of 0 is no amount.
    public var amount: Money?
    /// The seller's "accept any payload" for the batch (batch hints only).
    public var allowAnyPayload = false
    /// The batch holds generic codes (通用收款码): they have no amount (batch hints only).
    public var generic = false

    public init(type: PayType? = nil, amount: Money? = nil, allowAnyPayload: Bool = false, generic: Bool = false) {
        self.type = type
        self.amount = amount.flatMap { $0.fen > 0 ? $0 : nil }
        self.allowAnyPayload = allowAnyPayload
        self.generic = generic
    }

    /// The hints in the last component of `path`; folders and the extension do not count.
    public init(fileName path: String) {
        let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var stem = Substring(name)
        if let dot = stem.lastIndex(of: "."), stem[stem.index(after: dot)...].allSatisfy(\.isLetter) {
            stem = stem[..<dot]
        }
        // The amount is the trailing run of digits and points; what comes before is the type word.
        let amountText = stem.reversed().prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
        var word = stem.dropLast(amountText.count)
        if let separator = word.last, "_- ".contains(separator) { word = word.dropLast() }
        let amount = Money(parsing: String(amountText.reversed()))
        guard amount != nil, word.isEmpty || PayType(word: word) != nil else {
            self.init()
            return
        }
        self.init(type: word.isEmpty ? nil : PayType(word: word), amount: amount)
    }
}
