/// Comparison of secrets whose time does not depend on where they first differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` are the same bytes; only their lengths leak.
    public static func equals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
