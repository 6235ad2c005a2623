import Foundation
import StoreCore

/// Counts failures per address (wrong passwords, bad signatures, bad tokens): after
/// `maxFailures` within `window`, that address must wait until the window since its first
/// counted failure has passed. At most `capacity` addresses are remembered, so a flood from
/// many addresses cannot grow it without bound: the one heard from least recently is forgotten.
actor FailureThrottle {
    let maxFailures: Int
    let window: TimeInterval
    let capacity: Int
    private let clock: any StoreClock
    private var failures: [String: [Date]] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 15 * 60, capacity: Int = 10_000, clock: any StoreClock) {
        self.maxFailures = maxFailures
        self.window = window
        self.capacity = capacity
        self.clock = clock
    }

    /// How many addresses are remembered now.
    var count: Int { failures.count }

    /// Seconds `address` must still wait, or nil when it may try.
    func retryAfter(for address: String) -> Int? {
        let now = clock.now()
        let recent = prune(address, now: now)
        guard recent.count >= maxFailures, let first = recent.first else { return nil }
        return max(1, Int((first.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    func recordFailure(for address: String) {
        let now = clock.now()
        var recent = prune(address, now: now)
        recent.append(now)
        // Only the latest `maxFailures` matter for the wait.
        failures[address] = Array(recent.suffix(maxFailures))
        if failures.count > capacity { evict(now: now) }
    }

    func recordSuccess(for address: String) {
        failures[address] = nil
    }

    private func prune(_ address: String, now: Date) -> [Date] {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[address] = recent.isEmpty ? nil : recent
        return recent
    }

    /// Drops what has aged out, then the addresses last heard from longest ago, to a tenth below capacity.
    private func evict(now: Date) {
        failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
        guard failures.count > capacity else { return }
        let keep = capacity - capacity / 10
        let newest = failures.sorted { ($0.value.last ?? .distantPast) > ($1.value.last ?? .distantPast) }.prefix(keep)
        failures = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}
