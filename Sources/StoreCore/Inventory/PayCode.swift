public import Foundation
public import GRDB

/// One uploaded QR code of a channel: a fixed-amount code, or a generic one (通用收款码, no
/// amount: the buyer types it) that serves every amount of its channel and type.
public struct PayCode: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64?
    public var channelId: Int64
    public var type: PayType
    /// The amount it collects; nil for a generic code.
    public var amountFen: Int?
    /// The decoded QR payload, unique in the inventory.
    public var payload: String
    /// SHA-256 of the uploaded file, stored under `originals/`.
    public var originalDigest: String
    public var originalFormat: String
    /// The file name as uploaded; shown to the seller, never used as a path.
    public var originalName: String
    /// SHA-256 of the re-rendered PNG, stored under `codes/`.
    public var renderedDigest: String
    public var enabled: Bool
    public var lastUsedAt: Date?
    public var createdAt: Date

    public init(
        id: Int64? = nil, channelId: Int64 = 1, type: PayType, amountFen: Int?, payload: String,
        originalDigest: String,
        originalFormat: String, originalName: String, renderedDigest: String, enabled: Bool = true,
        lastUsedAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.channelId = channelId
        self.type = type
        self.amountFen = amountFen
        self.payload = payload
        self.originalDigest = originalDigest
        self.originalFormat = originalFormat
        self.originalName = originalName
        self.renderedDigest = renderedDigest
        self.enabled = enabled
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
    }

    /// The amount this code collects; nil for a generic code.
    public var amount: Money? { amountFen.map(Money.init(fen:)) }
    /// The buyer types the amount.
    public var isGeneric: Bool { amountFen == nil }
}

extension PayCode: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "payCode"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The outcome of adding a code to the inventory.
public enum PayCodeInsertion: Sendable, Equatable {
    case inserted(id: Int64)
    /// The payload was already there, under this id.
    case duplicate(id: Int64)
}

extension AppDatabase {
    /// Adds `code` unless its payload is already in the inventory.
    public func insertPayCode(_ code: PayCode) async throws -> PayCodeInsertion {
        try await writer.write { db in
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM payCode WHERE payload = ?", arguments: [code.payload])
            {
                return .duplicate(id: existing)
            }
            var code = code
            try code.insert(db)
            return .inserted(id: code.id!)
        }
    }

    /// The code with this payload, if any.
    public func payCode(payload: String) async throws -> PayCode? {
        try await reader.read { db in
            try PayCode.filter(Column("payload") == payload).fetchOne(db)
        }
    }
}
