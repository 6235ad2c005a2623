import Foundation
import StoreCore

/// An email or a merchant notification about an order, with its attempts, as the seller's
/// order page shows it.
struct OutboxRow {
    let id: Int64
    /// The email address, or the notification's signed URL.
    let recipient: String
    let state: String
    let stateText: String
    let attempts: Int
    let next: String?
    let log: [AttemptRow]
    let hasLog: Bool
    /// Sent or failed: the seller may send it again.
    let resendable: Bool

    /// One attempt: when, whether it went through, the HTTP status, and the server's answer.
    struct AttemptRow {
        let at: String
        let succeeded: Bool
        let status: String?
        let detail: String
    }

    init(_ message: OutboxMessage, _ attempts: [OutboxAttempt], _ context: AppRequestContext, _ services: AppServices) {
        let format = Date.FormatStyle(date: .abbreviated, time: .standard)
        id = message.id ?? 0
        recipient = message.recipient
        state = message.state.rawValue
        stateText = services.text("admin.emailState.\(message.state.rawValue)", context)
        self.attempts = message.attempts
        next = message.state == .pending ? message.nextAttemptAt.formatted(format) : nil
        log = attempts.map {
            AttemptRow(
                at: $0.at.formatted(format), succeeded: $0.succeeded, status: $0.status.map(String.init),
                detail: $0.detail)
        }
        hasLog = !log.isEmpty
        resendable = message.state != .pending
    }
}
