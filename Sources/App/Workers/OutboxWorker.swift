import Foundation
import Logging
import Mail
import ServiceLifecycle
import StoreCore

/// Delivers the outbox's due emails beside the HTTP server: each attempt is recorded, a failed
/// one is retried on the schedule, and what is pending when the server stops is sent after the
/// next start. A message is composed once, at its first attempt.
struct OutboxWorker: Service {
    let services: AppServices
    let mailer: Mailer
    let logger: Logger
    /// The longest sleep between looks at the outbox.
    var interval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await deliverDue()
                    try? await Task.sleep(for: try await pause())
                } catch {
                    logger.error("the outbox failed: \(error)")
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    /// Makes one attempt at every message due now; returns how many were attempted.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await services.database.dueOutboxMessages(now: services.clock.now())
        for message in due where !Task.isCancelled {
            // One message the database cannot record does not hold up the others.
            do {
                try await attempt(message)
            } catch {
                logger.error("email \(message.id ?? 0): \(error)")
            }
        }
        return due.count
    }

    private func attempt(_ message: OutboxMessage) async throws {
        guard let id = message.id else { return }
        let schedule = services.configuration.outboxRetrySchedule
        // An address that cannot be a recipient (stored before the check existed) fails at once.
        guard MailMessage.isDeliverable(message.recipient) else {
            try await services.database.recordOutboxAttempt(
                id: id, succeeded: false, detail: "not a deliverable address", now: services.clock.now(),
                schedule: RetrySchedule(delays: []))
            return
        }
        let content: (subject: String, body: String)
        if let subject = message.subject, let body = message.body {
            content = (subject, body)
        } else if let composed = try await EmailComposer(services: services).compose(message) {
            content = try await services.database.fixOutboxContent(
                id: id, subject: composed.subject, body: composed.body)
        } else {
            // What it was about is gone (no paid order any more): nothing to send, and no retry.
            try await services.database.recordOutboxAttempt(
                id: id, succeeded: false, detail: "nothing to send", now: services.clock.now(),
                schedule: RetrySchedule(delays: []))
            return
        }
        let mail = MailMessage(
            from: mailer.from, to: message.recipient, subject: content.subject, body: content.body,
            date: services.clock.now(), messageID: "\(id).\(Nanoid.make())@\(mailer.domain)")
        do {
            try await mailer.transport.send(mail)
            try await services.database.recordOutboxAttempt(
                id: id, succeeded: true, detail: "sent", now: services.clock.now(), schedule: schedule)
            logger.info("email \(id) (\(message.kind.rawValue)) sent")
        } catch {
            let updated = try await services.database.recordOutboxAttempt(
                id: id, succeeded: false, detail: "\(error)", now: services.clock.now(), schedule: schedule)
            logger.warning(
                "email \(id) (\(message.kind.rawValue)) attempt \(updated?.attempts ?? 0) failed: \(error)")
        }
    }

    /// Until the next message is due, between 10 ms and `interval`.
    private func pause() async throws -> Duration {
        guard let next = try await services.database.nextOutboxAttempt() else { return interval }
        let seconds = next.timeIntervalSince(services.clock.now())
        return min(interval, max(.milliseconds(10), .milliseconds(Int(seconds * 1000) + 5)))
    }
}
