import Foundation
import StoreCore

/// Whether the seller's phone app is reporting: online while it was heard from within
/// `listener.offlineAfter` seconds.
struct ListenerStatus: Encodable {
    let online: Bool
    let lastSeenAt: Date?

    private enum CodingKeys: String, CodingKey { case online, lastSeenAt }

    let now: Date

    init(services: AppServices) async throws {
        let now = services.clock.now(), lastSeenAt = try await services.database.listenerLastSeen()
        self.now = now
        self.lastSeenAt = lastSeenAt
        online =
            lastSeenAt.map { now.timeIntervalSince($0) <= TimeInterval(services.configuration.listenerOfflineAfter) }
            ?? false
    }

    /// "12 s ago", "5 min ago", or "never".
    var lastSeenText: String {
        guard let lastSeenAt else { return "never" }
        let seconds = max(0, Int(now.timeIntervalSince(lastSeenAt)))
        if seconds < 120 { return "\(seconds) s ago" }
        if seconds < 7200 { return "\(seconds / 60) min ago" }
        return "\(seconds / 3600) h ago"
    }
}
