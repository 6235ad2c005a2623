import Foundation
import Logging
import ServiceLifecycle
import StoreCore

/// Writes what time does to orders: it expires pending orders the moment their lifetime ends
/// (sleeping until the next one is due, at most `interval`) and frees slots past their release,
/// and wakes the buyers waiting on the orders that expired.
struct OrderExpiryService: Service {
    let database: AppDatabase
    let watch: OrderWatch
    let clock: any StoreClock
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let expired = try await database.sweepOrders(now: clock.now())
                    if !expired.isEmpty { await watch.notify(expired) }
                    try? await Task.sleep(for: try await pause())
                } catch {
                    logger.error("sweeping orders failed: \(error)")
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    /// Until the next pending order expires, between 10 ms and `interval`.
    private func pause() async throws -> Duration {
        guard let next = try await database.nextExpiry() else { return interval }
        let seconds = next.timeIntervalSince(clock.now())
        return min(interval, max(.milliseconds(10), .milliseconds(Int(seconds * 1000) + 5)))
    }
}
