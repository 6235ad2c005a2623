public import Foundation
import GRDB

/// The listeners' last signs of life.
extension AppDatabase {
    /// When any channel's listener was last heard from, if ever.
    public func listenerLastSeen() async throws -> Date? {
        try await reader.read { db in try Date.fetchOne(db, sql: "SELECT MAX(lastSeenAt) FROM channel") }
    }
}
