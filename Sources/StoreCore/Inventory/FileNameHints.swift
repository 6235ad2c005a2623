/// What a pay-code file's name says: `[type][_- ]<amount>.<ext>`, as in `wechat_0.99.png`,
/// `0.99.jpg`, `alipay-1.00.PNG` or `zfb 2.jpeg`.
public struct FileNameHints: Sendable, Equatable {
    public var type: PayType?
    public var amount: Money?

    public init(type: PayType? = nil, amount: Money? = nil) {
        self.type = type
        self.amount = amount
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
