import Foundation
public import GRDB

/// The store's database: owns the writer, and every write goes through one of its
/// invariant-preserving transaction methods.
public struct AppDatabase: Sendable {
    /// The connection pool (a file in WAL mode) or queue (in memory, for tests).
    public let writer: any DatabaseWriter

    /// Opens `writer` and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Reads may run concurrently with a write.
    public var reader: any DatabaseReader { writer }

    /// The SQLite file at `path` in WAL mode, created with its folder when missing.
    public static func open(path: String) throws -> AppDatabase {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try AppDatabase(DatabasePool(path: path, configuration: configuration))
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration))
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Every commit syncs the WAL to disk before it returns: an order a buyer was shown,
            // and a payment a listener was told about, survive a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A larger page cache than SQLite's 2 MB, per connection (the pool has a few).
            try db.execute(sql: "PRAGMA cache_size = -8192")
        }
        return configuration
    }

    /// Whether the database answers a query, for the health check.
    public func ping() async throws {
        _ = try await reader.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Writes a consistent copy of the whole database to `path`, while others keep using it.
    public func backup(to path: String) async throws {
        let destination = try DatabaseQueue(path: path)
        try await reader.read { db in try destination.writeWithoutTransaction { copy in try db.backup(to: copy) } }
    }
}
