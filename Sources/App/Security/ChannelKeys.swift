import Foundation
import StoreCore
import Synchronization

/// Every channel's listener secret, kept in memory so that verifying a request costs no database
/// read; reloaded whenever a channel is added or its secret changes.
final class ChannelKeys: Sendable {
    /// One channel's secret.
    struct Key: Sendable, Equatable {
        let channelId: Int64
        let secret: String
    }

    private let keys: Mutex<[Key]>
    private let lastReload = Mutex(Date.distantPast)

    init(_ keys: [Key]) {
        self.keys = Mutex(keys)
    }

    /// Whether the keys were last read from the database long enough ago to read them again;
    /// when true, the caller reads them now.
    func mayReload(at now: Date, every interval: TimeInterval = 5) -> Bool {
        lastReload.withLock { last in
            guard now.timeIntervalSince(last) >= interval else { return false }
            last = now
            return true
        }
    }

    var all: [Key] { keys.withLock { $0 } }

    /// Replaces the keys with those of `channels`, disabled ones included (their pushes land).
    func replace(with channels: [Channel]) {
        let fresh = channels.compactMap { channel in channel.id.map { Key(channelId: $0, secret: channel.secret) } }
        keys.withLock { $0 = fresh }
    }

    /// The channel whose secret makes `expected` equal `sent`, comparing each in constant time;
    /// nil when none does.
    func channel(signing sent: String, _ expected: (ListenerSignature) -> String) -> Int64? {
        var found: Int64?
        // Every key is tried, found or not, so the time does not tell which channel matched.
        for key in all where ListenerSignature.matches(sent, expected(ListenerSignature(secret: key.secret))) {
            found = found ?? key.channelId
        }
        return found
    }
}
