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

    public var description: String {
        switch self {
        case .usernameTaken(let name): "a seller account named \(name) already exists"
        case .invalidUsername: "a username has 1 to 64 characters"
        }
    }
}

extension AppDatabase {
    /// Creates a seller account.
    public func createAdmin(username: String, passwordHash: String, now: Date = Date()) throws -> Admin {
        let username = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(username.count) else { throw AdminError.invalidUsername }
        return try writer.write { db in
            if try Admin.filter(Column("username") == username).fetchOne(db) != nil {
                throw AdminError.usernameTaken(username)
            }
            var admin = Admin(username: username, passwordHash: passwordHash, createdAt: now, updatedAt: now)
            try admin.insert(db)
            return admin
        }
    }

    /// Replaces an account's password hash; false when there is no such account.
    public func setAdminPassword(username: String, passwordHash: String, now: Date = Date()) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE admin SET passwordHash = ?, updatedAt = ? WHERE username = ?",
                arguments: [passwordHash, now, username])
            return db.changesCount > 0
        }
    }

    /// The account with this name (any case), if any.
    public func admin(username: String) throws -> Admin? {
        try reader.read { db in try Admin.filter(Column("username") == username).fetchOne(db) }
    }

    /// The account with this id, if any.
    public func admin(id: Int64) throws -> Admin? {
        try reader.read { db in try Admin.fetchOne(db, key: id) }
    }

    /// How many seller accounts exist.
    public func adminCount() throws -> Int {
        try reader.read { db in try Admin.fetchCount(db) }
    }
}
