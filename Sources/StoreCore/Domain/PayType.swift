/// The two wallets a pay code belongs to.
public enum PayType: String, Sendable, Codable, CaseIterable {
    case wechat, alipay

    /// The type a decoded payload shows: `wxp://…` is WeChat, `https://qr.alipay.com/…` Alipay
    /// (Alipay prints its codes in upper case); nil when the payload does not say.
    public init?(payload: String) {
        let lowered = payload.lowercased()
        if lowered.hasPrefix("wxp://") {
            self = .wechat
        } else if lowered.hasPrefix("https://qr.alipay.com/") {
            self = .alipay
        } else {
            return nil
        }
    }

    /// The type a word in a file name or form field names: `wechat`, `wx`, `weixin`, `alipay`,
    /// `zfb`, `ali`, in any case.
    public init?(word: some StringProtocol) {
        switch word.lowercased() {
        case "wechat", "wx", "weixin": self = .wechat
        case "alipay", "zfb", "ali": self = .alipay
        default: return nil
        }
    }
}

/// Whether a decoded payload can take money: a web address or a wallet's own scheme. A word,
/// a phone number or a Wi-Fi login cannot, and a buyer must never be shown one.
public enum PayloadKind {
    /// Wallet schemes that open a payment without being web addresses.
    static let walletSchemes: Set<String> = ["wxp", "weixin", "alipays", "alipay"]

    public static func canTakeMoney(_ payload: String) -> Bool {
        guard let separator = payload.range(of: "://") else { return false }
        let scheme = payload[..<separator.lowerBound].lowercased()
        let rest = payload[separator.upperBound...]
        guard !rest.isEmpty, !rest.contains(where: \.isWhitespace) else { return false }
        return scheme == "http" || scheme == "https" || walletSchemes.contains(scheme)
    }
}
