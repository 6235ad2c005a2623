public import Hummingbird
public import Logging
public import StoreCore

/// The request context of every route.
public typealias AppRequestContext = BasicRequestContext

/// The HTTP application for `configuration`, on `database`. `onServerRunning` is told the port
/// once the server listens (the real one when the configured port is 0).
public func buildApplication(
    configuration: AppConfiguration, database: AppDatabase, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database),
        configuration: .init(
            address: .hostname(configuration.httpHost, port: configuration.httpPort),
            serverName: "QRStore"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// The routes, which tests drive directly as well.
public func buildRouter(database: AppDatabase) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(LogRequestsMiddleware(.info))
    HealthController(check: database.ping).addRoutes(to: router)
    return router
}
