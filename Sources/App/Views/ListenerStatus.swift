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

    /// "12 s ago", "5 min ago", or "never", in `language`.
    func lastSeenText(_ strings: Strings, _ language: Language) -> String {
        Self.lastSeenText(lastSeenAt, now: now, strings, language)
    }

    /// How long before `now` `lastSeenAt` was, in `language`.
    static func lastSeenText(_ lastSeenAt: Date?, now: Date, _ strings: Strings, _ language: Language) -> String {
        guard let lastSeenAt else { return strings.text("admin.never", in: language) }
        let seconds = max(0, Int(now.timeIntervalSince(lastSeenAt)))
        let (key, count) =
            seconds < 120
            ? ("admin.secondsAgo", seconds)
            : seconds < 7200 ? ("admin.minutesAgo", seconds / 60) : ("admin.hoursAgo", seconds / 3600)
        return strings.text(key, in: language, ["n": "\(count)"])
    }
}
