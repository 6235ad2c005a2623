/// An amount of money in fen (0.01 yuan). Never a floating-point number.
public struct Money: Sendable, Hashable, Comparable {
    /// The amount in fen.
    public let fen: Int

    /// The most digits a written amount may have.
    public static let maxDigits = 10

    public init(fen: Int) {
        self.fen = fen
    }

    /// Parses `1`, `1.0`, `1.00` or `0.990`: digits, optionally a point and digits, where every
    /// digit past the second decimal is zero. Signs, exponents, spaces, other characters and more
    /// than ten digits are refused.
    public init?(parsing text: some StringProtocol) {
        let parts = Substring(text).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        func isDigits(_ part: Substring) -> Bool { part.allSatisfy { ("0"..."9").contains($0) } }
        guard !whole.isEmpty, isDigits(whole), isDigits(fraction),
            parts.count == 1 || !fraction.isEmpty,
            whole.count + fraction.count <= Self.maxDigits,
            fraction.dropFirst(2).allSatisfy({ $0 == "0" })
        else { return nil }
        let cents = (fraction.prefix(2) + String(repeating: "0", count: 2 - min(2, fraction.count)))
        guard let yuan = Int(whole), let fen = Int(cents) else { return nil }
        self.fen = yuan * 100 + fen
    }

    /// `amount` fen less; may go to zero or below, which callers check.
    public func minus(fen amount: Int) -> Money { Money(fen: fen - amount) }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

extension Money: CustomStringConvertible {
    /// Always two decimals: `0.99`, `12.00`.
    public var description: String {
        let sign = fen < 0 ? "-" : ""
        let absolute = fen.magnitude
        let cents = absolute % 100
        return "\(sign)\(absolute / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// In JSON, money is a string with two decimals.
extension Money: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let money = Money(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an amount with at most two decimals: \(text)")
        }
        self = money
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
