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
        case .unresolvable(let host): "异步通知地址(\(field))的域名 \(host) 无法解析"
        }
    }

    /// The longest `param`, `name` or `sitename` a merchant may send, in characters.
    static let maxParamLength = 1000

    static let busy = "订单超出负荷，请稍后重试"
    static let notStocked = "没有可用的收款码，请商户先上传收款码"
    static let noOnlineListener = "监控端状态异常，请检查"

    /// Too many bad signatures or unknown order numbers from one address.
    static func tooManyBadSignatures(_ seconds: Int) -> String { "错误请求过多（签名错误或订单号不存在），请 \(seconds) 秒后再试" }
}
