public import Foundation

/// How long slots stay held after their order ends.
public struct SlotHolding: Sendable {
    /// After payment: a repeat of the push inside this window is a duplicate.
    public var duplicateWindow: TimeInterval
    /// After expiry or close: a late payment is still the order's.
    public var lateGrace: TimeInterval
    /// Replay keys are kept this long (the clock check refuses older pushes anyway).
    public var replayMemory: TimeInterval

    public init(duplicateWindow: TimeInterval = 120, lateGrace: TimeInterval = 120, replayMemory: TimeInterval = 600) {
        self.duplicateWindow = duplicateWindow
        self.lateGrace = lateGrace
        self.replayMemory = replayMemory
    }
}
