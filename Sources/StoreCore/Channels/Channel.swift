public import Foundation
public import GRDB

/// One payee (收款通道): a WeChat and/or Alipay account on one phone, whose listener app
/// reports what that account receives. Each channel holds its own (type, amount) slots.
public struct Channel: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64?
    public var name: String
    /// A disabled channel gets no new orders; its pushes still land.
    public var enabled: Bool
    /// What the channel's listener signs with; unique across channels.
    public var secret: String
    /// Its listener's last heartbeat, configuration call or push.
    public var lastSeenAt: Date?
    public var createdAt: Date

    /// The shortest secret a seller may choose.
    public static let minimumSecretLength = 16
    /// The longest name, in characters.
    public static let maxNameLength = 60
}

extension Channel: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "channel"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A channel with the codes it holds, for the seller's lists.
public struct ChannelSummary: Sendable, Equatable {
    public var channel: Channel
    /// Enabled fixed-amount codes per type.
    public var fixedCodes: [PayType: Int]
    /// Enabled generic codes per type.
    public var genericCodes: [PayType: Int]
}

/// Why a channel change was refused.
public enum ChannelError: Error, Equatable, CustomStringConvertible {
    case notFound
    case badName
    /// Shorter than `Channel.minimumSecretLength`, or with spaces, `/` or other than printable ASCII.
    case secretTooShort
    /// Another channel has it.
    case secretTaken
    /// It still has codes, or holds slots: disable it instead.
    case inUse
    /// Channel 1 is the store's first, whose secret `listener.secret` may set: it stays.
    case first

    public var description: String {
        switch self {
        case .notFound: "There is no such channel."
        case .badName: "A channel's name has 1 to \(Channel.maxNameLength) characters."
        case .secretTooShort:
            "A secret has at least \(Channel.minimumSecretLength) printable ASCII characters, without spaces or /."
        case .secretTaken: "Another channel has this secret."
        case .inUse: "The channel still has codes or holds orders' amounts: disable it instead."
        case .first: "Channel 1 is the store's first channel: turn it off instead."
        }
    }
}
