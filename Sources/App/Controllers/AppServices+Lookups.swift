import Hummingbird
import StoreCore

/// The records a route's `:id` names, or a 404 that says what was not found.
extension AppServices {
    func goods(_ context: AppRequestContext) async throws -> Goods {
        guard let goods = try await database.goods(id: try context.parameters.require("id")) else {
            throw HTTPError(.notFound, message: "There are no such goods.")
        }
        return goods
    }

    func payCode(_ context: AppRequestContext) async throws -> PayCode {
        guard let id = Int64(try context.parameters.require("id")), let code = try await database.payCode(id: id) else {
            throw HTTPError(.notFound, message: "There is no such pay code.")
        }
        return code
    }

    /// Deletes `code`, or says why it cannot be deleted now.
    func delete(_ code: PayCode) async throws {
        switch try await database.deletePayCode(id: code.id!) {
        case .deleted: return
        case .notFound: throw HTTPError(.notFound, message: "There is no such pay code.")
        case .shownToBuyer:
            throw HTTPError(
                .conflict,
                message:
                    "A buyer is paying with this code right now. Disable it instead, or delete it once that order ends."
            )
        }
    }
}
