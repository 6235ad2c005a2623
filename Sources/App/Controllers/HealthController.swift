import Hummingbird

/// `GET /healthz`: 200 `ok` while the database answers, 503 otherwise.
struct HealthController {
    /// Throws when the database does not answer (`AppDatabase.ping` in the running store).
    let check: @Sendable () async throws -> Void

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await check()
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        } catch {
            context.logger.error("health check: the database does not answer: \(error)")
            return Response(
                status: .serviceUnavailable,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "database unavailable\n")))
        }
    }
}
