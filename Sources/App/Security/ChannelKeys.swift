import Foundation
import StoreCore
import Synchronization

/// Every channel's listener secret, kept in memory so that verifying a request costs no database
/// read. Read again whenever the seller changes a channel, and every few seconds while listeners
/// call, so that a secret changed from the command line replaces the old one within seconds.
final class ChannelKeys: Sendable {
    /// One channel's secret.
    struct Key: Sendable, Equatable {
        let channelId: Int64
        let secret: String
    }

    private struct State {
        var keys: [Key]
        /// Reloads are numbered when they start; one that read the database earlier never
        /// replaces what a later one read.
        var issued = 0
        var applied = 0
        var lastReload = Date.distantPast
    }

    private let state: Mutex<State>

    init(_ keys: [Key]) {
        state = Mutex(State(keys: keys))
    }

    var all: [Key] { state.withLock { $0.keys } }

    /// Whether the keys were last read at least `interval` before `now`.
    func isStale(at now: Date, interval: TimeInterval = 5) -> Bool {
        state.withLock { now.timeIntervalSince($0.lastReload) >= interval }
    }

    /// Starts a reload at `now`: read the channels after this, then `finishReload`.
    func beginReload(at now: Date) -> Int {
        state.withLock { state in
            state.issued += 1
            state.lastReload = now
            return state.issued
        }
    }

    /// Puts the keys of `channels` (disabled ones included: their pushes land) in force, unless a
    /// reload that started later already did.
    func finishReload(_ ticket: Int, with channels: [Channel]) {
        let fresh = channels.compactMap { channel in channel.id.map { Key(channelId: $0, secret: channel.secret) } }
        state.withLock { state in
            guard ticket > state.applied else { return }
            state.applied = ticket
            state.keys = fresh
        }
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
