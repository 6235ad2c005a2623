public import Foundation
import GRDB

extension AppDatabase {
    /// Queues the email of a paid order that has one, in the transaction that marks it paid.
    static func queueOrderEmail(_ db: Database, orderId: String, now: Date) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (kind, orderId, recipient, language, state, attempts, nextAttemptAt, createdAt)
                SELECT 'orderEmail', id, buyerEmail, language, 'pending', 0, ?1, ?1
                FROM "order" WHERE id = ?2 AND buyerEmail IS NOT NULL
                """
        ).execute(arguments: [DatabaseTime.text(now), orderId])
    }

    /// Queues an email of the links of `recipient`'s paid orders, unless it has none, or was sent
    /// one within `interval` (so the form cannot be used to flood a mailbox). True when queued.
    public func queueLookupEmail(
        recipient: String, language: String, now: Date, interval: TimeInterval = 600
    ) async throws -> Bool {
        try await writer.write { db in
            let paid = try Bool.fetchOne(
                db, sql: #"SELECT EXISTS (SELECT 1 FROM "order" WHERE buyerEmail = ? AND status = 'paid')"#,
                arguments: [recipient])
            let recent = try Bool.fetchOne(
                db,
                sql:
                    "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'lookupEmail' AND recipient = ? AND createdAt > ?)",
                arguments: [recipient, now.addingTimeInterval(-interval)])
            guard paid == true, recent != true else { return false }
            var message = OutboxMessage(
                kind: .lookupEmail, recipient: recipient, language: language, state: .pending, attempts: 0,
                nextAttemptAt: now, createdAt: now)
            try message.insert(db)
            return true
        }
    }

    /// Pending messages of `kinds` whose next attempt is due at `now`, oldest first.
    public func dueOutboxMessages(
        now: Date, kinds: Set<OutboxMessage.Kind> = OutboxMessage.Kind.all, limit: Int = 20
    ) async throws -> [OutboxMessage] {
        try await reader.read { db in
            try OutboxMessage.filter(Column("state") == OutboxMessage.State.pending.rawValue)
                .filter(Column("nextAttemptAt") <= now)
                .filter(kinds.map(\.rawValue).contains(Column("kind")))
                .order(Column("nextAttemptAt"), Column("id"))
                .limit(limit)
                .fetchAll(db)
        }
    }

    /// When the next pending message of `kinds` is due, if any is.
    public func nextOutboxAttempt(kinds: Set<OutboxMessage.Kind> = OutboxMessage.Kind.all) async throws -> Date? {
        try await reader.read { db in
            try OutboxMessage.filter(Column("state") == OutboxMessage.State.pending.rawValue)
                .filter(kinds.map(\.rawValue).contains(Column("kind")))
                .select(min(Column("nextAttemptAt")), as: Date?.self)
                .fetchOne(db) ?? nil
        }
    }

    /// Keeps the content of message `id`'s first attempt, which every retry sends again; returns
    /// the content in force (an earlier one, if it was already written).
    public func fixOutboxContent(
        id: Int64, subject: String, body: String
    ) async throws -> (subject: String, body: String) {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET subject = ?, body = ? WHERE id = ? AND subject IS NULL",
                arguments: [subject, body, id])
            let row = try Row.fetchOne(db, sql: "SELECT subject, body FROM outbox WHERE id = ?", arguments: [id])
            return (row?["subject"] ?? subject, row?["body"] ?? body)
        }
    }

    /// Records one attempt at message `id`: sent, or pending again after the schedule's next
    /// delay, or failed when the schedule is used up. Returns the message as it is now.
    @discardableResult
    public func recordOutboxAttempt(
        id: Int64, succeeded: Bool, detail: String, status: Int? = nil, now: Date, schedule: RetrySchedule
    ) async throws -> OutboxMessage? {
        try await writer.write { db in
            guard var message = try OutboxMessage.fetchOne(db, key: id), message.state == .pending else { return nil }
            try OutboxAttempt(
                outboxId: id, at: now, succeeded: succeeded, detail: Self.kilobyte(of: detail), status: status
            )
            .insert(db)
            message.attempts += 1
            if succeeded {
                message.state = .sent
                message.finishedAt = now
            } else if let delay = schedule.delay(afterFailedAttempts: message.attempts) {
                message.nextAttemptAt = now.addingTimeInterval(delay)
            } else {
                message.state = .failed
                message.finishedAt = now
            }
            try message.update(db)
            return message
        }
    }

    /// Sends message `id` again from the start of the schedule, with the content it had.
    public func resendOutboxMessage(id: Int64, orderId: String, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'pending', attempts = 0, nextAttemptAt = ?, finishedAt = NULL
                    WHERE id = ? AND orderId = ? AND state <> 'pending'
                    """,
                arguments: [now, id, orderId])
            return db.changesCount == 1
        }
    }

    /// Messages in `state` (all when nil), newest first, each with its last attempt.
    public func outboxOverview(
        state: OutboxMessage.State? = nil, limit: Int = 500
    ) async throws -> [(OutboxMessage, OutboxAttempt?)] {
        try await reader.read { db in
            var request = OutboxMessage.order(Column("id").desc).limit(limit)
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.fetchAll(db).map { message in
                let last = try OutboxAttempt.filter(Column("outboxId") == message.id)
                    .order(Column("at").desc).limit(1).fetchOne(db)
                return (message, last)
            }
        }
    }

    /// Message `id` goes out at `now`: a pending one keeps its count of attempts, a sent or failed
    /// one starts the schedule again. False when there is no such message.
    public func retryOutboxMessage(id: Int64, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END,
                        state = 'pending', nextAttemptAt = ?, finishedAt = NULL
                    WHERE id = ?
                    """,
                arguments: [now, id])
            return db.changesCount == 1
        }
    }

    /// The messages about order `id`, each with its attempts, oldest first.
    public func outboxMessages(orderId: String) async throws -> [(OutboxMessage, [OutboxAttempt])] {
        try await reader.read { db in
            let messages = try OutboxMessage.filter(Column("orderId") == orderId).order(Column("id")).fetchAll(db)
            return try messages.map { message in
                let attempts = try OutboxAttempt.filter(Column("outboxId") == message.id).order(Column("at"))
                    .fetchAll(db)
                return (message, attempts)
            }
        }
    }

    /// At most the first 1024 bytes of `text`, cut between characters.
    private static func kilobyte(of text: String) -> String {
        guard text.utf8.count > 1024 else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= 1024 else { break }
            cut.append(character)
        }
        return cut
    }
}
