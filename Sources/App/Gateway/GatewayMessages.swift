/// The messages both merchant protocols answer in the peers' language (their clients show them
/// to the seller as they are).
enum GatewayMessages {
    /// Why a notify URL was refused, naming the field it came in.
    static func notifyRefused(_ refusal: NotifyAddressPolicy.Refusal, field: String) -> String {
        switch refusal {
        case .notWebAddress: "异步通知地址(\(field))必须是 http 或 https 地址"
        case .hostNotAllowed(let host): "异步通知地址(\(field))的域名 \(host) 不在商户允许的通知域名中"
        case .privateAddress(let host):
            "异步通知地址(\(field))指向内网或本机地址 \(host)，不允许 (gateway.allowPrivateNotifyUrls)"
        }
    }

    static let busy = "订单超出负荷，请稍后重试"
    static let notStocked = "没有可用的收款码，请商户先上传收款码"
    static let noOnlineListener = "监控端状态异常，请检查"

    static func tooManyBadSignatures(_ seconds: Int) -> String { "签名错误次数过多，请 \(seconds) 秒后再试" }
}
