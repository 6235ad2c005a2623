import Foundation
import Logging
import ServiceLifecycle
import StoreCore

/// Expires orders and frees slots as time passes, every second, so that waiting buyers hear of
/// expiry at once and not only on the next request.
struct OrderExpiryService: Service {
    let database: AppDatabase
    let watch: OrderWatch
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                do {
                    let expired = try database.sweepOrders()
                    if !expired.isEmpty { await watch.notify(expired) }
                } catch {
                    logger.error("sweeping orders failed: \(error)")
                }
            }
        }
    }
}
