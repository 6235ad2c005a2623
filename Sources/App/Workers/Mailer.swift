public import Mail

/// How the store sends email: the sender and the transport (SMTP, or a test's).
public struct Mailer: Sendable {
    public let from: String
    public let transport: any MailTransport

    public init(from: String, transport: any MailTransport) {
        self.from = from
        self.transport = transport
    }

    /// The sender's domain, for message ids.
    var domain: String {
        MailMessage.bareAddress(of: from).split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
