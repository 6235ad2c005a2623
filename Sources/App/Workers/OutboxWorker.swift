import Foundation
import Logging
import Mail
import ServiceLifecycle
import StoreCore

/// Delivers the outbox's due messages beside the HTTP server, emails and merchant
/// notifications: each attempt is recorded, a failed one is retried on the schedule, and what is
/// pending when the server stops is delivered after the next start. An email is composed once,
/// at its first attempt; a notification's signed URL was fixed when its order was paid.
struct OutboxWorker: Service {
    let services: AppServices
    /// How emails go out; without it no email is queued.
    let mailer: Mailer?
    let logger: Logger
    /// The longest sleep between looks at the outbox.
    var interval: Duration = .seconds(1)

    func run() async throws {
        let client = MerchantNotifier.makeClient()
        let notifier = MerchantNotifier(client: client, policy: services.notifyPolicy)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await deliverDue(notifier: notifier)
                    await services.outboxBell.wait(upTo: try await pause())
                } catch {
                    logger.error("the outbox failed: \(error)")
                    try? await Task.sleep(for: interval)
                }
            }
        }
        try? await client.shutdown()
    }

    /// The messages this worker delivers: emails only when mail is set up (without it, emails
    /// left from before wait, and hold nothing up).
    private var kinds: Set<OutboxMessage.Kind> {
        mailer == nil ? [.merchantNotify] : OutboxMessage.Kind.all
    }

    /// Makes one attempt at every message due now: notifications several at once (one slow
    /// merchant does not hold up the others), emails one after the other (a mail server may
    /// take one session at a time); returns how many were attempted.
    @discardableResult
    func deliverDue(notifier: MerchantNotifier? = nil) async throws -> Int {
        let due = try await services.database.dueOutboxMessages(now: services.clock.now(), kinds: kinds)
        let emails = due.filter { $0.kind != .merchantNotify }
        await withTaskGroup(of: Void.self) { group in
            for message in due where message.kind == .merchantNotify {
                group.addTask { await attemptLogged(message, notifier: notifier) }
            }
            group.addTask {
                for message in emails { await attemptLogged(message, notifier: notifier) }
            }
        }
        return due.count
    }

    /// One attempt; a message the database cannot record does not hold up the others.
    private func attemptLogged(_ message: OutboxMessage, notifier: MerchantNotifier?) async {
        do {
            try await attempt(message, notifier: notifier)
        } catch {
            logger.error("outbox message \(message.id ?? 0): \(error)")
        }
    }

    private func attempt(_ message: OutboxMessage, notifier: MerchantNotifier?) async throws {
        guard let id = message.id else { return }
        if message.kind == .merchantNotify {
            if let notifier { try await notify(message, id: id, notifier: notifier) }
            return
        }
        guard let mailer else { return }
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

    /// One GET of a merchant notification's signed URL, judged by its protocol's success word.
    private func notify(_ message: OutboxMessage, id: Int64, notifier: MerchantNotifier) async throws {
        guard let orderId = message.orderId,
            let merchantOrder = try await services.database.merchantOrder(orderId: orderId)
        else {
            try await services.database.recordOutboxAttempt(
                id: id, succeeded: false, detail: "the order is gone", now: services.clock.now(),
                schedule: RetrySchedule(delays: []))
            return
        }
        let outcome = await notifier.deliver(message.recipient, gateway: merchantOrder.gateway)
        let updated = try await services.database.recordOutboxAttempt(
            id: id, succeeded: outcome.delivered, detail: outcome.detail, status: outcome.status,
            now: services.clock.now(), schedule: services.configuration.outboxRetrySchedule)
        if outcome.delivered {
            logger.info("notification \(id) of order \(orderId) delivered")
        } else {
            logger.warning(
                "notification \(id) of order \(orderId) attempt \(updated?.attempts ?? 0) failed: \(outcome.status.map(String.init) ?? "-") \(outcome.detail.prefix(200))"
            )
        }
    }

    /// Until the next message is due, between 10 ms and `interval`.
    private func pause() async throws -> Duration {
        guard let next = try await services.database.nextOutboxAttempt(kinds: kinds) else { return interval }
        let seconds = next.timeIntervalSince(services.clock.now())
        return min(interval, max(.milliseconds(10), .milliseconds(Int(seconds * 1000) + 5)))
    }
}
