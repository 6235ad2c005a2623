/// One way a wallet app says "money received", kept as data: the pattern that finds the amount,
/// and the real notification texts it was written for, which the tests read back through it. A
/// new text from WeChat or Alipay is a new rule here, not a new app on the phone.
public struct NotificationRule: Sendable {
    public let wallet: PayType
    /// A regular expression whose first group is the amount, e.g. `1.17`.
    public let pattern: String
    /// Texts seen in the wild, with the amount each must read as.
    public let examples: [(text: String, amount: String)]

    /// The rules in force. An amount is read only when exactly one rule's pattern finds exactly
    /// one amount, and no other amount stands in the text.
    public static let all: [NotificationRule] = [
        NotificationRule(
            wallet: .wechat, pattern: #"微信支付收款\s*(\d+(?:\.\d{1,2})?)\s*元"#,
            examples: [("微信支付收款1.17元(朋友到店)", "1.17"), ("[3条]微信支付: 微信支付收款0.50元", "0.50")]),
        NotificationRule(
            wallet: .alipay, pattern: #"成功收款\s*(\d+(?:\.\d{1,2})?)\s*元"#,
            examples: [("成功收款0.01元。享免费提现等更多专属服务，点击查看", "0.01"), ("支付宝成功收款0.01元", "0.01")]),
        NotificationRule(
            wallet: .alipay, pattern: #"通过扫码向你付款\s*(\d+(?:\.\d{1,2})?)\s*元"#,
            examples: [("某某通过扫码向你付款0.01元", "0.01")]),
    ]

    /// Titles that name the wallet when the sender's package does not (a template without `from`).
    public static let walletTitles: [(title: String, wallet: PayType)] = [
        ("微信支付", .wechat), ("微信收款助手", .wechat), ("微信收款商业版", .wechat), ("支付宝", .alipay),
    ]

    /// The wallet apps' package names, as SmsForwarder sends them in `from`.
    public static let walletApps: [String: PayType] = [
        "com.tencent.mm": .wechat, "com.eg.android.AlipayGphone": .alipay,
    ]
}
