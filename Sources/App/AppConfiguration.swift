public import Configuration
public import Foundation
public import StoreCore

/// Every setting of the store, read once at start from flags, `QRSTORE_…` environment variables,
/// the configuration file and the built-in defaults, in that order of precedence.
public struct AppConfiguration: Sendable, Equatable {
    public var httpHost: String
    public var httpPort: Int
    /// The public address, when the store sits behind a proxy (e.g. `https://pay.example.com`).
    public var baseURL: String?
    /// Proxies whose `X-Forwarded-For` names the buyer; none by default.
    public var trustedProxies: TrustedProxies
    public var databasePath: String
    public var uploadsPath: String
    /// The mustache templates' folder.
    public var templatesPath: String
    /// The folder served under `/static`.
    public var staticPath: String
    /// Configured listener secret; when absent one is generated and kept in the database.
    public var listenerSecret: String?
    public var adminUsername: String
    public var adminPassword: String?
    public var adminAPIToken: String?
    /// Seconds an order waits for payment.
    public var orderTTL: Int
    /// Seconds an expired order keeps its slot for a late payment.
    public var orderLateGrace: Int
    public var orderMaxPendingPerBuyer: Int
    /// Slots of unpaid orders one address (IPv4, or IPv6 /64) may hold at once.
    public var orderMaxSlotsPerAddress: Int
    /// Orders one address may create in a minute.
    public var orderCreateRatePerMinute: Int
    /// Whether channels whose listener is offline are never given new orders.
    public var orderRequireOnlineListener: Bool
    public var discountMax: Money
    public var discountMode: DiscountMode
    public var upload: UploadLimits
    /// The largest upload request, all its files together.
    public var maxRequestBytes: Int
    /// Seconds a listener's clock may differ from ours.
    public var listenerClockSkew: Int
    /// Seconds without a heartbeat after which the listener counts as offline.
    public var listenerOfflineAfter: Int
    /// Seconds a paid order keeps its slot, so that a repeated push is a duplicate.
    public var listenerDuplicateWindow: Int
    /// Whether protocol A (`/addons/pay/api/…`, no timestamp) is served.
    public var listenerProtocolA: Bool
    /// The time zone of the seller's "today".
    public var siteTimeZone: TimeZone
    /// The shop's name in every page's title and header; "商店" / "Store" when unset.
    public var siteName: String?
    /// An announcement on the store front.
    public var siteNotice: String?
    /// The language of visitors whose browser asks for none of ours.
    public var siteLanguage: Language
    /// The folder of the language tables.
    public var stringsPath: String
    /// The mail server and sender (`mail.*`); nil without `mail.host`, and then no email is sent.
    public var mail: MailSettings?
    /// The waits between attempts at an email or a merchant notification (`outbox.retrySchedule`, seconds).
    public var outboxRetrySchedule: RetrySchedule
    /// Which way a merchant order's amount moves from the price when the price is taken.
    public var gatewayAmountDirection: AmountDirection
    /// Whether merchants' notify URLs may name loopback and private addresses (tests, LAN set-ups).
    public var gatewayAllowPrivateNotifyUrls: Bool

    /// The purchase rules these settings make.
    public var purchasePolicy: PurchasePolicy {
        PurchasePolicy(
            ttl: TimeInterval(orderTTL), maxDiscount: discountMax,
            mode: discountMode, maxPendingPerBuyer: orderMaxPendingPerBuyer,
            maxSlotsPerAddress: orderMaxSlotsPerAddress, createRatePerMinute: orderCreateRatePerMinute)
    }

    /// How long slots stay held after their order ends.
    public var slotHolding: SlotHolding {
        SlotHolding(
            duplicateWindow: TimeInterval(listenerDuplicateWindow), lateGrace: TimeInterval(orderLateGrace),
            replayMemory: TimeInterval(2 * listenerClockSkew))
    }

    /// The store's address in links sent away (emails): `http.baseURL`, else the listening address.
    public var publicURL: String {
        guard let baseURL else { return "http://\(httpHost):\(httpPort)" }
        return baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// Whether the public address is https, so cookies must be `Secure`.
    public var servesHTTPS: Bool { baseURL?.lowercased().hasPrefix("https://") == true }

    /// The built-in defaults; `Config/qrstore.json` ships the same values. Secrets have none.
    public static let defaults: [AbsoluteConfigKey: ConfigValue] = [
        "http.host": "127.0.0.1",
        "http.port": 8080,
        "database.path": "qrstore.sqlite",
        "uploads.path": "Uploads",
        "templates.path": "Templates",
        "static.path": "Static",
        "admin.username": "admin",
        "order.ttl": 300,
        "order.lateGrace": 120,
        "order.maxPendingPerBuyer": 2,
        "order.maxSlotsPerAddress": 10,
        "order.createRatePerMinute": 30,
        "order.requireOnlineListener": false,
        "discount.max": "0.10",
        "discount.mode": "onConflict",
        "upload.maxFileBytes": 10_485_760,
        "upload.maxPixels": 40_000_000,
        "upload.maxZipEntries": 1000,
        "upload.maxZipBytes": 209_715_200,
        "upload.maxRequestBytes": 104_857_600,
        "listener.clockSkew": 300,
        "listener.offlineAfter": 90,
        "listener.duplicateWindow": 120,
        "listener.protocolA": true,
        "site.timeZone": "Asia/Shanghai",
        "site.language": "zh-CN",
        "strings.path": "Config/strings",
        "mail.security": "starttls",
        "outbox.retrySchedule": "15,60,180,600,1800,3600,7200,21600,54000",
        "gateway.amountDirection": "down",
        "gateway.allowPrivateNotifyUrls": false,
    ]

    /// Keys whose values are kept out of logs and never given defaults.
    public static let secretKeys: Set<String> = [
        "listener.secret", "admin.password", "admin.apiToken", "mail.password",
    ]

    /// Reads and checks every key; a bad value names its key and environment variable.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        func string(_ key: String) throws(ConfigurationError) -> String {
            let value: String
            do {
                value = try reader.requiredString(forKey: ConfigKey(key))
            } catch {
                throw ConfigurationError(key: key, problem: "cannot be read: \(error)")
            }
            guard !value.isEmpty else { throw ConfigurationError(key: key, problem: "is empty") }
            return value
        }
        func optional(_ key: String) -> String? {
            let isSecret = Self.secretKeys.contains(key)
            return reader.string(forKey: ConfigKey(key), isSecret: isSecret).flatMap { $0.isEmpty ? nil : $0 }
        }
        func int(_ key: String, atLeast minimum: Int) throws(ConfigurationError) -> Int {
            let value: Int
            do {
                value = try reader.requiredInt(forKey: ConfigKey(key))
            } catch {
                throw ConfigurationError(key: key, problem: "must be a whole number (\(error))")
            }
            guard value >= minimum else {
                throw ConfigurationError(key: key, problem: "must be at least \(minimum), not \(value)")
            }
            return value
        }
        httpHost = try string("http.host")
        httpPort = try int("http.port", atLeast: 0)
        baseURL = optional("http.baseURL")
        switch TrustedProxies.parse(optional("http.trustedProxies") ?? "") {
        case .success(let proxies): trustedProxies = proxies
        case .failure(let invalid):
            throw ConfigurationError(
                key: "http.trustedProxies",
                problem: "must list addresses or networks (10.0.0.0/8), not \(invalid.entry)")
        }
        databasePath = try string("database.path")
        uploadsPath = try string("uploads.path")
        templatesPath = try string("templates.path")
        staticPath = try string("static.path")
        listenerSecret = optional("listener.secret")
        if let secret = listenerSecret, secret.count < Channel.minimumSecretLength {
            throw ConfigurationError(
                key: "listener.secret", problem: "must have at least \(Channel.minimumSecretLength) characters")
        }
        adminUsername = try string("admin.username")
        adminPassword = optional("admin.password")
        adminAPIToken = optional("admin.apiToken")
        orderTTL = try int("order.ttl", atLeast: 1)
        orderLateGrace = try int("order.lateGrace", atLeast: 0)
        orderMaxPendingPerBuyer = try int("order.maxPendingPerBuyer", atLeast: 1)
        orderMaxSlotsPerAddress = try int("order.maxSlotsPerAddress", atLeast: 1)
        orderCreateRatePerMinute = try int("order.createRatePerMinute", atLeast: 1)
        let discount = try string("discount.max")
        guard let discountMax = Money(parsing: discount), discountMax.fen <= 99 else {
            throw ConfigurationError(
                key: "discount.max", problem: "must be an amount from 0.00 to 0.99, not \(discount)")
        }
        self.discountMax = discountMax
        let mode = try string("discount.mode")
        guard let discountMode = DiscountMode(rawValue: mode) else {
            throw ConfigurationError(key: "discount.mode", problem: "must be onConflict or always, not \(mode)")
        }
        self.discountMode = discountMode
        upload = UploadLimits(
            maxFileBytes: try int("upload.maxFileBytes", atLeast: 1),
            maxPixels: try int("upload.maxPixels", atLeast: 1),
            maxZipEntries: try int("upload.maxZipEntries", atLeast: 1),
            maxZipBytes: try int("upload.maxZipBytes", atLeast: 1))
        maxRequestBytes = try int("upload.maxRequestBytes", atLeast: 1)
        listenerClockSkew = try int("listener.clockSkew", atLeast: 1)
        listenerOfflineAfter = try int("listener.offlineAfter", atLeast: 1)
        listenerDuplicateWindow = try int("listener.duplicateWindow", atLeast: 0)
        func bool(_ key: String) throws(ConfigurationError) -> Bool {
            do {
                return try reader.requiredBool(forKey: ConfigKey(key))
            } catch {
                throw ConfigurationError(key: key, problem: "must be true or false (\(error))")
            }
        }
        listenerProtocolA = try bool("listener.protocolA")
        orderRequireOnlineListener = try bool("order.requireOnlineListener")
        let zone = try string("site.timeZone")
        guard let timeZone = TimeZone(identifier: zone) else {
            throw ConfigurationError(
                key: "site.timeZone", problem: "must be a time zone such as Asia/Shanghai, not \(zone)")
        }
        siteTimeZone = timeZone
        let language = try string("site.language")
        guard let siteLanguage = Language(rawValue: language) else {
            throw ConfigurationError(key: "site.language", problem: "must be zh-CN or en, not \(language)")
        }
        self.siteLanguage = siteLanguage
        stringsPath = try string("strings.path")
        siteName = optional("site.name")
        siteNotice = optional("site.notice")
        let schedule = try string("outbox.retrySchedule")
        let delays = schedule.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !delays.isEmpty, delays.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ConfigurationError(
                key: "outbox.retrySchedule", problem: "must list whole seconds like 15,60,180, not \(schedule)")
        }
        outboxRetrySchedule = RetrySchedule(delays: delays.map { TimeInterval($0!) })
        let direction = try string("gateway.amountDirection")
        guard let amountDirection = AmountDirection(rawValue: direction) else {
            throw ConfigurationError(key: "gateway.amountDirection", problem: "must be down or up, not \(direction)")
        }
        gatewayAmountDirection = amountDirection
        gatewayAllowPrivateNotifyUrls = try bool("gateway.allowPrivateNotifyUrls")
        mail = try MailSettings(host: optional("mail.host"), baseURL: baseURL, optional: optional, int: int)
    }

    /// The reader for `arguments` (flags like `--http-port 9000`), `environment`, the JSON file at
    /// `filePath` (which may be missing) and the defaults.
    public static func reader(
        arguments: [String], environment: [String: String], filePath: String
    ) async throws -> ConfigReader {
        ConfigReader(providers: [
            CommandLineArgumentsProvider(arguments: ["qrstore"] + arguments),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "qrstore"),
            try await FileProvider<JSONSnapshot>(filePath: .init(filePath), allowMissing: true),
            InMemoryProvider(values: defaults),
        ])
    }

    /// The environment variable that sets `key`: `order.lateGrace` → `QRSTORE_ORDER_LATE_GRACE`.
    public static func environmentName(of key: String) -> String {
        var name = "QRSTORE"
        for part in key.split(separator: ".") {
            name += "_"
            var previousIsLower = false
            for character in part {
                if character.isUppercase && previousIsLower { name += "_" }
                name += character.uppercased()
                previousIsLower = character.isLowercase
            }
        }
        return name
    }
}

/// A configuration value that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var key: String
    public var problem: String

    public var description: String {
        "configuration \(key) (\(AppConfiguration.environmentName(of: key))) \(problem)"
    }
}
