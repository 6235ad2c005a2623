public import Foundation
import GRDB

extension AppDatabase {
    /// Every merchant, by pid.
    public func merchants() async throws -> [Merchant] {
        try await reader.read { db in try Merchant.order(Column("pid")).fetchAll(db) }
    }

    /// The merchant with this pid, if any.
    public func merchant(pid: Int64) async throws -> Merchant? {
        try await reader.read { db in try Merchant.fetchOne(db, key: pid) }
    }

    /// Adds a merchant with the next pid (from 1001) and `key`, or 32 new random characters.
    public func createMerchant(
        name: String, key: String? = nil, notifyUrl: String? = nil, returnUrl: String? = nil,
        notifyHosts: [String] = [], now: Date
    ) async throws -> Merchant {
        let name = try Self.checkedMerchantName(name)
        let key = try key.map(Self.checkedMerchantKey) ?? Self.newListenerSecret()
        let notifyUrl = try Self.checkedWebAddress(notifyUrl), returnUrl = try Self.checkedWebAddress(returnUrl)
        let hosts = try Self.checkedHosts(notifyHosts)
        return try await writer.write { db in
            guard try Merchant.filter(Column("key") == key).isEmpty(db) else { throw MerchantError.keyTaken }
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(pid) FROM merchant") ?? (Merchant.firstPid - 1)
            let merchant = Merchant(
                pid: max(Merchant.firstPid, last + 1), name: name, key: key, enabled: true, notifyUrl: notifyUrl,
                returnUrl: returnUrl, notifyHosts: hosts, createdAt: now)
            try merchant.insert(db)
            return merchant
        }
    }

    /// The changes a seller makes to a merchant; nil leaves a field as it is, "" clears a URL.
    public struct MerchantChanges: Sendable {
        public var name: String?
        public var enabled: Bool?
        public var notifyUrl: String?
        public var returnUrl: String?
        public var notifyHosts: [String]?

        public init(
            name: String? = nil, enabled: Bool? = nil, notifyUrl: String? = nil, returnUrl: String? = nil,
            notifyHosts: [String]? = nil
        ) {
            self.name = name
            self.enabled = enabled
            self.notifyUrl = notifyUrl
            self.returnUrl = returnUrl
            self.notifyHosts = notifyHosts
        }
    }

    /// Applies `changes` to merchant `pid`.
    public func updateMerchant(pid: Int64, _ changes: MerchantChanges) async throws -> Merchant {
        let name = try changes.name.map(Self.checkedMerchantName)
        let notifyUrl = try changes.notifyUrl.map { try Self.checkedWebAddress($0) }
        let returnUrl = try changes.returnUrl.map { try Self.checkedWebAddress($0) }
        let hosts = try changes.notifyHosts.map(Self.checkedHosts)
        return try await writer.write { db in
            guard var merchant = try Merchant.fetchOne(db, key: pid) else { throw MerchantError.notFound }
            if let name { merchant.name = name }
            if let enabled = changes.enabled { merchant.enabled = enabled }
            if let notifyUrl { merchant.notifyUrl = notifyUrl }
            if let returnUrl { merchant.returnUrl = returnUrl }
            if let hosts { merchant.notifyHosts = hosts }
            try merchant.update(db)
            return merchant
        }
    }

    /// Gives merchant `pid` a new key: `key`, or 32 new random characters. Orders already paid
    /// keep the notification signed with the old one (a retry sends the same content).
    public func replaceMerchantKey(pid: Int64, with key: String? = nil) async throws -> String {
        let key = try key.map(Self.checkedMerchantKey) ?? Self.newListenerSecret()
        return try await writer.write { db in
            guard try Merchant.exists(db, key: pid) else { throw MerchantError.notFound }
            guard try Merchant.filter(Column("key") == key && Column("pid") != pid).isEmpty(db) else {
                throw MerchantError.keyTaken
            }
            try db.execute(sql: "UPDATE merchant SET key = ? WHERE pid = ?", arguments: [key, pid])
            return key
        }
    }

    /// The merchant order with the store's trade number `tradeNo`, and its order.
    public func gatewayOrder(tradeNo: String) async throws -> GatewayOrder? {
        try await reader.read { db in
            try MerchantOrder.filter(Column("tradeNo") == tradeNo).fetchOne(db).flatMap { try Self.joined($0, db) }
        }
    }

    /// Merchant `pid`'s order with its own number `outTradeNo`, and its order.
    public func gatewayOrder(pid: Int64, outTradeNo: String) async throws -> GatewayOrder? {
        try await reader.read { db in
            try MerchantOrder.filter(Column("pid") == pid && Column("outTradeNo") == outTradeNo).fetchOne(db)
                .flatMap { try Self.joined($0, db) }
        }
    }

    /// The merchant order of order `orderId`, if it is one.
    public func merchantOrder(orderId: String) async throws -> MerchantOrder? {
        try await reader.read { db in try MerchantOrder.fetchOne(db, key: orderId) }
    }

    /// Whether the notification of a paid merchant order was delivered: nil when it has none.
    public func notificationState(orderId: String) async throws -> OutboxMessage.State? {
        try await reader.read { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT state FROM outbox WHERE orderId = ? AND kind = 'merchantNotify' ORDER BY id DESC LIMIT 1"
                ), arguments: [orderId]
            ).flatMap(OutboxMessage.State.init)
        }
    }

    /// A merchant's paid orders: how many in all, and the money received today and the day before.
    public struct MerchantStats: Sendable, Equatable {
        public var paidOrders: Int
        public var incomeToday: Money
        public var incomeYesterday: Money
    }

    /// The stats of merchant `pid`, with "today" starting at `today` and the day before at `yesterday`.
    public func merchantStats(pid: Int64, today: Date, yesterday: Date) async throws -> MerchantStats {
        try await reader.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS paid,
                        COALESCE(SUM(CASE WHEN o.paidAt >= ?1 THEN o.amountFen END), 0) AS today,
                        COALESCE(SUM(CASE WHEN o.paidAt >= ?2 AND o.paidAt < ?1 THEN o.amountFen END), 0) AS yesterday
                    FROM merchantOrder m JOIN "order" o ON o.id = m.orderId
                    WHERE m.pid = ?3 AND o.status = 'paid'
                    """, arguments: [DatabaseTime.text(today), DatabaseTime.text(yesterday), pid])
            return MerchantStats(
                paidOrders: row?["paid"] ?? 0, incomeToday: Money(fen: row?["today"] ?? 0),
                incomeYesterday: Money(fen: row?["yesterday"] ?? 0))
        }
    }

    /// Queues the notification of a paid merchant order that has a notify URL, signed now with
    /// its merchant's key, in the transaction that marks it paid.
    static func queueMerchantNotification(_ db: Database, orderId: String, now: Date) throws {
        guard let merchantOrder = try MerchantOrder.fetchOne(db, key: orderId),
            let notifyUrl = merchantOrder.notifyUrl,
            let key = try String.fetchOne(
                db.cachedStatement(sql: "SELECT key FROM merchant WHERE pid = ?"), arguments: [merchantOrder.pid]),
            let amount = try Int.fetchOne(
                db.cachedStatement(sql: #"SELECT amountFen FROM "order" WHERE id = ?"#), arguments: [orderId])
        else { return }
        let url = MerchantCallback(merchantOrder: merchantOrder, amount: Money(fen: amount), key: key)
            .appended(to: notifyUrl)
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (kind, orderId, recipient, state, attempts, nextAttemptAt, createdAt)
                VALUES ('merchantNotify', ?1, ?2, 'pending', 0, ?3, ?3)
                """
        ).execute(arguments: [orderId, url, DatabaseTime.text(now)])
    }

    private static func joined(_ merchantOrder: MerchantOrder, _ db: Database) throws -> GatewayOrder? {
        try Order.fetchOne(db, key: merchantOrder.orderId).map {
            GatewayOrder(order: $0, merchantOrder: merchantOrder)
        }
    }

    private static func checkedMerchantName(_ name: String) throws -> String {
        guard let name = trimmedName(name, max: Merchant.maxNameLength) else { throw MerchantError.badName }
        return name
    }

    private static func checkedMerchantKey(_ key: String) throws -> String {
        guard let key = trimmedSecret(key, minimum: Merchant.minimumKeyLength) else { throw MerchantError.keyTooShort }
        return key
    }

    /// An `http` or `https` address, or nil for nothing ("" included).
    private static func checkedWebAddress(_ url: String?) throws -> String? {
        guard let url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        guard WebAddress.given(url) != nil else { throw MerchantError.badURL(url) }
        return url
    }

    private static func checkedHosts(_ hosts: [String]) throws -> [String] {
        try hosts.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " || $0.isNewline }) }
            .map { host in
                let host = host.lowercased()
                guard WebAddress("http://\(host)/")?.host == host else { throw MerchantError.badHost(host) }
                return host
            }
    }
}
