public import Hummingbird
import HummingbirdAuth
public import Logging
import ServiceLifecycle
import StoreCore

/// The HTTP application for `services`. `onServerRunning` is told the port once the server
/// listens (the real one when the configured port is 0).
public func buildApplication(
    services: AppServices, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(services: services),
        configuration: .init(
            address: .hostname(services.configuration.httpHost, port: services.configuration.httpPort),
            serverName: "QRStore"),
        services: workers(services: services, logger: logger),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// The services beside the HTTP server: order expiry, and the outbox (emails, when mail is set
/// up, and merchant notifications).
func workers(services: AppServices, logger: Logger) -> [any Service] {
    [
        OrderExpiryService(database: services.database, watch: services.watch, clock: services.clock, logger: logger),
        OutboxWorker(services: services, mailer: services.mailer, logger: logger),
    ]
}

/// The routes and their middleware, which tests drive directly as well.
public func buildRouter(services: AppServices) -> Router<AppRequestContext> {
    let configuration = services.configuration
    let router = Router(context: AppRequestContext.self)
    if !configuration.trustedProxies.isEmpty {
        router.middlewares.add(ForwardedForMiddleware(trustedProxies: configuration.trustedProxies))
    }
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(LanguageMiddleware(fallback: configuration.siteLanguage))
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(ErrorMiddleware(pages: services.pages))
    router.middlewares.add(FileMiddleware(configuration.staticPath, urlBasePath: "/static", searchForIndexHtml: false))

    HealthController(check: services.database.ping).addRoutes(to: router)
    LanguageController(secureCookie: configuration.servesHTTPS).addRoutes(to: router)
    ListenerController(services: services).addRoutes(to: router)
    SmsForwarderController(services: services).addRoutes(to: router)
    VMQGatewayController(services: services).addRoutes(to: router)
    EPayGatewayController(services: services).addRoutes(to: router)
    PurchaseController(services: services).addAPIRoutes(to: router.group("/api"))
    // Outside the page middlewares: a picture kept by a shared cache must carry no cookie.
    router.get("/goods/:id/picture.jpg", use: GoodsPictureRoutes(services: services).show)

    let api = router.group("/admin/api").add(
        middleware: APITokenMiddleware(token: configuration.adminAPIToken, throttle: services.apiTokenThrottle))
    GoodsAPIController(services: services).addRoutes(to: api.group("goods"))
    CodesAPIController(services: services).addRoutes(to: api)
    OrdersAPIController(services: services).addRoutes(to: api)
    ChannelsAPIController(services: services).addRoutes(to: api)
    MerchantsAPIController(services: services).addRoutes(to: api)

    let pages = router.group()
        .add(middleware: CSRFMiddleware(secureCookie: configuration.servesHTTPS, maxFormBytes: 1 << 20))
        .add(middleware: BuyerTokenMiddleware(secureCookie: configuration.servesHTTPS))
        .add(
            middleware: SessionMiddleware(
                storage: DatabasePersistDriver(database: services.database),
                configuration: .init(
                    sessionCookieParameters: .init(
                        name: "qrstore_session", path: "/", secure: configuration.servesHTTPS, sameSite: .lax))))
    StorefrontController(services: services).addRoutes(to: pages)
    PurchaseController(services: services).addPageRoutes(to: pages)
    PayController(services: services).addRoutes(to: pages)
    OrderLookupController(services: services).addRoutes(to: pages)
    LoginController(services: services).addRoutes(to: pages.group("/admin"))
    SetupController(services: services).addRoutes(to: pages.group("/admin"))

    let seller = pages.group("/admin").add(middleware: RequireSellerMiddleware(database: services.database))
    DashboardController(services: services).addRoutes(to: seller)
    AdminGoodsController(services: services).addRoutes(to: seller.group("goods"))
    AdminCodesController(services: services).addRoutes(to: seller)
    AdminOrdersController(services: services).addRoutes(to: seller)
    AdminPaymentsController(services: services).addRoutes(to: seller)
    AdminSettingsController(services: services).addRoutes(to: seller)
    AdminChannelsController(services: services).addRoutes(to: seller)
    AdminMerchantsController(services: services).addRoutes(to: seller)
    return router
}
