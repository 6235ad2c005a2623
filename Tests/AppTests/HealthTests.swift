import Hummingbird
import HummingbirdTesting
import StoreCore
import Testing

@testable import App

@Suite("Health check")
struct HealthTests {
    @Test("GET /healthz answers ok while the database answers")
    func healthy() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/no/such/page", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("GET /healthz answers 503 when the database does not")
    func unhealthy() async throws {
        struct Unreachable: Error {}
        let router = Router(context: AppRequestContext.self)
        HealthController(check: { throw Unreachable() }).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "database unavailable\n")
            }
        }
    }
}
