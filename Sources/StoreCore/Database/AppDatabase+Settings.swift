import Foundation

extension AppDatabase {
    /// 32 random characters from the nanoid alphabet (192 bits): a new listener secret.
    static func newListenerSecret() -> String { Nanoid.make() + Nanoid.make().prefix(11) }

    /// `name` without surrounding blanks, when it has 1 to `max` characters counted as SQLite's
    /// `length()` counts them (code points), so that a table's CHECK never fails on it.
    static func trimmedName(_ name: String, max: Int) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return (1...max).contains(trimmed.unicodeScalars.count) ? trimmed : nil
    }

    /// `secret` without surrounding blanks, when it has at least `minimum` printable ASCII
    /// characters, none a space or one of `forbidden`.
    static func trimmedSecret(_ secret: String, minimum: Int, forbidden: Set<Unicode.Scalar> = []) -> String? {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.unicodeScalars.count >= minimum,
            trimmed.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains($0) })
        else { return nil }
        return trimmed
    }
}
