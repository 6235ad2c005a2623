import Foundation
import HummingbirdBcrypt
public import StoreCore

/// Everything the routes depend on, made once at start; tests make their own.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let database: AppDatabase
    public let pages: PageRenderer
    public let blobs: any BlobStore
    public let passwords: PasswordHasher
    /// Where every handler and service reads the time; tests move it.
    public let clock: any StoreClock
    let importer: PayCodeImporter
    let pictures: GoodsPictures
    /// The discount and order lifetime in force.
    let orderRules: LiveSetting<OrderRules>
    let matcher: PaymentMatcher
    let watch = OrderWatch()
    /// Every channel's listener secret.
    let channelKeys: ChannelKeys
    /// How emails go out; nil without `mail.host`, and then no email is asked for or sent.
    public let mailer: Mailer?
    /// Lookups by email per address: each one may send a message, so they are few.
    let lookupThrottle: FailureThrottle
    /// The first-start set-up link's token, while no seller account exists.
    public let setupToken: SetupToken
    let loginThrottle: FailureThrottle
    /// Bad listener signatures per address: they cost no database work once limited.
    let signatureThrottle: FailureThrottle
    /// Bad merchant signatures per address, limited like the listener's.
    let gatewayThrottle: FailureThrottle
    /// Rung when a merchant notification is queued, so that it goes out at once.
    let outboxBell = OutboxBell()
    /// Bad bearer tokens of the seller API per address, limited like bad passwords.
    let apiTokenThrottle: FailureThrottle
    /// A real hash of a random password, checked when a login names no account, so that the
    /// answer takes as long either way and does not tell which accounts exist.
    let unknownUserHash: String

    /// `listenerSecret` is channel 1's, as `AppDatabase.firstChannelSecret` gives it; the other
    /// channels' come with `reloadChannelKeys`.
    public init(
        configuration: AppConfiguration, database: AppDatabase, pages: PageRenderer, listenerSecret: String,
        passwords: PasswordHasher = PasswordHasher(), clock: any StoreClock = SystemClock(),
        setupToken: SetupToken = SetupToken(nil), mailer: Mailer? = nil
    ) {
        self.mailer = mailer
        self.setupToken = setupToken
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.passwords = passwords
        self.clock = clock
        let blobs = FileBlobStore(root: URL(fileURLWithPath: configuration.uploadsPath))
        self.blobs = blobs
        importer = PayCodeImporter(database: database, blobs: blobs, limits: configuration.upload, now: clock.now)
        pictures = GoodsPictures(
            database: database, blobs: blobs, maxPixels: configuration.upload.maxPixels)
        orderRules = LiveSetting(OrderRules(discountMax: configuration.discountMax, orderTTL: configuration.orderTTL))
        matcher = PaymentMatcher(database: database, holding: configuration.slotHolding, clock: clock)
        channelKeys = ChannelKeys([.init(channelId: 1, secret: listenerSecret)])
        loginThrottle = FailureThrottle(clock: clock)
        signatureThrottle = FailureThrottle(maxFailures: 20, window: 10 * 60, clock: clock)
        apiTokenThrottle = FailureThrottle(clock: clock)
        gatewayThrottle = FailureThrottle(maxFailures: 20, window: 10 * 60, clock: clock)
        lookupThrottle = FailureThrottle(maxFailures: 5, window: 60 * 60, clock: clock)
        unknownUserHash = Bcrypt.hash(Nanoid.make(), cost: passwords.cost)
    }

    /// Purchases under the rules in force now.
    var allocator: SlotAllocator {
        var policy = configuration.purchasePolicy
        let rules = orderRules.current
        policy.maxDiscount = rules.discountMax
        policy.ttl = TimeInterval(rules.orderTTL)
        policy.offlineAfter = TimeInterval(configuration.listenerOfflineAfter)
        policy.requireOnlineListener = configuration.orderRequireOnlineListener
        return SlotAllocator(database: database, policy: policy, holding: configuration.slotHolding, clock: clock)
    }

    /// Reads every channel's secret again, after a channel was added or its secret changed.
    public func reloadChannelKeys() async throws {
        let ticket = channelKeys.beginReload(at: clock.now())
        channelKeys.finishReload(ticket, with: try await database.channels())
    }

    /// Puts what the seller saved on the settings page in force, over the configuration.
    public func applySavedSettings() async throws {
        let saved = try await database.shopSettings()
        let site = pages.site.current
        pages.site.replace(
            with: .init(
                name: saved.name.map { $0.isEmpty ? nil : $0 } ?? site.name,
                notice: saved.notice.map { $0.isEmpty ? nil : $0 } ?? site.notice))
        let rules = orderRules.current
        orderRules.replace(
            with: .init(
                discountMax: saved.discountMax ?? rules.discountMax, orderTTL: saved.orderTTL ?? rules.orderTTL))
    }

    /// The text under `key` in the language of the request.
    func text(_ key: String, _ context: AppRequestContext, _ values: [String: String] = [:]) -> String {
        pages.strings.text(key, in: context.language, values)
    }

    /// The start of today in `site.timeZone`.
    var startOfToday: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.siteTimeZone
        return calendar.startOfDay(for: clock.now())
    }
}
