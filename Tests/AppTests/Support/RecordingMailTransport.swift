import Mail

/// A mail transport that keeps what it is given, refusing the first `failures` sends the way a
/// mail server says "try again later"; the real SMTP path is tested against a real server.
actor RecordingMailTransport: MailTransport {
    private(set) var sent: [MailMessage] = []
    private(set) var tries = 0
    private var failures: Int

    init(failures: Int = 0) { self.failures = failures }

    func send(_ message: MailMessage) async throws {
        tries += 1
        if failures > 0 {
            failures -= 1
            throw MailError.refused(step: "RCPT TO", code: 451, text: "try again later")
        }
        sent.append(message)
    }
}
