public import Foundation
public import StoreCore
import Synchronization

/// A clock that stands still until a test moves it, so tests pass time without sleeping.
public final class ManualClock: StoreClock {
    private let current: Mutex<Date>

    /// Starts at `start`, by default the current whole second (the database keeps milliseconds,
    /// so whole seconds read back exactly).
    public init(_ start: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
