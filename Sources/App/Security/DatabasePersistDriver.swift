import Foundation
import Hummingbird
import StoreCore

/// Hummingbird's key-value store for sessions, kept in the store's SQLite database so that
/// sellers stay logged in across restarts.
struct DatabasePersistDriver: PersistDriver {
    let database: AppDatabase

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let stored = try await database.setSessionValue(
            key: key, value: JSONEncoder().encode(value), expiresAt: expiry(expires), onlyIfNew: true)
        guard stored else { throw PersistError.duplicate }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await database.setSessionValue(key: key, value: JSONEncoder().encode(value), expiresAt: expiry(expires))
    }

    func get<Object: Codable & Sendable>(key: String, as object: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: object)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(
        key: String, as object: Object.Type
    ) async throws
        -> (object: Object, ttl: Duration?)?
    {
        guard let (value, expiresAt) = try await database.sessionValue(key: key) else { return nil }
        let ttl = expiresAt.map { Duration.seconds(max(0, $0.timeIntervalSinceNow)) }
        return (try JSONDecoder().decode(object, from: value), ttl)
    }

    func remove(key: String) async throws {
        try await database.removeSessionValue(key: key)
    }

    private func expiry(_ expires: Duration?) -> Date? {
        expires.map { Date().addingTimeInterval(TimeInterval($0.components.seconds)) }
    }
}
