import StoreCore
import Synchronization

/// The discount and the order lifetime in force: `discount.max` and `order.ttl`, until the seller
/// saves others on the settings page.
final class OrderRules: Sendable {
    struct Values: Sendable, Equatable {
        var discountMax: Money
        var orderTTL: Int
    }

    private let values: Mutex<Values>

    init(discountMax: Money, orderTTL: Int) {
        values = Mutex(Values(discountMax: discountMax, orderTTL: orderTTL))
    }

    var current: Values { values.withLock { $0 } }

    func replace(with new: Values) { values.withLock { $0 = new } }
}
