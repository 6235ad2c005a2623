import Hummingbird
import StoreCore

/// The records a route's `:id` names, or a 404 that says what was not found.
extension AppServices {
    func goods(_ context: AppRequestContext) async throws -> Goods {
        guard let goods = try await database.goods(id: try context.parameters.require("id")) else {
            throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        }
        return goods
    }

    func payCode(_ context: AppRequestContext) async throws -> PayCode {
        guard let id = Int64(try context.parameters.require("id")), let code = try await database.payCode(id: id) else {
            throw LocalizedFailure(.notFound, "messages.noSuchCode")
        }
        return code
    }

    /// Deletes `code`, or says why it cannot be deleted now.
    func delete(_ code: PayCode) async throws {
        switch try await database.deletePayCode(id: code.id!) {
        case .deleted: return
        case .notFound: throw LocalizedFailure(.notFound, "messages.noSuchCode")
        case .shownToBuyer:
            throw LocalizedFailure(.conflict, "messages.codeInUse")
        }
    }
}
