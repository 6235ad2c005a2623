/// The 易支付 V1 MD5 signature (SPEC 11.3): drop `sign`, `sign_type` and empty values, sort the
/// rest by key in byte order, join `k=v` with `&` with the values raw (not URL-encoded), append
/// the key, and take the lower-case hex MD5.
public struct EPaySignature: Sendable {
    let key: String

    public init(key: String) {
        self.key = key
    }

    /// The string that is signed, without the key.
    public static func signedString(_ fields: [(String, String)]) -> String {
        fields.filter { name, value in name != "sign" && name != "sign_type" && !value.isEmpty }
            .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The signature of `fields`, as received or as about to be sent.
    public func sign(_ fields: [(String, String)]) -> String {
        MD5Hex.of(Self.signedString(fields) + key)
    }
}
