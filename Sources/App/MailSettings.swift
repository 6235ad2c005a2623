import Configuration
import Foundation
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
    /// The EHLO name is the store's public host (`baseURL`), else the sender's domain.
    init?(
        host: String?, baseURL: String?, optional: (String) -> String?,
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
        let heloName =
            baseURL.flatMap { URL(string: $0)?.host }
            ?? MailMessage.bareAddress(of: from).split(separator: "@").last.map(String.init) ?? "localhost"
        self.init(
            smtp: SMTPSettings(
                host: host, port: port, security: security, username: username, password: optional("mail.password"),
                caFile: optional("mail.caFile"), heloName: heloName),
            from: from)
    }
}
