/// 21-character random ids from the URL-safe alphabet, as the nanoid library makes them
/// (126 bits of randomness).
public enum Nanoid {
    /// The length of every id.
    public static let length = 21
    private static let alphabet = Array(
        "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict".utf8)

    /// A new id; the system generator reads the kernel's cryptographic source.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// A new id from `generator`: 64 symbols, so six random bits pick each one without bias.
    /// Each 64-bit draw gives ten symbols, so an id costs three reads of the kernel's source.
    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        var symbols: [UInt8] = []
        symbols.reserveCapacity(length)
        while symbols.count < length {
            var bits: UInt64 = generator.next()
            for _ in 0..<10 where symbols.count < length {
                symbols.append(alphabet[Int(bits & 63)])
                bits >>= 6
            }
        }
        return String(decoding: symbols, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id, so that junk never reaches a query.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
