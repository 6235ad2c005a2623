import Foundation
import GRDB
import TestSupport
import Testing

@testable import StoreCore

@Suite("The database")
struct DatabaseTests {
    static func code(_ payload: String, fen: Int = 99) -> PayCode {
        PayCode(
            type: .wechat, amountFen: fen, payload: payload,
            originalDigest: String(repeating: "a", count: 64), originalFormat: "png",
            originalName: "wechat_0.99.png", renderedDigest: String(repeating: "b", count: 64),
            enabled: true, lastUsedAt: nil, createdAt: Date())
    }

    @Test("a file database runs in WAL mode")
    func wal() throws {
        let folder = try Fixtures.temporaryDirectory()
        let database = try AppDatabase.open(path: folder.appendingPathComponent("sub/store.sqlite").path)
        let mode = try database.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("one pay code per payload")
    func uniquePayload() async throws {
        let database = try AppDatabase.inMemory()
        guard case .inserted(let id) = try await database.insertPayCode(Self.code("wxp://one")) else {
            Issue.record("first insert was not inserted")
            return
        }
        #expect(try await database.insertPayCode(Self.code("wxp://one", fen: 98)) == .duplicate(id: id))
        // The schema refuses it too, whatever the caller forgets.
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                var copy = Self.code("wxp://one")
                try copy.insert(db)
            }
        }
    }

    @Test("money and types are checked by the schema")
    func checks() async throws {
        let database = try AppDatabase.inMemory()
        for bad in [Self.code("wxp://zero", fen: 0), Self.code("wxp://negative", fen: -1)] {
            await #expect(throws: DatabaseError.self) { _ = try await database.insertPayCode(bad) }
        }
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO payCode (type, amountFen, payload, originalDigest, originalFormat,
                            originalName, renderedDigest, createdAt)
                        VALUES ('paypal', 99, 'x', ?, 'png', 'x', ?, '2026-01-01')
                        """, arguments: [String(repeating: "a", count: 64), String(repeating: "b", count: 64)])
            }
        }
    }

    @Test("two orders never hold the same slot")
    func slotIndex() throws {
        let database = try AppDatabase.inMemory()
        func insertOrder(_ id: String, holdsSlot: Bool) throws {
            try database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO "order" (id, type, priceFen, amountFen, status, holdsSlot,
                            slotReleaseAt, createdAt, expiresAt)
                        VALUES (?, 'wechat', 100, 99, ?, ?, '2026-01-01', '2026-01-01', '2026-01-01')
                        """, arguments: [id, holdsSlot ? "pending" : "expired", holdsSlot])
            }
        }
        try insertOrder(Nanoid.make(), holdsSlot: true)
        #expect(throws: DatabaseError.self) { try insertOrder(Nanoid.make(), holdsSlot: true) }
        // Orders that gave their slot back do not count.
        try insertOrder(Nanoid.make(), holdsSlot: false)
        try insertOrder(Nanoid.make(), holdsSlot: false)
    }

    @Test("channel 1's secret is generated once, shown once, kept, and yields to the configured one")
    func listenerSecret() async throws {
        let database = try AppDatabase.inMemory()
        let first = try await database.firstChannelSecret(configured: nil)
        #expect(first.new && first.secret.count == 32)
        let second = try await database.firstChannelSecret(configured: nil)
        #expect(second.secret == first.secret && !second.new)
        let configured = try await database.firstChannelSecret(configured: "configured-secret-16")
        #expect(configured == ("configured-secret-16", false) && configured.secret != first.secret)
        #expect(try await database.channel(id: 1)?.secret == "configured-secret-16")
    }

    @Test("a new password ends every session of that seller, and only theirs")
    func passwordEndsSessions() async throws {
        let database = try AppDatabase.inMemory()
        let first = try await database.createAdmin(username: "first", passwordHash: "$2b$04$first")
        let second = try await database.createAdmin(username: "second", passwordHash: "$2b$04$second")
        for (key, admin) in [("a", first), ("b", first), ("c", second)] {
            try await database.setSessionValue(
                key: key, value: Data(#"{"adminID":\#(admin.id!)}"#.utf8), expiresAt: nil)
        }
        #expect(try await database.setAdminPassword(username: "first", passwordHash: "$2b$04$changed"))
        #expect(try await database.sessionValue(key: "a") == nil)
        #expect(try await database.sessionValue(key: "b") == nil)
        #expect(try await database.sessionValue(key: "c") != nil)
    }

    @Test("backup writes a consistent, readable copy")
    func backup() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let database = try AppDatabase.open(path: folder.appendingPathComponent("store.sqlite").path)
        _ = try await database.insertPayCode(Self.code("wxp://kept"))
        let copyPath = folder.appendingPathComponent("copy.sqlite").path
        try await database.backup(to: copyPath)
        let copy = try AppDatabase.open(path: copyPath)
        #expect(try await copy.payCodes().map(\.payload) == ["wxp://kept"])
    }
}

@Suite("Catalog and coverage")
struct CatalogTests {
    @Test("coverage runs from the price down by the discount, never below 0.01")
    func coverageRange() async throws {
        let database = try AppDatabase.inMemory()
        let rows = try await database.coverage(price: Money(fen: 5), maxDiscount: Money(fen: 10))
        #expect(rows.map(\.amount.fen) == [5, 4, 3, 2, 1])
        let full = try await database.coverage(price: Money(fen: 100), maxDiscount: Money(fen: 10))
        #expect(full.count == 11 && full.first?.amount.fen == 100 && full.last?.amount.fen == 90)
        #expect(full.allSatisfy { $0.wechat == 0 && $0.alipay == 0 })
    }

    @Test("disabled codes do not count as coverage")
    func disabledCodes() async throws {
        let database = try AppDatabase.inMemory()
        guard case .inserted(let id) = try await database.insertPayCode(DatabaseTests.code("wxp://a", fen: 100)) else {
            Issue.record("not inserted")
            return
        }
        #expect(try await database.coverage(price: Money(fen: 100), maxDiscount: Money(fen: 0)).first?.wechat == 1)
        #expect(try await database.setPayCodeEnabled(id: id, false))
        #expect(try await database.coverage(price: Money(fen: 100), maxDiscount: Money(fen: 0)).first?.wechat == 0)
    }

    @Test("goods names are trimmed, checked, and ids are nanoids")
    func goodsRules() async throws {
        let database = try AppDatabase.inMemory()
        let goods = try await database.createGoods(GoodsDraft(name: "  Book  ", price: Money(fen: 1)))
        #expect(goods.name == "Book" && Nanoid.isWellFormed(goods.id))
        await #expect(throws: InvalidGoods.self) {
            try await database.createGoods(GoodsDraft(name: " ", price: Money(fen: 1)))
        }
        await #expect(throws: InvalidGoods.self) {
            try await database.createGoods(GoodsDraft(name: "A", price: Money(fen: 0)))
        }
        #expect(
            try await database.updateGoods(id: Nanoid.make(), with: GoodsDraft(name: "A", price: Money(fen: 1))) == nil)
        #expect(try await database.goods(id: "../x") == nil)
    }

    @Test("secrets compare equal only when every byte is")
    func constantTime() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
    }
}

@Suite("Migrations")
struct MigrationTests {
    @Test("v5 carries old orders over with their slots, and payments keep their orders")
    func v5CarriesRowsOver() async throws {
        // setup: a database as the previous release left it, with a paid and a pending order
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v4: indexes for the buyer limit and the slot sweep")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO goods (id, name, priceFen, createdAt, updatedAt)
                        VALUES ('goods0000000000000001', 'Book', 100, '2026-11-01', '2026-11-01');
                    INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, status, holdsSlot, slotReleaseAt,
                        buyerAddress, createdAt, expiresAt, paidAt)
                    VALUES ('paid00000000000000001', 'goods0000000000000001', 'wechat', 100, 99, 'paid', 0,
                            '2026-11-01 10:07:00.000', '203.0.113.5', '2026-11-01 10:00:00.000',
                            '2026-11-01 10:05:00.000', '2026-11-01 10:01:00.000'),
                           ('open00000000000000001', 'goods0000000000000001', 'alipay', 100, 98, 'pending', 1,
                            '2026-11-01 10:07:00.000', '203.0.113.6', '2026-11-01 10:00:00.000',
                            '2026-11-01 10:05:00.000', NULL);
                    INSERT INTO payment (type, amountFen, rawAmount, source, rawRequest, receivedAt, outcome, orderId)
                        VALUES ('wechat', 99, '0.99', 'notify', 'GET …', '2026-11-01 10:01:00.000', 'matched',
                                'paid00000000000000001');
                    """)
        }
        // MUT
        let database = try AppDatabase(queue)
        // validate
        let payment = try #require(try await database.payments().first)
        #expect(payment.orderId == "paid00000000000000001" && payment.outcome == .matched && !payment.flagged)
        let open = try #require(try await database.order(id: "open00000000000000001"))
        #expect(
            open.holdsSlot && open.status == .pending && open.buyerToken == nil && open.buyerAddress == "203.0.113.6")
        let paid = try #require(try await database.order(id: "paid00000000000000001"))
        #expect(paid.status == .paid && !paid.holdsSlot && paid.paidAt != nil && !paid.flagged)
        // The unique slot index is back.
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in
                try db.execute(
                    sql:
                        #"UPDATE "order" SET holdsSlot = 1, type = 'alipay', amountFen = 98 WHERE id = 'paid00000000000000001'"#
                )
            }
        }
    }

    @Test("v8 puts an existing store's codes, orders and payments on channel 1, with its listener secret")
    func v8KeepsTheStoreOnChannelOne() async throws {
        // setup: a store as the previous release left it: a secret, a code, a pending order, a payment
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v7: email and the outbox, pictures")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO setting (key, value) VALUES ('listener.secret', 'the-old-store-secret-0123456789ab'),
                        ('listener.lastSeenAt', '1700000000');
                    INSERT INTO goods (id, name, priceFen, createdAt, updatedAt)
                        VALUES ('goods0000000000000001', 'Book', 100, '2026-11-01', '2026-11-01');
                    INSERT INTO payCode (type, amountFen, payload, originalDigest, originalFormat, originalName,
                        renderedDigest, createdAt)
                    VALUES ('wechat', 99, 'wxp://f2f0old', '\(String(repeating: "a", count: 64))', 'png', 'w.png',
                        '\(String(repeating: "b", count: 64))', '2026-11-01');
                    INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, payCodeId, status, holdsSlot,
                        slotReleaseAt, createdAt, expiresAt)
                    VALUES ('open00000000000000001', 'goods0000000000000001', 'wechat', 100, 99, 1, 'pending', 1,
                        '2026-11-01 10:07:00.000', '2026-11-01 10:00:00.000', '2026-11-01 10:05:00.000');
                    INSERT INTO payment (type, amountFen, rawAmount, source, rawRequest, receivedAt, outcome)
                        VALUES ('wechat', 98, '0.98', 'notify', 'GET …', '2026-11-01 10:01:00.000', 'unmatched');
                    INSERT INTO listenerNonce (key, seenAt) VALUES ('1700000000123|1|0.99', '2026-11-01 10:01:00.000');
                    """)
        }
        // MUT
        let database = try AppDatabase(queue)
        // A push received just before the upgrade stays a replay after it.
        #expect(
            try await queue.read { db in try String.fetchAll(db, sql: "SELECT key FROM listenerNonce") }
                == ["1|1700000000123|1|0.99"])
        // validate
        let channel = try #require(try await database.channel(id: 1))
        #expect(channel.secret == "the-old-store-secret-0123456789ab" && channel.enabled)
        #expect(channel.lastSeenAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try await database.payCodes().map(\.channelId) == [1])
        #expect(try await database.order(id: "open00000000000000001")?.channelId == 1)
        #expect(try await database.payments().map(\.channelId) == [1])
        // The old secret was shown long ago: it is not printed again.
        #expect(try await database.firstChannelSecret(configured: nil) == ("the-old-store-secret-0123456789ab", false))
        // The slot index now has the channel: the same amount is free on another channel.
        let second = try await database.createChannel(name: "second phone", now: Date())
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO "order" (id, goodsId, channelId, type, priceFen, amountFen, status, holdsSlot,
                        slotReleaseAt, createdAt, expiresAt)
                    VALUES ('open00000000000000002', 'goods0000000000000001', ?, 'wechat', 100, 99, 'pending', 1,
                        '2026-11-01 10:07:00.000', '2026-11-01 10:00:00.000', '2026-11-01 10:05:00.000')
                    """, arguments: [second.id])
        }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO "order" (id, goodsId, channelId, type, priceFen, amountFen, status, holdsSlot,
                            slotReleaseAt, createdAt, expiresAt)
                        VALUES ('open00000000000000003', 'goods0000000000000001', 1, 'wechat', 100, 99, 'pending', 1,
                            '2026-11-01 10:07:00.000', '2026-11-01 10:00:00.000', '2026-11-01 10:05:00.000')
                        """)
            }
        }
    }
}
