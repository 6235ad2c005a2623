import Foundation
import GRDB

extension AppDatabase {
    /// The schema, one string-named step at a time. Steps are append-only and use literal table
    /// and column names, so that later changes to the Swift types never rewrite history.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: goods, pay codes, orders, payments, settings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE goods (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 21),
                        name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
                        description TEXT NOT NULL DEFAULT '',
                        priceFen INTEGER NOT NULL CHECK (priceFen > 0),
                        delivery TEXT NOT NULL DEFAULT '',
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        createdAt DATETIME NOT NULL,
                        updatedAt DATETIME NOT NULL
                    );

                    CREATE TABLE payCode (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0),
                        payload TEXT NOT NULL UNIQUE CHECK (length(payload) > 0),
                        originalDigest TEXT NOT NULL CHECK (length(originalDigest) = 64),
                        originalFormat TEXT NOT NULL CHECK (originalFormat IN ('png', 'jpeg')),
                        originalName TEXT NOT NULL,
                        renderedDigest TEXT NOT NULL CHECK (length(renderedDigest) = 64),
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        lastUsedAt DATETIME,
                        createdAt DATETIME NOT NULL
                    );
                    CREATE INDEX payCodeSlot ON payCode (type, amountFen, enabled, lastUsedAt);

                    CREATE TABLE "order" (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 21),
                        goodsId TEXT REFERENCES goods (id) ON DELETE RESTRICT,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        priceFen INTEGER NOT NULL CHECK (priceFen > 0),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0 AND amountFen <= priceFen),
                        payCodeId INTEGER REFERENCES payCode (id) ON DELETE SET NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'closed')),
                        -- True while the order holds its (type, amount) slot: pending, or expired
                        -- but still inside the late-payment grace window.
                        holdsSlot BOOLEAN NOT NULL,
                        slotReleaseAt DATETIME NOT NULL,
                        buyerAddress TEXT,
                        buyerEmail TEXT,
                        createdAt DATETIME NOT NULL,
                        expiresAt DATETIME NOT NULL,
                        paidAt DATETIME,
                        paidLate BOOLEAN NOT NULL DEFAULT 0,
                        closedAt DATETIME,
                        CHECK (status <> 'paid' OR paidAt IS NOT NULL),
                        CHECK (NOT holdsSlot OR status IN ('pending', 'expired'))
                    );
                    -- At most one order holds a slot: the database itself refuses a second one.
                    CREATE UNIQUE INDEX orderSlot ON "order" (type, amountFen) WHERE holdsSlot;
                    CREATE INDEX orderStatus ON "order" (status, expiresAt);
                    CREATE INDEX orderGoods ON "order" (goodsId);

                    CREATE TABLE payment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0),
                        rawAmount TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('notify', 'appPush', 'manual')),
                        rawRequest TEXT NOT NULL,
                        remoteAddress TEXT,
                        receivedAt DATETIME NOT NULL,
                        outcome TEXT NOT NULL DEFAULT 'received'
                            CHECK (outcome IN ('received', 'matched', 'late', 'unmatched', 'duplicate', 'attached')),
                        orderId TEXT REFERENCES "order" (id) ON DELETE SET NULL
                    );
                    CREATE INDEX paymentOutcome ON payment (outcome, receivedAt);
                    -- A payment settles one order, and an order is settled by one payment.
                    CREATE UNIQUE INDEX paymentOrder ON payment (orderId)
                        WHERE orderId IS NOT NULL AND outcome IN ('matched', 'late', 'attached');

                    CREATE TABLE setting (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: seller accounts and sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE admin (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        username TEXT NOT NULL UNIQUE COLLATE NOCASE
                            CHECK (length(trim(username)) BETWEEN 1 AND 64),
                        passwordHash TEXT NOT NULL CHECK (passwordHash LIKE '$2%'),
                        createdAt DATETIME NOT NULL,
                        updatedAt DATETIME NOT NULL
                    );

                    -- Login sessions, kept across restarts.
                    CREATE TABLE session (
                        key TEXT PRIMARY KEY NOT NULL,
                        value BLOB NOT NULL,
                        expiresAt DATETIME
                    );
                    CREATE INDEX sessionExpiry ON session (expiresAt);
                    """)
        }
        migrator.registerMigration("v3: listener replay protection") { db in
            try db.execute(
                sql: """
                    -- Protocol B requests already seen, by (t, type, price), until the clock check
                    -- would refuse them anyway.
                    CREATE TABLE listenerNonce (
                        key TEXT PRIMARY KEY NOT NULL,
                        seenAt DATETIME NOT NULL
                    );
                    CREATE INDEX listenerNonceSeen ON listenerNonce (seenAt);
                    """)
        }
        migrator.registerMigration("v4: indexes for the buyer limit and the slot sweep") { db in
            try db.execute(
                sql: """
                    CREATE INDEX orderBuyerAddress ON "order" (buyerAddress, status);
                    CREATE INDEX orderBuyerEmail ON "order" (buyerEmail, status) WHERE buyerEmail IS NOT NULL;
                    CREATE INDEX orderSlotRelease ON "order" (slotReleaseAt) WHERE holdsSlot;
                    """)
        }
        migrator.registerMigration("v5: slots held after an order ends; buyers by cookie") { db in
            // SQLite cannot change a CHECK, so the order table is rebuilt. Old rows keep every
            // value; `holdsSlot` and `slotReleaseAt` are carried over as they were (pending and
            // expired orders still inside their grace keep their slot until the same time),
            // `buyerToken` is NULL for them (no later buyer is ever handed one of them), and
            // `buyerAddress` keeps the address it had.
            try db.execute(
                sql: """
                    CREATE TABLE order_v5 (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 21),
                        goodsId TEXT REFERENCES goods (id) ON DELETE RESTRICT,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        priceFen INTEGER NOT NULL CHECK (priceFen > 0),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0 AND amountFen <= priceFen),
                        payCodeId INTEGER REFERENCES payCode (id) ON DELETE SET NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'closed')),
                        -- True while no other order may take this (type, amount): pending, then
                        -- for the late grace after expiry or close, or the duplicate window after
                        -- payment. Past slotReleaseAt the slot counts as free even before the
                        -- expiry service clears the flag.
                        holdsSlot BOOLEAN NOT NULL,
                        slotReleaseAt DATETIME NOT NULL,
                        buyerToken TEXT,
                        -- The buyer's network: an IPv4 address or an IPv6 /64.
                        buyerAddress TEXT,
                        buyerEmail TEXT,
                        createdAt DATETIME NOT NULL,
                        expiresAt DATETIME NOT NULL,
                        paidAt DATETIME,
                        paidLate BOOLEAN NOT NULL DEFAULT 0,
                        closedAt DATETIME,
                        -- Paid by the seller with a payment of another type or amount.
                        flagged BOOLEAN NOT NULL DEFAULT 0,
                        CHECK (status <> 'paid' OR paidAt IS NOT NULL),
                        CHECK (status <> 'closed' OR closedAt IS NOT NULL)
                    );
                    INSERT INTO order_v5 (
                        id, goodsId, type, priceFen, amountFen, payCodeId, status, holdsSlot, slotReleaseAt,
                        buyerToken, buyerAddress, buyerEmail, createdAt, expiresAt, paidAt, paidLate, closedAt)
                    SELECT id, goodsId, type, priceFen, amountFen, payCodeId, status, holdsSlot, slotReleaseAt,
                        NULL, buyerAddress, buyerEmail, createdAt, expiresAt, paidAt, paidLate, closedAt
                    FROM "order";
                    DROP TABLE "order";
                    ALTER TABLE order_v5 RENAME TO "order";
                    -- Every index is one more page each purchase writes and syncs, so there are
                    -- only those the buyer's and the listener's paths need, and the seller's lists.
                    -- At most one order holds a slot: the database itself refuses a second one.
                    CREATE UNIQUE INDEX orderSlot ON "order" (type, amountFen) WHERE holdsSlot;
                    CREATE INDEX orderPendingExpiry ON "order" (expiresAt) WHERE status = 'pending';
                    CREATE INDEX orderCreated ON "order" (createdAt);
                    CREATE INDEX orderGoods ON "order" (goodsId);
                    CREATE INDEX orderBuyerToken ON "order" (buyerToken, status) WHERE buyerToken IS NOT NULL;
                    CREATE INDEX orderBuyerAddress ON "order" (buyerAddress, createdAt);

                    -- The slot's codes, without lastUsedAt: it changes with every purchase, and
                    -- an index on it would be rewritten each time.
                    DROP INDEX payCodeSlot;
                    CREATE INDEX payCodeSlot ON payCode (type, amountFen, enabled);

                    -- A payment the seller attached to an order of another type or amount.
                    ALTER TABLE payment ADD COLUMN flagged BOOLEAN NOT NULL DEFAULT 0;
                    CREATE INDEX paymentReceived ON payment (receivedAt);
                    """)
        }
        migrator.registerMigration("v6: card keys") { db in
            try db.execute(
                sql: """
                    -- text: the same delivery for every buyer; cardKeys: one secret of the stock per order.
                    ALTER TABLE goods ADD COLUMN deliveryMode TEXT NOT NULL DEFAULT 'text'
                        CHECK (deliveryMode IN ('text', 'cardKeys'));

                    -- A key is available (no order), reserved by an unpaid order, or sold (soldAt):
                    -- an order holds at most one key and a key belongs to at most one order.
                    CREATE TABLE cardKey (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        goodsId TEXT NOT NULL REFERENCES goods (id) ON DELETE CASCADE,
                        secret TEXT NOT NULL CHECK (length(secret) BETWEEN 1 AND 2000),
                        orderId TEXT UNIQUE REFERENCES "order" (id) ON DELETE RESTRICT,
                        soldAt DATETIME,
                        createdAt DATETIME NOT NULL,
                        UNIQUE (goodsId, secret),
                        CHECK (soldAt IS NULL OR orderId IS NOT NULL)
                    );
                    CREATE INDEX cardKeyFree ON cardKey (goodsId, id) WHERE orderId IS NULL;
                    CREATE INDEX cardKeyReserved ON cardKey (goodsId) WHERE orderId IS NOT NULL AND soldAt IS NULL;
                    """)
        }
        migrator.registerMigration("v7: email and the outbox, pictures") { db in
            try db.execute(
                sql: """
                    -- Goods that ask every buyer for an email, and the digest of their re-encoded
                    -- picture in the blob store (NULL: none).
                    ALTER TABLE goods ADD COLUMN emailRequired BOOLEAN NOT NULL DEFAULT 0;
                    ALTER TABLE goods ADD COLUMN pictureDigest TEXT;
                    -- The language the buyer read the store in, for the emails about the order.
                    ALTER TABLE "order" ADD COLUMN language TEXT;

                    -- Messages owed, kept until sent or failed; the content is written at the
                    -- first attempt, so every retry sends the same.
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind IN ('orderEmail', 'lookupEmail')),
                        orderId TEXT REFERENCES "order" (id) ON DELETE CASCADE,
                        recipient TEXT NOT NULL,
                        language TEXT,
                        subject TEXT,
                        body TEXT,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt DATETIME NOT NULL,
                        createdAt DATETIME NOT NULL,
                        finishedAt DATETIME,
                        CHECK (kind <> 'orderEmail' OR orderId IS NOT NULL)
                    );
                    CREATE INDEX outboxDue ON outbox (nextAttemptAt) WHERE state = 'pending';
                    CREATE INDEX outboxOrder ON outbox (orderId) WHERE orderId IS NOT NULL;
                    CREATE INDEX outboxRecipient ON outbox (recipient, createdAt);
                    CREATE TABLE outboxAttempt (
                        outboxId INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
                        at DATETIME NOT NULL,
                        succeeded BOOLEAN NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX outboxAttemptMessage ON outboxAttempt (outboxId, at);
                    """)
        }
        migrator.registerMigration("v8: channels and generic codes") { db in
            // Channel 1 is the store's one listener so far: its secret and its last sign of life.
            let stored = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'listener.secret'")
            // A store that had a secret has shown it already; a new one is printed at the first start.
            if stored != nil {
                try db.execute(sql: "INSERT OR IGNORE INTO setting (key, value) VALUES ('listener.secretShown', '1')")
            }
            let secret = stored ?? Self.newListenerSecret()
            let lastSeen = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'listener.lastSeenAt'")
                .flatMap(TimeInterval.init).map { DatabaseTime.text(Date(timeIntervalSince1970: $0)) }
            try db.execute(
                sql: """
                    -- One payee: a WeChat and/or Alipay account on one phone, whose listener reports
                    -- what it receives. Each channel holds its own slots.
                    CREATE TABLE channel (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        secret TEXT NOT NULL UNIQUE CHECK (length(secret) >= 16),
                        lastSeenAt DATETIME,
                        createdAt DATETIME NOT NULL
                    );
                    INSERT INTO channel (id, name, enabled, secret, lastSeenAt, createdAt)
                    VALUES (1, '默认通道', 1, ?, ?, ?);
                    DELETE FROM setting WHERE key IN ('listener.secret', 'listener.lastSeenAt');

                    -- Codes belong to a channel; a generic code (通用收款码) has no amount: the
                    -- buyer types it, and it serves every amount of its channel and type.
                    CREATE TABLE payCode_v8 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channelId INTEGER NOT NULL REFERENCES channel (id),
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        amountFen INTEGER CHECK (amountFen IS NULL OR amountFen > 0),
                        payload TEXT NOT NULL UNIQUE CHECK (length(payload) > 0),
                        originalDigest TEXT NOT NULL CHECK (length(originalDigest) = 64),
                        originalFormat TEXT NOT NULL CHECK (originalFormat IN ('png', 'jpeg')),
                        originalName TEXT NOT NULL,
                        renderedDigest TEXT NOT NULL CHECK (length(renderedDigest) = 64),
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        lastUsedAt DATETIME,
                        createdAt DATETIME NOT NULL
                    );
                    INSERT INTO payCode_v8 (
                        id, channelId, type, amountFen, payload, originalDigest, originalFormat, originalName,
                        renderedDigest, enabled, lastUsedAt, createdAt)
                    SELECT id, 1, type, amountFen, payload, originalDigest, originalFormat, originalName,
                        renderedDigest, enabled, lastUsedAt, createdAt
                    FROM payCode;
                    DROP TABLE payCode;
                    ALTER TABLE payCode_v8 RENAME TO payCode;
                    -- Type and amount lead, so that a purchase reads its range of amounts across
                    -- every channel (and a generic code, amountFen IS NULL) from the index.
                    CREATE INDEX payCodeSlot ON payCode (type, amountFen, channelId, enabled);

                    -- Slots are (channel, type, amount); an order shown a generic code says so.
                    ALTER TABLE "order" ADD COLUMN channelId INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE "order" ADD COLUMN generic BOOLEAN NOT NULL DEFAULT 0;
                    DROP INDEX orderSlot;
                    CREATE UNIQUE INDEX orderSlot ON "order" (type, amountFen, channelId) WHERE holdsSlot;

                    -- Replay keys are per channel now: the ones already seen were channel 1's.
                    UPDATE listenerNonce SET key = '1|' || key;

                    -- The channel whose secret signed the push; none for the seller's own entries.
                    ALTER TABLE payment ADD COLUMN channelId INTEGER;
                    UPDATE payment SET channelId = 1 WHERE source <> 'manual';
                    """,
                arguments: [secret, lastSeen, DatabaseTime.text(Date())])
        }
        migrator.registerMigration("v9: merchants and their notifications") { db in
            try db.execute(
                sql: """
                    -- A merchant's order may be above its price (gateway.amountDirection = up); an
                    -- order for goods never is. SQLite cannot change a CHECK: the table is rebuilt
                    -- with every row and index as they were.
                    CREATE TABLE order_v9 (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 21),
                        goodsId TEXT REFERENCES goods (id) ON DELETE RESTRICT,
                        channelId INTEGER NOT NULL DEFAULT 1,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        priceFen INTEGER NOT NULL CHECK (priceFen > 0),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0 AND (amountFen <= priceFen OR goodsId IS NULL)),
                        payCodeId INTEGER REFERENCES payCode (id) ON DELETE SET NULL,
                        generic BOOLEAN NOT NULL DEFAULT 0,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'closed')),
                        -- True while no other order may take this (channel, type, amount): pending,
                        -- then for the late grace after expiry or close, or the duplicate window
                        -- after payment. Past slotReleaseAt the slot counts as free even before
                        -- the expiry service clears the flag.
                        holdsSlot BOOLEAN NOT NULL,
                        slotReleaseAt DATETIME NOT NULL,
                        buyerToken TEXT,
                        -- The buyer's network: an IPv4 address or an IPv6 /64.
                        buyerAddress TEXT,
                        buyerEmail TEXT,
                        language TEXT,
                        createdAt DATETIME NOT NULL,
                        expiresAt DATETIME NOT NULL,
                        paidAt DATETIME,
                        paidLate BOOLEAN NOT NULL DEFAULT 0,
                        closedAt DATETIME,
                        -- Paid by the seller with a payment of another type or amount.
                        flagged BOOLEAN NOT NULL DEFAULT 0,
                        CHECK (status <> 'paid' OR paidAt IS NOT NULL),
                        CHECK (status <> 'closed' OR closedAt IS NOT NULL)
                    );
                    INSERT INTO order_v9 (
                        id, goodsId, channelId, type, priceFen, amountFen, payCodeId, generic, status, holdsSlot,
                        slotReleaseAt, buyerToken, buyerAddress, buyerEmail, language, createdAt, expiresAt, paidAt,
                        paidLate, closedAt, flagged)
                    SELECT id, goodsId, channelId, type, priceFen, amountFen, payCodeId, generic, status, holdsSlot,
                        slotReleaseAt, buyerToken, buyerAddress, buyerEmail, language, createdAt, expiresAt, paidAt,
                        paidLate, closedAt, flagged
                    FROM "order";
                    DROP TABLE "order";
                    ALTER TABLE order_v9 RENAME TO "order";
                    CREATE UNIQUE INDEX orderSlot ON "order" (type, amountFen, channelId) WHERE holdsSlot;
                    CREATE INDEX orderPendingExpiry ON "order" (expiresAt) WHERE status = 'pending';
                    CREATE INDEX orderCreated ON "order" (createdAt);
                    CREATE INDEX orderGoods ON "order" (goodsId);
                    CREATE INDEX orderBuyerToken ON "order" (buyerToken, status) WHERE buyerToken IS NOT NULL;
                    CREATE INDEX orderBuyerAddress ON "order" (buyerAddress, createdAt);

                    -- Shop software that pays through the store (V免签, 易支付); pid from 1001.
                    CREATE TABLE merchant (
                        pid INTEGER PRIMARY KEY CHECK (pid >= 1001),
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
                        key TEXT NOT NULL UNIQUE CHECK (length(key) >= 16),
                        enabled BOOLEAN NOT NULL DEFAULT 1,
                        notifyUrl TEXT,
                        returnUrl TEXT,
                        -- JSON array; empty: any public host.
                        notifyHosts TEXT NOT NULL DEFAULT '[]',
                        createdAt DATETIME NOT NULL
                    );

                    -- A merchant's order: what it sent, as sent, beside the order that holds the slot.
                    CREATE TABLE merchantOrder (
                        orderId TEXT PRIMARY KEY REFERENCES "order" (id) ON DELETE CASCADE,
                        pid INTEGER NOT NULL REFERENCES merchant (pid),
                        gateway TEXT NOT NULL CHECK (gateway IN ('vmq', 'epay')),
                        outTradeNo TEXT NOT NULL CHECK (length(outTradeNo) BETWEEN 1 AND 64),
                        tradeNo TEXT NOT NULL UNIQUE CHECK (length(tradeNo) >= 16 AND tradeNo NOT GLOB '*[^0-9]*'),
                        rawType TEXT NOT NULL,
                        rawPrice TEXT NOT NULL,
                        param TEXT NOT NULL DEFAULT '',
                        name TEXT NOT NULL DEFAULT '',
                        notifyUrl TEXT,
                        returnUrl TEXT,
                        siteName TEXT,
                        clientIp TEXT,
                        UNIQUE (pid, outTradeNo)
                    );

                    -- The outbox carries merchant notifications too: `recipient` is then the
                    -- signed URL, fixed when the order is paid. An attempt keeps the HTTP status.
                    CREATE TABLE outbox_v9 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind IN ('orderEmail', 'lookupEmail', 'merchantNotify')),
                        orderId TEXT REFERENCES "order" (id) ON DELETE CASCADE,
                        recipient TEXT NOT NULL,
                        language TEXT,
                        subject TEXT,
                        body TEXT,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt DATETIME NOT NULL,
                        createdAt DATETIME NOT NULL,
                        finishedAt DATETIME,
                        CHECK (kind = 'lookupEmail' OR orderId IS NOT NULL)
                    );
                    INSERT INTO outbox_v9 SELECT id, kind, orderId, recipient, language, subject, body, state,
                        attempts, nextAttemptAt, createdAt, finishedAt FROM outbox;
                    DROP TABLE outbox;
                    ALTER TABLE outbox_v9 RENAME TO outbox;
                    CREATE INDEX outboxDue ON outbox (nextAttemptAt) WHERE state = 'pending';
                    CREATE INDEX outboxOrder ON outbox (orderId) WHERE orderId IS NOT NULL;
                    CREATE INDEX outboxRecipient ON outbox (recipient, createdAt);
                    ALTER TABLE outboxAttempt ADD COLUMN status INTEGER;
                    """)
        }
        migrator.registerMigration("v10: SmsForwarder pushes and unread notifications") { db in
            try db.execute(
                sql: """
                    -- Payments read from SmsForwarder's forwarded notifications are a source of
                    -- their own. SQLite cannot change a CHECK: the table is rebuilt as it was.
                    CREATE TABLE payment_v10 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channelId INTEGER,
                        type TEXT NOT NULL CHECK (type IN ('wechat', 'alipay')),
                        amountFen INTEGER NOT NULL CHECK (amountFen > 0),
                        rawAmount TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('notify', 'appPush', 'smsForwarder', 'manual')),
                        rawRequest TEXT NOT NULL,
                        remoteAddress TEXT,
                        receivedAt DATETIME NOT NULL,
                        outcome TEXT NOT NULL DEFAULT 'received'
                            CHECK (outcome IN ('received', 'matched', 'late', 'unmatched', 'duplicate', 'attached')),
                        orderId TEXT REFERENCES "order" (id) ON DELETE SET NULL,
                        flagged BOOLEAN NOT NULL DEFAULT 0
                    );
                    INSERT INTO payment_v10 (
                        id, channelId, type, amountFen, rawAmount, source, rawRequest, remoteAddress, receivedAt,
                        outcome, orderId, flagged)
                    SELECT id, channelId, type, amountFen, rawAmount, source, rawRequest, remoteAddress, receivedAt,
                        outcome, orderId, flagged
                    FROM payment;
                    DROP TABLE payment;
                    ALTER TABLE payment_v10 RENAME TO payment;
                    CREATE INDEX paymentOutcome ON payment (outcome, receivedAt);
                    CREATE UNIQUE INDEX paymentOrder ON payment (orderId)
                        WHERE orderId IS NOT NULL AND outcome IN ('matched', 'late', 'attached');
                    CREATE INDEX paymentReceived ON payment (receivedAt);

                    -- A forwarded notification that could not be read with certainty: kept with its
                    -- raw text for the seller, who may turn it into a payment (never guessed).
                    CREATE TABLE listenerNotification (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channelId INTEGER NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
                        app TEXT NOT NULL,
                        title TEXT NOT NULL,
                        content TEXT NOT NULL,
                        reason TEXT NOT NULL
                            CHECK (reason IN ('noAmount', 'severalAmounts', 'notAWallet', 'noWallet', 'reusedSign')),
                        receivedAt DATETIME NOT NULL,
                        paymentId INTEGER REFERENCES payment (id) ON DELETE SET NULL,
                        dismissedAt DATETIME
                    );
                    CREATE INDEX listenerNotificationReceived ON listenerNotification (receivedAt);
                    """)
        }
        return migrator
    }
}
