/// One way a wallet app says "money received", kept as data: the notification titles it comes
/// under, the pattern that reads the amount from the start of its text, and the real texts it was
/// written for, which the tests read back through it. A new text from WeChat or Alipay is a new
/// rule here, not a new app on the phone.
public struct NotificationRule: Sendable {
    public let wallet: PayType
    /// The titles the wallet shows this notification under. A chat message has the sender's name
    /// as its title, so a buyer typing the text to the seller is never read as money.
    public let titles: Set<String>
    /// A regular expression that must match at the start of the text; its first group is the
    /// amount, e.g. `1.17`.
    public let pattern: String
    /// Texts seen in the wild, with the amount each must read as.
    public let examples: [(text: String, amount: String)]

    static let amount = #"(\d+(?:\.\d{1,2})?)[ \t]*元"#
    static let wechatTitles: Set<String> = ["微信支付", "微信收款助手", "微信收款商业版"]
    static let alipayTitles: Set<String> = ["支付宝", "支付宝通知", "收款通知", "收钱码收款"]

    /// The rules in force. An amount is read only when exactly one rule reads exactly one amount,
    /// and no other amount stands in the title or the text.
    public static let all: [NotificationRule] = [
        NotificationRule(
            wallet: .wechat, titles: wechatTitles, pattern: #"(?:\[\d+条\]微信支付: ?)?微信支付收款[ \t]*"# + amount,
            examples: [("微信支付收款1.17元(朋友到店)", "1.17"), ("[3条]微信支付: 微信支付收款0.50元", "0.50")]),
        NotificationRule(
            wallet: .alipay, titles: alipayTitles, pattern: #"(?:支付宝)?成功收款[ \t]*"# + amount,
            examples: [("成功收款0.01元。享免费提现等更多专属服务，点击查看", "0.01"), ("支付宝成功收款0.01元", "0.01")]),
        NotificationRule(
            wallet: .alipay, titles: alipayTitles, pattern: #"[^\s:：]{1,30}通过扫码向你付款[ \t]*"# + amount,
            examples: [("某某通过扫码向你付款0.01元", "0.01")]),
    ]

    /// The wallet apps' package names, as SmsForwarder sends them in `from`.
    public static let walletApps: [String: PayType] = [
        "com.tencent.mm": .wechat, "com.eg.android.AlipayGphone": .alipay,
    ]
}
