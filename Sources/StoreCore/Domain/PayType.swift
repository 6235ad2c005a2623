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
