import Crypto
import Foundation

/// The signatures of the listener protocols: lower-case hex MD5 over the raw strings exactly as
/// received (protocols A and B), or SmsForwarder's HMAC-SHA256 over its timestamp (protocol C),
/// compared in constant time. MD5 is what the deployed apps speak, not a choice.
public struct ListenerSignature: Sendable {
    let secret: String

    public init(secret: String) {
        self.secret = secret
    }

    /// Protocol A, `setting`: md5(md5(apiurl) + secret).
    public func settingSign(apiURL: String) -> String { Self.md5(Self.md5(apiURL) + secret) }

    /// Protocol A, `notify`: md5(md5(price + type) + secret).
    public func notifySign(price: String, type: String) -> String { Self.md5(Self.md5(price + type) + secret) }

    /// Protocol B, `appHeart`: md5(t + secret).
    public func heartSign(t: String) -> String { Self.md5(t + secret) }

    /// Protocol B, `appPush`: md5(type + price + t + secret).
    public func pushSign(type: String, price: String, t: String) -> String { Self.md5(type + price + t + secret) }

    /// Protocol C, SmsForwarder's webhook: Base64(HMAC-SHA256(key: secret, timestamp + "\n" + secret)).
    public func smsForwarderSign(timestamp: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + "\n" + secret).utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// SmsForwarder's `sign` as Base64: the app URL-encodes it, and a form encodes it once more, so
    /// it is decoded until no escape is left (a `+` a form turned into a space is put back).
    public static func plainBase64(_ sent: String) -> String {
        var text = sent.replacingOccurrences(of: " ", with: "+")
        for _ in 0..<3 where text.contains("%") {
            guard let decoded = text.removingPercentEncoding else { break }
            text = decoded
        }
        return text
    }

    /// Whether `sent` is `expected`, in constant time; case-insensitive hex.
    public static func matches(_ sent: String, _ expected: String) -> Bool {
        ConstantTime.equals(sent.lowercased(), expected)
    }

    static func md5(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
