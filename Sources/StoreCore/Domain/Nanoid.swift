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
    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() & 63)] }, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id, so that junk never reaches a query.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
