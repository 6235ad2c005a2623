public import Foundation
public import GRDB

/// A seller account. The password is kept only as a bcrypt hash, made by the caller.
public struct Admin: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64?
    public var username: String
    public var passwordHash: String
    public var createdAt: Date
    public var updatedAt: Date
}

extension Admin: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "admin"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// An account that cannot be created.
public enum AdminError: Error, Equatable, CustomStringConvertible {
    case usernameTaken(String)
    case invalidUsername
    /// The first account was asked for, but one exists already.
    case notFirst

    public var description: String {
        switch self {
        case .usernameTaken(let name): "a seller account named \(name) already exists"
        case .invalidUsername: "a username has 1 to 64 characters"
        case .notFirst: "a seller account exists already"
        }
    }
}

extension AppDatabase {
    /// Creates a seller account.
    /// With `onlyFirst`, only while there is no account at all, checked in the same transaction.
    public func createAdmin(
        username: String, passwordHash: String, onlyFirst: Bool = false, now: Date = Date()
    ) async throws -> Admin {
        let username = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(username.count) else { throw AdminError.invalidUsername }
        return try await writer.write { db in
            if onlyFirst, try Admin.fetchCount(db) > 0 { throw AdminError.notFirst }
            if try Admin.filter(Column("username") == username).fetchOne(db) != nil {
                throw AdminError.usernameTaken(username)
            }
            var admin = Admin(username: username, passwordHash: passwordHash, createdAt: now, updatedAt: now)
            try admin.insert(db)
            return admin
        }
    }

    /// Replaces an account's password hash and ends every session of that account (a stolen
    /// session dies with the old password); false when there is no such account.
    public func setAdminPassword(username: String, passwordHash: String, now: Date = Date()) async throws -> Bool {
        try await writer.write { db in
            guard let admin = try Admin.filter(Column("username") == username).fetchOne(db) else { return false }
            try db.execute(
                sql: "UPDATE admin SET passwordHash = ?, updatedAt = ? WHERE id = ?",
                arguments: [passwordHash, now, admin.id])
            // Session values are the JSON of `SellerSession`, `{"adminID":…}`.
            try db.execute(
                sql: "DELETE FROM session WHERE json_extract(CAST(value AS TEXT), '$.adminID') = ?",
                arguments: [admin.id])
            return true
        }
    }

    /// The account with this name (any case), if any.
    public func admin(username: String) async throws -> Admin? {
        try await reader.read { db in try Admin.filter(Column("username") == username).fetchOne(db) }
    }

    /// The account with this id, if any.
    public func admin(id: Int64) async throws -> Admin? {
        try await reader.read { db in try Admin.fetchOne(db, key: id) }
    }

    /// How many seller accounts exist.
    public func adminCount() async throws -> Int {
        try await reader.read { db in try Admin.fetchCount(db) }
    }
}
