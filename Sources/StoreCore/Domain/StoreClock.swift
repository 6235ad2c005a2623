public import Foundation

/// Where the store reads the time: the system clock in production, a clock that tests move.
public protocol StoreClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: StoreClock {
    public init() {}

    public func now() -> Date { Date() }
}
