import Synchronization

/// The shop's name and announcement in force: `site.name` and `site.notice`, until the seller
/// saves others on the settings page.
final class SiteIdentity: Sendable {
    struct Values: Sendable, Equatable {
        var name: String?
        var notice: String?
    }

    private let values: Mutex<Values>

    init(name: String?, notice: String?) {
        values = Mutex(Values(name: name, notice: notice))
    }

    var current: Values { values.withLock { $0 } }

    func replace(with new: Values) { values.withLock { $0 = new } }
}
