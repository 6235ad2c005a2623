public import Foundation
public import GRDB

/// A forwarded notification the store could not read with certainty, kept with its raw text
/// until the seller turns it into a payment or puts it aside.
public struct ListenerNotification: Codable, Sendable, Equatable, Identifiable {
    /// Why it was not read as a payment.
    public enum Reason: String, Codable, Sendable, CaseIterable {
        /// No amount a rule knows.
        case noAmount
        /// More than one amount that could be the payment (a daily total beside it).
        case severalAmounts
        /// Sent by an app that is not a wallet.
        case notAWallet
        /// Neither the app nor the title says which wallet.
        case noWallet
        /// Its timestamp and sign were already used by another request: it may be forged.
        case reusedSign
    }

    public var id: Int64?
    public var channelId: Int64
    /// The sending app's package, as forwarded ("" when the template sent none).
    public var app: String
    public var title: String
    public var content: String
    public var reason: Reason
    public var receivedAt: Date
    /// The payment the seller made of it.
    public var paymentId: Int64?
    public var dismissedAt: Date?

    public init(
        channelId: Int64, app: String, title: String, content: String, reason: Reason, receivedAt: Date
    ) {
        self.channelId = channelId
        self.app = app
        self.title = title
        self.content = content
        self.reason = reason
        self.receivedAt = receivedAt
    }

    /// Still waiting for the seller.
    public var isOpen: Bool { paymentId == nil && dismissedAt == nil }
}

extension ListenerNotification: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "listenerNotification"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
