import GRDB

/// What the seller sets on the settings page. Each field, once saved, replaces the
/// configuration's value (`site.name`, `site.notice`, `discount.max`, `order.ttl`); nil means
/// never saved. An empty name or notice is a choice too: no name (the default), no notice.
public struct ShopSettings: Sendable, Equatable {
    public var name: String?
    public var notice: String?
    public var discountMax: Money?
    /// Seconds an order waits for payment.
    public var orderTTL: Int?

    public init(name: String? = nil, notice: String? = nil, discountMax: Money? = nil, orderTTL: Int? = nil) {
        self.name = name
        self.notice = notice
        self.discountMax = discountMax
        self.orderTTL = orderTTL
    }

    /// The longest name and notice, in characters.
    public static let maxNameLength = 60
    public static let maxNoticeLength = 1000
    /// The shortest and longest order lifetimes a seller may choose, in seconds.
    public static let orderTTLRange = 60...3600

    /// The first problem with these values, nil when they can be saved.
    public var problem: InvalidShopSettings? {
        if let name, name.count > Self.maxNameLength { return .nameTooLong }
        if let notice, notice.count > Self.maxNoticeLength { return .noticeTooLong }
        if let discountMax, !(0...99).contains(discountMax.fen) { return .badDiscount }
        if let orderTTL, !Self.orderTTLRange.contains(orderTTL) { return .badOrderTTL }
        return nil
    }

    /// The keys of the `setting` table, the configuration keys they replace.
    fileprivate enum Key: String, CaseIterable {
        case name = "site.name", notice = "site.notice", discountMax = "discount.max", orderTTL = "order.ttl"
    }
}

/// Why settings cannot be saved; the raw value names the seller's message in the language
/// tables (`settingsProblems.…`).
public enum InvalidShopSettings: String, Error, Equatable, CaseIterable {
    case nameTooLong, noticeTooLong, badDiscount, badOrderTTL
}

extension AppDatabase {
    /// The settings the seller saved.
    public func shopSettings() async throws -> ShopSettings {
        try await reader.read { db in
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT key, value FROM setting WHERE key IN ('site.name', 'site.notice', 'discount.max', 'order.ttl')"
            )
            var settings = ShopSettings()
            for row in rows {
                let value: String = row["value"]
                switch ShopSettings.Key(rawValue: row["key"]) {
                case .name: settings.name = value
                case .notice: settings.notice = value
                case .discountMax: settings.discountMax = Money(parsing: value)
                case .orderTTL: settings.orderTTL = Int(value)
                case nil: break
                }
            }
            return settings
        }
    }

    /// Saves every field that is set, in one transaction.
    public func saveShopSettings(_ settings: ShopSettings) async throws {
        if let problem = settings.problem { throw problem }
        try await writer.write { db in
            let values: [(ShopSettings.Key, String?)] = [
                (.name, settings.name), (.notice, settings.notice), (.discountMax, settings.discountMax?.description),
                (.orderTTL, settings.orderTTL.map(String.init)),
            ]
            for case let (key, value?) in values {
                try db.execute(
                    sql:
                        "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [key.rawValue, value])
            }
        }
    }
}
