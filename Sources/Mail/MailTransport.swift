/// Hands a message to a mail server; the outbox retries what it throws.
public protocol MailTransport: Sendable {
    /// Delivers `message`, or throws why it was not accepted.
    func send(_ message: MailMessage) async throws
}

/// Why a mail server did not take a message.
public enum MailError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached, or the connection broke or timed out.
    case connection(String)
    /// The server answered `code` where another answer was needed, during `step`.
    case refused(step: String, code: Int, text: String)
    /// The server's answer was not SMTP.
    case malformedReply
    /// STARTTLS was asked for but the server does not offer it.
    case noStartTLS
    /// The server offers neither AUTH PLAIN nor AUTH LOGIN.
    case noSupportedAuth
    /// An address that cannot go into a command: spaces, controls, brackets, no domain.
    case badAddress(String)

    public var description: String {
        switch self {
        case .connection(let detail): "connection: \(detail)"
        case .refused(let step, let code, let text): "\(step): \(code) \(text)"
        case .malformedReply: "the server's answer is not SMTP"
        case .noStartTLS: "the server does not offer STARTTLS"
        case .noSupportedAuth: "the server offers neither AUTH PLAIN nor AUTH LOGIN"
        case .badAddress(let address): "not a deliverable address: \(address.debugDescription)"
        }
    }
}
