import StoreCore
import Synchronization

/// A setting in force that the seller may change while the server runs (the shop's name and
/// announcement, the discount and order lifetime): read by every request, replaced on save.
final class LiveSetting<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    var current: Value { value.withLock { $0 } }

    func replace(with new: Value) { value.withLock { $0 = new } }
}

/// The shop's name and announcement in force: `site.name`, `site.notice`, or what was saved.
struct SiteIdentity: Sendable, Equatable {
    var name: String?
    var notice: String?
}

/// The discount and the order lifetime in force: `discount.max`, `order.ttl`, or what was saved.
struct OrderRules: Sendable, Equatable {
    var discountMax: Money
    var orderTTL: Int
}
