public import Configuration
public import Mail

/// The mail server and the sender address of the store's emails.
public struct MailSettings: Sendable, Equatable {
    public var smtp: SMTPSettings
    /// `mail.from`: `shop@example.com` or `小店 <shop@example.com>`.
    public var from: String

    public init(smtp: SMTPSettings, from: String) {
        self.smtp = smtp
        self.from = from
    }

    /// The `mail.*` keys, or nil without a `host`. The port defaults by security (587, 465, 25);
    /// a password is never sent unencrypted, and a sender is needed.
    init?(
        host: String?, reader: ConfigReader, optional: (String) -> String?,
        int: (String, Int) throws(ConfigurationError) -> Int
    ) throws(ConfigurationError) {
        guard let host else { return nil }
        let securityName = optional("mail.security") ?? "starttls"
        guard let security = SMTPSettings.Security(rawValue: securityName) else {
            throw ConfigurationError(
                key: "mail.security", problem: "must be starttls, tls or none, not \(securityName)")
        }
        let port: Int
        if optional("mail.port") != nil {
            port = try int("mail.port", 1)
        } else {
            port =
                switch security {
                case .starttls: 587
                case .tls: 465
                case .none: 25
                }
        }
        guard let from = optional("mail.from") else {
            throw ConfigurationError(key: "mail.from", problem: "is needed with mail.host: the emails' sender address")
        }
        guard MailMessage.isDeliverable(MailMessage.bareAddress(of: from)) else {
            throw ConfigurationError(key: "mail.from", problem: "must be an address like shop@example.com, not \(from)")
        }
        let username = optional("mail.username")
        if username != nil, security == .none {
            throw ConfigurationError(
                key: "mail.username",
                problem: "needs mail.security starttls or tls: a password is never sent unencrypted")
        }
        self.init(
            smtp: SMTPSettings(
                host: host, port: port, security: security, username: username, password: optional("mail.password"),
                caFile: optional("mail.caFile")),
            from: from)
    }
}
