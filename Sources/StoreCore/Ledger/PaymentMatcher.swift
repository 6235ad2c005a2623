public import Foundation
import GRDB

/// A verified listener report: which channel's listener (the one whose secret signed it), which
/// wallet, how much, and the request as received.
public struct ListenerPush: Sendable {
    public var channelId: Int64
    public var type: PayType
    public var amount: Money
    public var rawAmount: String
    public var source: Payment.Source
    /// The request with its signature left out.
    public var rawRequest: String
    public var remoteAddress: String?
    /// What makes this push unique for replay protection (protocol B's `t|type|price`), if anything.
    public var replayKey: String?
    /// More keys this push uses up with its replay key, whether or not they were seen (SmsForwarder's
    /// timestamp, which its sign covers, beside the content's hash).
    public var alsoSeen: [String]

    public init(
        channelId: Int64 = 1, type: PayType, amount: Money, rawAmount: String, source: Payment.Source,
        rawRequest: String, remoteAddress: String?, replayKey: String? = nil, alsoSeen: [String] = []
    ) {
        self.alsoSeen = alsoSeen
        self.channelId = channelId
        self.type = type
        self.amount = amount
        self.rawAmount = rawAmount
        self.source = source
        self.rawRequest = rawRequest
        self.remoteAddress = remoteAddress
        self.replayKey = replayKey
    }
}

/// What became of a push.
public enum PushResult: Sendable, Equatable {
    /// Stored, with its outcome.
    case recorded(Payment)
    /// The same replay key was already received: nothing is stored.
    case replay
}

/// Matches received money to the one order holding its (channel, type, amount) slot.
public struct PaymentMatcher: Sendable {
    let database: AppDatabase
    let holding: SlotHolding
    let clock: any StoreClock

    public init(database: AppDatabase, holding: SlotHolding = SlotHolding(), clock: any StoreClock = SystemClock()) {
        self.database = database
        self.holding = holding
        self.clock = clock
    }

    /// Stores the push with its replay key and matches it, in one transaction that is durable on
    /// disk before this returns: the pending order holding the slot is paid; a slot held by an
    /// order paid within the duplicate window makes it a duplicate; an order in its late grace
    /// is paid late; anything else is unmatched. Should matching fail, the payment is still
    /// stored, as `received`, for the seller.
    public func record(_ push: ListenerPush) async throws -> PushResult {
        try await database.writer.write { [clock] db in
            // The time is read inside the writer: a purchase that ran first, and freed a slot as
            // stale, can never be followed by a push that judges the slot with an older time.
            // Cached statements and dates as text: every push runs this inside the one writer.
            let now = clock.now(), nowText = DatabaseTime.text(now)
            if let key = push.replayKey {
                try db.cachedStatement(sql: "DELETE FROM listenerNonce WHERE seenAt < ?")
                    .execute(arguments: [DatabaseTime.text(now.addingTimeInterval(-holding.replayMemory))])
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO listenerNonce (key, seenAt) VALUES (?, ?)")
                    .execute(arguments: ["\(push.channelId)|\(key)", nowText])
                guard db.changesCount == 1 else { return .replay }
                for other in push.alsoSeen {
                    try db.cachedStatement(sql: "INSERT OR IGNORE INTO listenerNonce (key, seenAt) VALUES (?, ?)")
                        .execute(arguments: ["\(push.channelId)|\(other)", nowText])
                }
            }
            var payment = Payment(
                channelId: push.channelId, type: push.type, amountFen: push.amount.fen, rawAmount: push.rawAmount,
                source: push.source, rawRequest: push.rawRequest, remoteAddress: push.remoteAddress, receivedAt: now,
                outcome: .received)
            try db.cachedStatement(
                sql: """
                    INSERT INTO payment (channelId, type, amountFen, rawAmount, source, rawRequest, remoteAddress,
                        receivedAt, outcome, flagged)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', 0)
                    """
            ).execute(arguments: [
                push.channelId, push.type.rawValue, push.amount.fen, push.rawAmount, push.source.rawValue,
                push.rawRequest, push.remoteAddress, nowText,
            ])
            payment.id = db.lastInsertedRowID
            // A push is its channel's sign of life too.
            try db.cachedStatement(sql: "UPDATE channel SET lastSeenAt = ? WHERE id = ?")
                .execute(arguments: [nowText, push.channelId])
            do {
                try db.inSavepoint {
                    try match(&payment, db, now: now, nowText: nowText)
                    try db.cachedStatement(sql: "UPDATE payment SET outcome = ?, orderId = ? WHERE id = ?")
                        .execute(arguments: [payment.outcome.rawValue, payment.orderId, payment.id])
                    return .commit
                }
            } catch {
                payment.outcome = .received
                payment.orderId = nil
            }
            return .recorded(payment)
        }
    }

    private func match(_ payment: inout Payment, _ db: Database, now: Date, nowText: String) throws {
        let holder = try Order.fetchOne(
            db.cachedStatement(sql: Self.holderQuery),
            arguments: [payment.channelId, payment.type.rawValue, payment.amountFen, nowText])
        guard let holder else {
            payment.outcome = .unmatched
            return
        }
        payment.orderId = holder.id
        switch holder.status(at: now) {
        case .pending:
            payment.outcome = .matched
        case .paid:
            payment.outcome = .duplicate
            return
        case .expired, .closed:
            payment.outcome = .late
        }
        guard
            try Self.markPaid(
                db, orderId: holder.id, from: holder.status, late: payment.outcome == .late, now: now,
                holdUntil: now.addingTimeInterval(holding.duplicateWindow), extendOnly: false)
        else {
            payment.outcome = .unmatched
            payment.orderId = nil
            return
        }
    }

    /// The order holding a slot. `holdsSlot AND …`, not `holdsSlot = 1`, so that SQLite uses the
    /// partial unique index instead of scanning every order ever made.
    static let holderQuery =
        #"""
        SELECT * FROM "order" WHERE holdsSlot AND channelId = ? AND type = ? AND amountFen = ? AND slotReleaseAt > ?
        """#

    /// `from → paid` once: false when the order was not in state `from` any more. A slot still
    /// held stays held until `holdUntil` (or, with `extendOnly`, at least until then), so a repeat
    /// of the push cannot pay another order.
    static func markPaid(
        _ db: Database, orderId: String, from: Order.Status, late: Bool, now: Date, holdUntil: Date,
        extendOnly: Bool
    ) throws -> Bool {
        let release = extendOnly ? "MAX(slotReleaseAt, ?)" : "?"
        try db.cachedStatement(
            sql: """
                UPDATE "order" SET status = 'paid', paidAt = ?, paidLate = ?,
                    slotReleaseAt = CASE WHEN holdsSlot THEN \(release) ELSE slotReleaseAt END
                WHERE id = ? AND status = ?
                """
        ).execute(arguments: [DatabaseTime.text(now), late, DatabaseTime.text(holdUntil), orderId, from.rawValue])
        guard db.changesCount == 1 else { return false }
        // A reserved key is the order's for good once it is paid.
        try db.cachedStatement(sql: "UPDATE cardKey SET soldAt = ? WHERE orderId = ? AND soldAt IS NULL")
            .execute(arguments: [DatabaseTime.text(now), orderId])
        try AppDatabase.queueOrderEmail(db, orderId: orderId, now: now)
        try AppDatabase.queueMerchantNotification(db, orderId: orderId, now: now)
        return true
    }
}
