public import Foundation
public import GRDB

/// A message the store owes someone (emails to buyers, notifications to merchants), kept until
/// it is delivered or has failed every attempt of the retry schedule, across restarts.
public struct OutboxMessage: Codable, Sendable, Equatable, Identifiable {
    /// What the message is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A paid order's delivery, to the email the buyer gave.
        case orderEmail
        /// The links of an address's paid orders, asked for on `/orders`.
        case lookupEmail
        /// A paid merchant order's notification: a GET of the signed URL in `recipient`.
        case merchantNotify

        public static let all = Set(allCases)
        public static let emails: Set<Kind> = [.orderEmail, .lookupEmail]
    }

    /// Waiting for an attempt, delivered, or given up after the whole schedule.
    public enum State: String, Codable, Sendable {
        case pending, sent, failed
    }

    public var id: Int64?
    public var kind: Kind
    /// The order it is about, for `orderEmail`.
    public var orderId: String?
    /// The email address it goes to; for `merchantNotify`, the whole signed URL.
    public var recipient: String
    /// The language it is written in (`zh-CN`, `en`); the site's when nil.
    public var language: String?
    /// Written at the first attempt and sent the same on every retry.
    public var subject: String?
    public var body: String?
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    public var nextAttemptAt: Date
    public var createdAt: Date
    /// When it was sent, or given up.
    public var finishedAt: Date?
}

extension OutboxMessage: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "outbox"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One try at delivering a message, kept for the seller.
public struct OutboxAttempt: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outboxAttempt"

    public var outboxId: Int64
    public var at: Date
    public var succeeded: Bool
    /// The server's answer or the error, at most 1 KB.
    public var detail: String
    /// The HTTP status a merchant's server answered, if it answered.
    public var status: Int?
}

/// The waits between attempts: after the first failure the first delay, and so on; once every
/// delay is used up, the message has failed.
public struct RetrySchedule: Sendable, Equatable {
    public var delays: [TimeInterval]

    /// 15 s, 1 min, 3 min, 10 min, 30 min, 1 h, 2 h, 6 h, 15 h.
    public static let standard = RetrySchedule(delays: [15, 60, 180, 600, 1800, 3600, 7200, 21600, 54000])

    public init(delays: [TimeInterval]) { self.delays = delays }

    /// The wait after `attempts` failed attempts, or nil when that was the last one.
    public func delay(afterFailedAttempts attempts: Int) -> TimeInterval? {
        attempts >= 1 && attempts <= delays.count ? delays[attempts - 1] : nil
    }
}
