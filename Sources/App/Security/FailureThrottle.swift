import Foundation

/// Counts failures per address (wrong passwords, bad listener signatures): after `maxFailures`
/// within `window`, that address must wait until the window since its first counted failure has passed.
actor FailureThrottle {
    let maxFailures: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds `address` must still wait, or nil when it may try.
    func retryAfter(for address: String, now: Date = Date()) -> Int? {
        let recent = prune(address, now: now)
        guard recent.count >= maxFailures, let first = recent.first else { return nil }
        return max(1, Int((first.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    func recordFailure(for address: String, now: Date = Date()) {
        failures[address, default: []].append(now)
    }

    func recordSuccess(for address: String) {
        failures[address] = nil
    }

    private func prune(_ address: String, now: Date) -> [Date] {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[address] = recent.isEmpty ? nil : recent
        return recent
    }
}
