import Foundation
import StoreCore

/// Whether a listener app is reporting (one channel's, or any channel's): online while it was
/// heard from within `listener.offlineAfter` seconds.
struct ListenerStatus: Encodable {
    let online: Bool
    let lastSeenAt: Date?

    private enum CodingKeys: String, CodingKey { case online, lastSeenAt }

    let now: Date

    /// Any channel's listener: the one heard from last.
    init(services: AppServices) async throws {
        self.init(lastSeenAt: try await services.database.listenerLastSeen(), services: services)
    }

    /// A listener last heard from at `lastSeenAt`, judged now.
    init(lastSeenAt: Date?, services: AppServices) {
        let now = services.clock.now()
        self.now = now
        self.lastSeenAt = lastSeenAt
        online =
            lastSeenAt.map { now.timeIntervalSince($0) <= TimeInterval(services.configuration.listenerOfflineAfter) }
            ?? false
    }

    /// "12 s ago", "5 min ago", or "never", in `language`.
    func lastSeenText(_ strings: Strings, _ language: Language) -> String {
        guard let lastSeenAt else { return strings.text("admin.never", in: language) }
        let seconds = max(0, Int(now.timeIntervalSince(lastSeenAt)))
        let (key, count) =
            seconds < 120
            ? ("admin.secondsAgo", seconds)
            : seconds < 7200 ? ("admin.minutesAgo", seconds / 60) : ("admin.hoursAgo", seconds / 3600)
        return strings.text(key, in: language, ["n": "\(count)"])
    }
}
